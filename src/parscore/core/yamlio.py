"""Safe YAML loading that remembers where every value stood.

PyYAML's safe loader is used for tokens and scalars only; the tree is built
here so that every mapping key and sequence item gets its line number, floats
become exact `Decimal`s (points must be exact), strings are NFC-normalised,
and anchors/aliases are refused outright (the cheapest defence against
"billion laughs" alias bombs, and no framework needs them).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from parscore.core.errors import InputError, InputErrors

MAX_YAML_BYTES = 20 * 1024 * 1024

Path_ = tuple[object, ...]


@dataclass(frozen=True)
class Located:
    """A loaded document with the line of every path in it."""

    data: Any
    file: str
    lines: dict[Path_, int]

    def line(self, path: Path_) -> int | None:
        """The line of `path`, or of its nearest enclosing value."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)


def where(path: Path_) -> str:
    """A path as a reader writes it: fields.1.criteria.0.max_points."""
    return ".".join(str(p) for p in path) if path else ""


# libyaml's C parser when PyYAML was built with it (≈10× faster on the frameworks, same events, same marks);
# the pure-Python one otherwise. Only its tokens and nodes are used: the tree is built below either way.
_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc, valid-type]
    pass


def _scalar(loader: _Loader, node: yaml.ScalarNode) -> Any:
    if node.tag == "tag:yaml.org,2002:float":
        text = node.value.replace("_", "")
        low = text.lower()
        if low in (".nan", "nan"):
            return float("nan")
        if low.lstrip("+-") in (".inf", "inf"):
            return float(text.replace(".inf", "inf"))
        return Decimal(text)
    value = loader.construct_object(node, deep=True)
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    return value


def _build(loader: _Loader, node: yaml.Node, path: Path_, lines: dict[Path_, int], file: str) -> Any:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.ScalarNode):
        return _scalar(loader, node)
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, child, path + (i,), lines, file) for i, child in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(loader, key_node) if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            if not isinstance(key, str):
                key = str(key)  # ids such as 1.1 or 3 are written bare in YAML; they are names
                if isinstance(key_node, yaml.ScalarNode):
                    key = unicodedata.normalize("NFC", key_node.value)
            if key in out:
                raise InputErrors([InputError("yaml_duplicate_key", file=file, line=key_node.start_mark.line + 1,
                                              params={"key": key})])
            lines[path + (key,)] = key_node.start_mark.line + 1
            out[key] = _build(loader, value_node, path + (key,), lines, file)
        return out
    raise InputErrors([InputError("yaml_syntax", file=file, line=node.start_mark.line + 1,
                                  params={"problem": f"unsupported node {node.tag}"})])


def loads(text: str, file: str) -> Located:
    """Parse YAML text; raise `InputErrors` with the file and line on any problem."""
    loader = _Loader(text)
    try:
        # Refuse aliases at the event level, before anything is expanded.
        for event in _events(text):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise InputErrors([InputError("yaml_alias", file=file, line=event.start_mark.line + 1)])
        node = loader.get_single_node()
        lines: dict[Path_, int] = {}
        data = {} if node is None else _build(loader, node, (), lines, file)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise InputErrors([InputError("yaml_syntax", file=file, line=(mark.line + 1) if mark else None,
                                      params={"problem": exc.problem or exc.context or "invalid"})]) from None
    except yaml.YAMLError as exc:
        raise InputErrors([InputError("yaml_syntax", file=file, params={"problem": str(exc)})]) from None
    finally:
        loader.dispose()
    return Located(data, file, lines)


def _events(text: str) -> Any:
    return yaml.parse(text, Loader=_Base)


def load(path: Path | str, *, display: str | None = None, limit: int = MAX_YAML_BYTES) -> Located:
    """Read and parse one YAML file; `display` is the name errors use."""
    path = Path(path)
    name = display or str(path)
    if not path.is_file():
        raise InputErrors([InputError("file_missing", file=name)])
    size = path.stat().st_size
    if size > limit:
        raise InputErrors([InputError("file_too_large", file=name, params={"size": size, "limit": limit})])
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputErrors([InputError("yaml_syntax", file=name,
                                      params={"problem": f"not UTF-8 text ({exc.reason})"})]) from None
    return loads(text, name)


def load_mapping(path: Path | str, *, display: str | None = None) -> Located:
    doc = load(path, display=display)
    if not isinstance(doc.data, dict):
        raise InputErrors([InputError("yaml_not_mapping", file=doc.file, line=1)])
    return doc
