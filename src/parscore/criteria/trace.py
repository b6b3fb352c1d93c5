"""Trace files: every numbered item of a framework's source document → the leaves that encode it, or why none does.

A commune office checks parscore against its own plan item by item, so each
framework built from a document keeps `trace.yaml` beside its tree. Each item
quotes the document verbatim and gives the line it starts on; loading checks
the quote against the document's text (kept in `criteria/sources/`), that every
leaf named exists, and that every item is accounted for.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from parscore.core import schema, yamlio
from parscore.core.errors import Collector, did_you_mean
from parscore.core.paths import display
from parscore.criteria.framework import Framework

TRACE_FILE = "trace.yaml"
QUOTE_WINDOW = 60  # lines after `line` in which the quote must appear (seed 004's table cells wrap over many lines)


@dataclass(frozen=True)
class TraceItem:
    item: str
    line: int
    quote: str
    type: str
    leaves: tuple[str, ...]
    reading: str | None
    not_encoded: str | None

    @property
    def status(self) -> str:
        if self.not_encoded is not None:
            return "not_encoded"
        return "read" if self.reading else "exact"


@dataclass(frozen=True)
class Trace:
    framework: str
    document: str
    source_file: str
    items: tuple[TraceItem, ...]

    def counts(self) -> dict[str, int]:
        out = {"items": len(self.items), "exact": 0, "read": 0, "not_encoded": 0}
        for it in self.items:
            out[it.status] += 1
        return out


def _flat(text: str) -> str:
    """Whitespace, markdown emphasis and letter case do not matter when a quote is looked up."""
    return re.sub(r"\s+", " ", text.replace("*", "")).strip().casefold()


def trace_path(fw: Framework) -> Path:
    return fw.directory / TRACE_FILE


def load_trace(fw: Framework) -> Trace | None:
    """The framework's trace, checked; None when it has none. Raises `InputErrors` listing every problem."""
    path = trace_path(fw)
    if not path.is_file():
        return None
    doc = yamlio.load_mapping(path, display=display(path))
    errors = Collector()
    errors.extend(schema.validate(doc, "trace"))
    errors.raise_if_any()
    data = doc.data
    if data["framework"] != fw.id:
        errors.add("trace_framework", file=doc.file, line=doc.line(("framework",)), where="framework",
                   framework=data["framework"], folder=fw.id)
    source = fw.directory.parent / data["source"]["file"]
    lines: list[str] = []
    if source.is_file():
        lines = source.read_text(encoding="utf-8").split("\n")
    else:
        errors.add("trace_source_missing", file=doc.file, line=doc.line(("source", "file")), where="source.file",
                   source=data["source"]["file"])
    items = []
    for i, raw in enumerate(data["items"]):
        path_i: tuple[object, ...] = ("items", i)
        loc = {"file": doc.file, "line": doc.line(path_i)}
        if "leaves" not in raw and "not_encoded" not in raw:
            errors.add("trace_unaccounted", where=yamlio.where(path_i), item=raw["item"], **loc)
        if "leaves" in raw and "not_encoded" in raw:
            errors.add("trace_both", where=yamlio.where(path_i), item=raw["item"], **loc)
        for j, leaf in enumerate(raw.get("leaves", ())):
            if leaf not in fw:
                errors.add("unknown_leaf", file=doc.file, line=doc.line(path_i + ("leaves", j)),
                           where=yamlio.where(path_i + ("leaves", j)), framework=fw.id, leaf=leaf,
                           hint=lambda lang, leaf=leaf: did_you_mean(leaf, [n.id for n in fw.nodes()], lang))
        if lines:
            first, last = raw["line"], min(len(lines), raw["line"] + QUOTE_WINDOW)
            if _flat(raw["quote"]) not in _flat(" ".join(lines[first - 1:last])):
                errors.add("trace_quote_missing", file=doc.file, line=doc.line(path_i + ("quote",)),
                           where=yamlio.where(path_i + ("quote",)), quote=raw["quote"][:60],
                           source=data["source"]["file"], from_line=first, to_line=last)
        items.append(TraceItem(str(raw["item"]), int(raw["line"]), raw["quote"], raw["type"],
                               tuple(raw.get("leaves", ())), raw.get("reading"), raw.get("not_encoded")))
    errors.raise_if_any()
    return Trace(fw.id, data["source"]["document"], data["source"]["file"], tuple(items))
