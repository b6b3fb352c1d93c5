"""The metric catalogue: every metric a framework may read, from `rules/*.yaml`.

A metric is a measured fact (great_expectations' split between measuring and
judging): it has a unit, a bilingual definition and a source. How it is derived
from evidence records lives beside it (`derive:`), and is run by `parscore.evidence.derive`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Mapping

from parscore.core import schema
from parscore.core import yamlio
from parscore.core.errors import Collector, InputErrors, did_you_mean
from parscore.core.paths import display, rules_dir, sha256_file
from parscore.core.text import Text

UNITS = ("ratio", "count", "date", "date_series")


@dataclass(frozen=True)
class Metric:
    name: str
    unit: str
    title: Text
    definition: Text
    source: str
    file: str
    line: int | None
    counts: Text | None = None  # what is counted, e.g. "hồ sơ" / "dossiers"
    good: Text | None = None  # what the numerator holds, e.g. "đúng hạn" / "on time"
    derive: Mapping[str, Any] | None = field(default=None, compare=False)


class Catalogue(Mapping[str, Metric]):
    """A registry of metrics that refuses a second metric of the same name."""

    def __init__(self) -> None:
        self._metrics: dict[str, Metric] = {}
        self.files: dict[str, str] = {}  # display path -> sha256

    def register(self, metric: Metric, errors: Collector) -> None:
        if metric.name in self._metrics:
            other = self._metrics[metric.name]
            errors.add("duplicate_name", file=metric.file, line=metric.line, where="metrics", name=metric.name,
                       other=f"{other.file}:{other.line}")
            return
        self._metrics[metric.name] = metric

    def __getitem__(self, name: str) -> Metric:
        return self._metrics[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._metrics)

    def __len__(self) -> int:
        return len(self._metrics)


SPECIAL_OPERANDS = ("period_start", "period_end")
_SHAPE = {"numerator": "ratio", "group_by": "ratio", "count": "count", "first": "date", "last": "date", "series": "date_series"}


def columns_named(node: Any) -> list[str]:
    """Every column a condition or expression names (operands that are plain strings)."""
    out: list[str] = []
    if isinstance(node, dict):
        for key, arg in node.items():
            if key in ("value", "date"):
                continue
            if key == "exists_in":
                out.append(arg["column"])  # the other table's columns are checked against that table
                continue
            if key in ("equals", "in"):
                out.append(arg[0])
                continue
            if isinstance(arg, str):
                out.append(arg)
            else:
                out.extend(columns_named(arg))
    elif isinstance(node, list):
        for item in node:
            out.extend([item] if isinstance(item, str) and item not in ("<", "<=", "==", "!=", ">=", ">") else columns_named(item))
    return [c for c in out if c not in SPECIAL_OPERANDS]


def check_derive(doc: yamlio.Located, path: tuple[object, ...], spec: Mapping[str, Any], unit: str) -> list[Any]:
    """Load-time check of a derivation: its table and every column it names exist, and its shape fits the unit."""
    from parscore.core.errors import InputError
    from parscore.evidence.tables import table_specs
    specs = table_specs()
    where_ = yamlio.where(path)
    if spec["table"] not in specs:
        return [InputError("unknown_key", file=doc.file, line=doc.line(path + ("table",)), where=where_ + ".table",
                           params={"key": spec["table"], "allowed": ", ".join(specs),
                                   "hint": lambda lang: did_you_mean(spec["table"], specs, lang)})]
    table = specs[spec["table"]]
    known = [c.name for c in table.columns] + list(table.computed)
    named = columns_named({k: v for k, v in spec.items() if k in ("where", "numerator")})
    named += [spec[k] for k in ("group_by", "first", "last") if k in spec]
    named += [spec["having"]["mean"]] if "having" in spec else []
    named += list(spec["series"].values()) if "series" in spec else []
    errors = []
    for name in named:
        if name not in known:
            errors.append(InputError("unknown_key", file=doc.file, line=doc.line(path), where=where_,
                                     params={"key": name, "allowed": ", ".join(known),
                                             "hint": lambda lang, n=name: did_you_mean(n, known, lang)}))
    shape = next((v for k, v in _SHAPE.items() if k in spec), None)
    if shape != unit:
        errors.append(InputError("metric_unit", file=doc.file, line=doc.line(path), where=where_,
                                 params={"metric": where_, "unit": unit, "kind": "derive", "wanted": shape}))
    return errors


def load_catalogue(directory: Path | None = None) -> Catalogue:
    """Load every `*.yaml` below the rules directory; all problems are reported at once."""
    directory = directory or rules_dir()
    errors = Collector()
    cat = Catalogue()
    for path in sorted(directory.rglob("*.yaml")):
        name = display(path)
        try:
            doc = yamlio.load_mapping(path, display=name)
        except InputErrors as exc:
            errors.extend(exc.errors)
            continue
        cat.files[name] = sha256_file(path)
        problems = schema.validate(doc, "catalogue")
        if problems:
            errors.extend(problems)
            continue
        for i, m in enumerate(doc.data["metrics"]):
            if "derive" in m:
                problems = schema.validate(doc, "derive", data=m["derive"], base=("metrics", i, "derive"))
                problems = problems or check_derive(doc, ("metrics", i, "derive"), m["derive"], m["unit"])
                if problems:
                    errors.extend(problems)
                    continue
            cat.register(Metric(
                name=m["name"], unit=m["unit"], title=Text.of(m["title"]),  # type: ignore[arg-type]
                definition=Text.of(m["definition"]), source=m["source"],  # type: ignore[arg-type]
                file=name, line=doc.line(("metrics", i)),
                counts=Text.of(m.get("counts")), good=Text.of(m.get("good")), derive=m.get("derive"),
            ), errors)
    errors.raise_if_any()
    return cat
