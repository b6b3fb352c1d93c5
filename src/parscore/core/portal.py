"""The portal-friendly JSON every command writes: one shape, numbers a JavaScript program can read.

Decisions (documented in the README, checked by the schemas in `parscore/schemas/`):

- One top-level shape for every command: `{"schema_version": "2", "kind": <command>, "results": [...]}`,
  whatever the count, plus a few command-level keys (e.g. a batch's framework).
- Every point, index or rate is a JSON *number* rounded half-up to the framework's decimals
  (`83.75`), so `JSON.parse` and `parseFloat` read the figure people see.
- The exact value sits beside it under the object's `exact` key, as text: a terminating decimal
  (`"8.5"`) or a fraction `"p/q"` (`"725/28"`) — a fraction is exact where any decimal string would
  be an approximation, and `Fraction("725/28")` or a big-rational library reads it back.
  `exact` names every numeric key of its object, so consumers need no rule for when it appears.
- Keys are sorted and there is no timestamp: the same inputs give byte-identical JSON.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from parscore.core.numbers import exact_text
from parscore.core.text import Text

SCHEMA_VERSION = "2"
EXACT = "exact"


def number(value: Fraction, decimals: int) -> int | float:
    """`value` rounded half-up to `decimals` places, as a JSON number (an int when it is whole)."""
    d = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    return int(d) if d == d.to_integral_value() else float(d)


def portal(value: Any, decimals: int, skip: frozenset[str] = frozenset()) -> Any:
    """Plain JSON data from records, mappings and sequences; Fractions become rounded numbers plus `exact` text."""
    if isinstance(value, Fraction):
        return number(value, decimals)
    if isinstance(value, Text):
        return value.to_json()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return portal(Fraction(value), decimals)
    if is_dataclass(value) and not isinstance(value, type):
        value = {f.name: getattr(value, f.name) for f in fields(value) if f.name not in skip}
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        exact: dict[str, str] = {}
        for k, v in value.items():
            if k in skip:
                continue
            if isinstance(v, (Fraction, Decimal)) and not isinstance(v, bool):
                exact[str(k)] = exact_text(Fraction(v))
            out[str(k)] = portal(v, decimals, skip)
        if exact:
            out[EXACT] = exact
        return out
    if isinstance(value, (list, tuple)):
        return [portal(v, decimals, skip) for v in value]
    return value


def document(kind: str, results: list[Any], **top: Any) -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, "kind": kind, "results": results, **top}


def dumps(data: Any) -> str:
    """Deterministic JSON text: sorted keys, UTF-8 kept, a final newline."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
