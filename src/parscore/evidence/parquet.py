"""Typed Parquet columns (timestamps, dates, integers, floats, booleans) mapped straight to parscore's types.

A database or pandas writes its export with typed columns. Each such column is typed here in Arrow, without
a Python object per cell, into the Arrow type `typed.arrow_type` names, checked for whatever typing the same
value as a Python cell (as `tables.type_table` reads an .xlsx sheet's cells) would refuse or warn about: a
date outside the plausible range, a fraction where a count is expected, a number below its minimum or over its
maximum, too many digits or decimals, NaN or infinity, a blank required cell. Such a cell is only marked: its
row is typed again, whole, by `type_table`, which reports it located (file, row, column, value) exactly as
before. A typed column of a kind with no reading here (a number in a date column, a timestamp in a text
column, a Parquet DECIMAL) is marked whole: every row takes that general path.

Text columns (and dictionaries of text) are not typed here but by `evidence.columnar`'s text paths; integer
columns holding text-like fields (ids, codes) are spelled as text there first.
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from parscore.core.dates import TZ
from parscore.core.numbers import MAX_DECIMALS, MAX_INTEGER_DIGITS
from parscore.evidence.tables import DATE_HIGH, DATE_LOW, ColumnSpec
from parscore.evidence.typed import arrow_type

__all__ = ["typed_column", "spelled_as_text"]

TEXT_KINDS = ("string", "path", "enum", "list")


def spelled_as_text(cells: pa.Array, col: ColumnSpec) -> pa.Array | None:
    """An integer column where text is expected (an id, a code) as the text `str()` gives each value, or None.
    Arrow writes an integer as Python does; a float or a boolean it writes otherwise ("1" for 1.0, "true" for
    True), so those take the general path."""
    if col.type in TEXT_KINDS and pa.types.is_integer(cells.type):
        return pc.cast(cells, pa.string()).fill_null("")
    return None


def typed_column(cells: pa.Array, col: ColumnSpec) -> tuple[pa.Array, np.ndarray]:
    """A typed (not text) column as (typed cells, marked cells): the marked ones to be typed again by
    `tables.type_table`."""
    kind = cells.type
    if col.type in ("date", "datetime") and (pa.types.is_timestamp(kind) or pa.types.is_date(kind)):
        return _moments(cells, col)
    if col.type in ("int", "decimal") and (pa.types.is_integer(kind) or pa.types.is_floating(kind)):
        return _numbers(cells, col)
    if col.type == "bool" and pa.types.is_boolean(kind):
        return _booleans(cells, col)
    return pa.nulls(len(cells), arrow_type(col.type)), np.ones(len(cells), dtype=bool)


def _mask(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return np.asarray(pc.fill_null(values, False).to_numpy(zero_copy_only=False), dtype=bool)


def _blank(cells: pa.Array, col: ColumnSpec) -> np.ndarray:
    """The blank cells of a required column: refused (empty_cell), so marked."""
    if not col.required:
        return np.zeros(len(cells), dtype=bool)
    return np.asarray(cells.is_null().to_numpy(zero_copy_only=False), dtype=bool)


def _moments(cells: pa.Array, col: ColumnSpec) -> tuple[pa.Array, np.ndarray]:
    """Timestamps and dates as naive Vietnam wall time (`core.dates.parse_datetime`): an instant with a time
    zone converted to Asia/Ho_Chi_Minh, a date at midnight; a `date` column at its day."""
    marked = _blank(cells, col)
    if pa.types.is_date(cells.type):
        cells = pc.cast(cells, pa.timestamp("s"))
    unit, tz = cells.type.unit, cells.type.tz
    if tz is not None:
        try:
            cells = pc.local_timestamp(pc.cast(cells, pa.timestamp(unit, str(TZ))))
        except pa.ArrowException:  # Arrow finds no time zone database here: Python's zoneinfo converts, cell by cell
            return pa.nulls(len(cells), pa.timestamp("us")), np.ones(len(cells), dtype=bool)
    # Compared in the column's own unit, before any cast: a year 9999 in seconds does not fit in nanoseconds.
    low, high = pa.scalar(DATE_LOW, pa.timestamp("us")), pa.scalar(DATE_HIGH, pa.timestamp("us"))
    if unit != "ns":  # every unit but nanoseconds holds the range exactly; nanoseconds hold 1677–2262, wider than it
        low, high = pc.cast(low, pa.timestamp(unit)), pc.cast(high, pa.timestamp(unit))
    outside = _mask(pc.or_(pc.less(cells, low), pc.greater(cells, high)))
    if unit == "ns":  # a nanosecond Python cannot hold: pandas drops it, with a warning; left to that path
        nanos = np.asarray(pc.fill_null(pc.cast(cells, pa.int64()), 0).to_numpy(zero_copy_only=False))
        outside |= nanos % 1000 != 0
    marked |= outside
    kept = pc.if_else(pa.array(outside), pa.scalar(None, cells.type), cells)
    values = pc.cast(kept, pa.timestamp("us"))
    if col.type == "date":
        values = pc.floor_temporal(values, unit="day")
    return values, marked


def _numbers(cells: pa.Array, col: ColumnSpec) -> tuple[pa.Array, np.ndarray]:
    """Numbers as float64, a blank (null, or NaN as pandas reads it) taking the column's default."""
    values = np.asarray(pc.cast(cells, pa.float64(), safe=False).to_numpy(zero_copy_only=False), dtype=float)
    blank = np.isnan(values)  # a null too
    marked = blank & bool(col.required)
    with np.errstate(invalid="ignore", over="ignore"):
        present = ~blank
        # core.numbers.parse_decimal refuses infinity, more than MAX_INTEGER_DIGITS digits and more than
        # MAX_DECIMALS decimals (a float's shortest text: rounding it to them changes it exactly when it has more).
        marked |= present & ~(np.abs(values) < 10.0 ** MAX_INTEGER_DIGITS)
        if pa.types.is_floating(cells.type):
            marked |= present & (np.round(values, MAX_DECIMALS) != values)
        if col.type == "int":
            marked |= present & (values % 1 != 0)
        low = col.min if col.min is not None else 0
        marked |= present & (values < low)
        if col.max is not None:
            marked |= present & (values > col.max)
    values = values.copy()
    values[marked] = np.nan  # retyped in place
    if col.default is not None:
        values[blank] = col.default
    return pa.array(values, type=pa.float64(), mask=np.isnan(values)), marked


def _booleans(cells: pa.Array, col: ColumnSpec) -> tuple[pa.Array, np.ndarray]:
    return pc.fill_null(cells, bool(col.default)), _blank(cells, col)
