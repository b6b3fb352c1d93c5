"""The derivation vocabulary's static side: which columns a condition or computed column names."""
from __future__ import annotations

from typing import Any

SPECIAL_OPERANDS = ("period_start", "period_end")
SHAPE = {"numerator": "ratio", "minus": "ratio", "group_by": "ratio", "count": "count", "first": "date", "last": "date", "series": "date_series"}


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
