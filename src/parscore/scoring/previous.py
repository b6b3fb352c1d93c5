"""Last year's points, for "this year against last year": from a result we scored, or from a result JSON file.

A result JSON is the portal shape (`{"schema_version", "results": [...]}`); the
exact value of a number is read from the object's `exact` key when present, so
the comparison is exact too.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from parscore.core.errors import InputError, InputErrors
from parscore.core.numbers import NotANumber, fraction
from parscore.scoring.result import Result


@dataclass(frozen=True)
class Previous:
    """Points by node and leaf id, the index, and what they came from."""

    points: Mapping[str, Fraction]
    index: Fraction | None
    label: str


def from_result(result: Result, label: str = "") -> Previous:
    points = {n.id: n.points for n in result.nodes} | {leaf.id: leaf.points for leaf in result.leaves}
    return Previous(points, result.total.index, label or str(result.subject.get("bundle", "")))


def _number(obj: Mapping[str, Any], key: str, file: str, where: str) -> Fraction | None:
    raw = (obj.get("exact") or {}).get(key, obj.get(key))
    if raw is None:
        return None
    try:
        return fraction(raw)
    except (NotANumber, TypeError):
        raise InputErrors([InputError("previous_bad_value", file=file, where=f"{where}.{key}", value=raw)]) from None


def from_json(path: str | Path, framework_id: str) -> Previous:
    """The result for `framework_id` in a result JSON file written by `parscore score --format json`."""
    file = str(path)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputErrors([InputError("file_missing", file=file)]) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputErrors([InputError("previous_not_json", file=file, params={"problem": str(exc)[:120]})]) from None
    results = data.get("results") if isinstance(data, dict) else None
    if not isinstance(results, list):
        raise InputErrors([InputError("previous_not_json", file=file, params={"problem": "no 'results' list"})])
    found = [r for r in results if isinstance(r, dict) and (r.get("framework") or {}).get("id") == framework_id]
    if not found:
        ids = sorted(str((r.get("framework") or {}).get("id")) for r in results if isinstance(r, dict))
        raise InputErrors([InputError("previous_no_framework", file=file,
                                      params={"framework": framework_id, "found": ", ".join(ids) or "—"})])
    r = found[0]
    points: dict[str, Fraction] = {}
    for key in ("nodes", "leaves"):
        for k, item in enumerate(r.get(key) or []):
            value = _number(item, "points", file, f"results[{results.index(r)}].{key}[{k}]")
            if value is not None and "id" in item:
                points[str(item["id"])] = value
    index = _number(r.get("total") or {}, "index", file, "total")
    subject = r.get("subject") or {}
    return Previous(points, index, str(subject.get("bundle") or file))
