"""Cells of exported spreadsheets (CSV, xlsx): made inert against formula injection."""
from __future__ import annotations

from typing import Any

# A spreadsheet runs a cell that starts with one of these as a formula ("=HYPERLINK(…)" in a commune's
# name would run when the ranking is opened); text cells of exports get a leading apostrophe (OWASP advice).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def cell_text(value: Any) -> Any:
    """A text cell made inert for spreadsheets; other values unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
