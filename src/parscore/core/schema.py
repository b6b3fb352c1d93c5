"""JSON Schema validation of loaded YAML, with every error located.

The schemas ship in `parscore/schemas/`; `schema_path(name)` is what the
"see schema …" part of an error names.
"""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from parscore.core import cache
from parscore.core.errors import InputError, did_you_mean
from parscore.core import yamlio
from parscore.core.yamlio import Located

if TYPE_CHECKING:
    import jsonschema


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict[str, Any]:
    """A shipped schema: `name` is a file of `parscore/schemas/`, or a path inside the package
    (`kinds/bands/params`) for schemas that live beside their owner."""
    parts = name.split("/") if "/" in name else ["schemas", name]
    node = resources.files("parscore")
    for part in parts[:-1]:
        node = node.joinpath(part)
    node = node.joinpath(f"{parts[-1]}.schema.json")
    text = node.read_text(encoding="utf-8")
    return json.loads(text)


@lru_cache(maxsize=None)
def validator(name: str) -> jsonschema.protocols.Validator:
    import jsonschema  # imported only when a document not seen valid before is checked (~0.1 s of start-up)
    schema = load_schema(name)
    # The schemas are package files, not input: each is checked against its metaschema by
    # tests/test_schemas.py, not here (check_schema on every first run cost ~0.3 s with an empty cache).
    return jsonschema.validators.validator_for(schema)(schema)


def shipped() -> list[str]:
    """Every schema `load_schema` can be asked for: those of `parscore/schemas/` and each kind's parameters."""
    root = resources.files("parscore")
    names = [p.name.removesuffix(".schema.json") for p in root.joinpath("schemas").iterdir() if p.name.endswith(".schema.json")]
    kinds = [f"kinds/{k.name}/params" for k in root.joinpath("kinds").iterdir()
             if k.is_dir() and k.joinpath("params.schema.json").is_file()]
    return sorted(names) + sorted(kinds)


def jsonable(value: Any) -> Any:
    """Dates to ISO text and Decimals to numbers, so that JSON Schema can read YAML data."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _describe(err: jsonschema.ValidationError) -> tuple[str, str, str | None, list[str] | None]:
    """(vi, en) sentences for one schema error, plus an unknown key and the allowed keys if that is the problem."""
    v = err.validator
    inst = err.instance
    if v == "required":
        missing = err.message.split("'")[1] if "'" in err.message else err.message
        return f"thiếu trường bắt buộc '{missing}'", f"missing required field '{missing}'", None, None
    if v == "additionalProperties" and isinstance(inst, dict):
        allowed = sorted(err.schema.get("properties", {}))
        extra = sorted(k for k in inst if k not in allowed)
        if extra:
            return "", "", extra[0], allowed
    if v == "enum":
        opts = ", ".join(str(o) for o in err.validator_value)
        return (f"giá trị {inst!r} không hợp lệ; chọn một trong: {opts}",
                f"value {inst!r} is not allowed; choose one of: {opts}", None, None)
    if v == "type":
        want = err.validator_value
        return (f"giá trị {inst!r} phải có kiểu {want}", f"value {inst!r} must be of type {want}", None, None)
    if v in ("oneOf", "anyOf") and isinstance(inst, dict) and "id" in inst:
        return ("mục phải có 'children' (mục cha) hoặc 'rule', 'source' và 'evidence' (tiêu chí lá)",
                "a node needs 'children' (a parent) or 'rule', 'source' and 'evidence' (a leaf)", None, None)
    if v in ("pattern", "anyOf", "format"):
        return (f"giá trị {inst!r} sai định dạng", f"value {inst!r} has the wrong format", None, None)
    if v == "minItems":
        return (f"cần ít nhất {err.validator_value} mục", f"needs at least {err.validator_value} item(s)", None, None)
    if v == "minLength":
        return (f"giá trị {inst!r} quá ngắn (tối thiểu {err.validator_value} ký tự)",
                f"value {inst!r} is too short (at least {err.validator_value} characters)", None, None)
    msg = err.message if len(err.message) < 160 else err.message[:157] + "..."
    return msg, msg, None, None


def validate(doc: Located, name: str, data: Any = None, base: tuple[object, ...] = ()) -> list[InputError]:
    """Every schema error of `doc` (or of `data` found at `base` inside it), located."""
    instance = jsonable(doc.data if data is None else data)
    # A document validated before, byte for byte the same data, against the same schema and code, is valid:
    # only that fact is remembered (an empty marker file in the private cache folder), never the errors.
    seen = cache.digest_of("schema", name, json.dumps(instance, sort_keys=True, ensure_ascii=False, default=str))
    if cache.has_marker(seen):
        return []
    errors: list[InputError] = []
    for err in sorted(validator(name).iter_errors(instance), key=lambda e: [str(p) for p in e.absolute_path]):
        path = base + tuple(err.absolute_path)
        vi, en, extra, allowed = _describe(err)
        if extra is not None:
            key_path = path + (extra,)
            errors.append(InputError("unknown_key", file=doc.file, line=doc.line(key_path), where=readable(doc, key_path),
                                     params={"key": extra, "allowed": ", ".join(allowed or []),
                                             "hint": lambda lang, e=extra, a=allowed: did_you_mean(e, a or [], lang)}))
            continue
        errors.append(InputError("schema", file=doc.file, line=doc.line(path), where=readable(doc, path),
                                 params={"problem_vi": vi, "problem_en": en, "schema": f"{name}.schema.json"}))
    if not errors:
        cache.set_marker(seen)
    return errors


def readable(doc: yamlio.Located, path: tuple[object, ...]) -> str:
    """A tree path with criterion ids: "3.2.1 rule.bands.0" rather than "fields.2.children.1.children.0.rule.bands.0"."""
    data: Any = doc.data
    last_id, rest_from = None, 0
    for k, key in enumerate(path):
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(data, dict) and "id" in data and k >= 1 and path[k - 1] in ("fields", "children"):
            last_id, rest_from = data["id"], k + 1
    if last_id is None:
        return yamlio.where(path)
    rest = yamlio.where(path[rest_from:])
    return f"{last_id} {rest}".strip()
