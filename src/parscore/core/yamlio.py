"""Safe YAML loading that remembers where every value stood.

PyYAML's safe loader is used for tokens and scalars only; the tree is built
here so that every mapping key and sequence item gets its line number, floats
become exact `Decimal`s (points must be exact), strings are NFC-normalised,
and anchors/aliases are refused outright (the cheapest defence against
"billion laughs" alias bombs, and no framework needs them).
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from parscore.core.errors import InputError, InputErrors

MAX_YAML_BYTES = 20 * 1024 * 1024
MAX_YAML_DEPTH = 50  # the deepest shipped framework nests 8 levels; recursion stays far from Python's limit
# C0 controls other than tab and line breaks, DEL, and C1 controls other than NEL: never typed on purpose,
# and PyYAML would otherwise refuse them with no line number (or keep them inside a value).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x84\x86-\x9f\ufffe\uffff]")
_SEXAGESIMAL = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")
_STR = "tag:yaml.org,2002:str"
_PLAIN_TYPES = (str, int, Decimal, float, bool, type(None), dt.date)

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


class _BadScalar(ValueError):
    """A scalar YAML accepts but no parscore file can mean: reported with its line."""

    def __init__(self, problem_vi: str, problem_en: str) -> None:
        super().__init__(problem_en)
        self.params = {"problem_vi": problem_vi, "problem_en": problem_en}


def _scalar(loader: _Loader, node: yaml.ScalarNode) -> Any:
    """One scalar, typed as the user most plausibly meant it, never raising anything but `_BadScalar`.

    YAML 1.1 reads `1:30` as the base-60 number 90 and `0x1F` as 31; a commune's figures are never
    written that way, so such plain scalars stay text and the field's own check reports them.
    An unquoted impossible date (`2025-02-31`) stays text too, for the date check to report in place.
    """
    if node.tag == _STR:  # most scalars: what PyYAML's constructor returns for them is the node's text itself
        return unicodedata.normalize("NFC", node.value)
    plain = not node.style  # None from the Python parser, "" from libyaml's
    if node.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float") and plain and (
            _SEXAGESIMAL.fullmatch(node.value) or node.value.lower().lstrip("+-").startswith(("0x", "0o", "0b"))):
        return node.value
    try:
        if node.tag == "tag:yaml.org,2002:float":
            text = node.value.replace("_", "")
            low = text.lower()
            if low in (".nan", "nan"):
                return float("nan")
            if low.lstrip("+-") in (".inf", "inf"):
                return float(low.replace(".inf", "inf"))
            return Decimal(text)
        if node.tag == "tag:yaml.org,2002:int" and len(node.value) > 40:
            return node.value  # too long to be a count; the number check reports it without int() of 4,000 digits
        value = loader.construct_object(node, deep=True)
    except yaml.YAMLError:
        raise
    except Exception:  # PyYAML's constructors raise ValueError, AttributeError… on odd explicit tags
        if node.tag == "tag:yaml.org,2002:timestamp" and plain:
            return node.value  # 2025-02-31: the date check says which field and why
        raise _BadScalar("không đọc được theo kiểu " + node.tag.rsplit(":", 1)[-1],
                         "cannot be read as " + node.tag.rsplit(":", 1)[-1]) from None
    if not isinstance(value, _PLAIN_TYPES):
        raise _BadScalar("có kiểu " + node.tag.rsplit(":", 1)[-1] + " không dùng được ở đây",
                         "has the type " + node.tag.rsplit(":", 1)[-1] + ", which no parscore file uses")
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    return value


def _build(loader: _Loader, node: yaml.Node, path: Path_, lines: dict[Path_, int], file: str) -> Any:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.ScalarNode):
        try:
            return _scalar(loader, node)
        except _BadScalar as exc:
            raise InputErrors([InputError("yaml_bad_scalar", file=file, line=node.start_mark.line + 1, where=where(path),
                                          value=node.value[:80], params=exc.params)]) from None
    if node.tag not in ("tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"):  # !!python/object, !!set, !custom…
        raise InputErrors([InputError("yaml_bad_scalar", file=file, line=node.start_mark.line + 1, where=where(path),
                                      value=node.tag, params={"problem_vi": "là thẻ YAML không dùng được ở đây",
                                                              "problem_en": "is a YAML tag no parscore file uses"})])
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, child, path + (i,), lines, file) for i, child in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise InputErrors([InputError("yaml_bad_scalar", file=file, line=key_node.start_mark.line + 1,
                                              where=where(path), value="?", params={
                                                  "problem_vi": "là khoá phức (danh sách/ánh xạ làm khoá)",
                                                  "problem_en": "is a complex key (a list or mapping used as a key)"})])
            key = key_node.value
            key = _scalar(loader, key_node) if isinstance(key_node, yaml.ScalarNode) and key_node.tag.endswith(
                (":str", ":int", ":float", ":bool", ":null")) else key
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
    bad = _CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        raise InputErrors([InputError("yaml_control_char", file=file, line=line,
                                      params={"char": f"U+{ord(bad.group()):04X}", "column": column})])
    loader = _Loader(text)
    try:
        # Refuse aliases and runaway nesting at the event level, before anything is built.
        depth = 0
        for event in _events(text):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise InputErrors([InputError("yaml_alias", file=file, line=event.start_mark.line + 1)])
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    raise InputErrors([InputError("yaml_too_deep", file=file, line=event.start_mark.line + 1,
                                                  params={"limit": MAX_YAML_DEPTH})])
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
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
