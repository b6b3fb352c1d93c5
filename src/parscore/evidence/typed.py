"""A bundle's typed tables, held as Arrow columns; a pandas frame is built only for whoever asks for one.

The derivation reads the Arrow columns as they are (DuckDB scans them in place), so a province's export of
millions of dossiers is never turned into Python objects. Code that edits records (a what-if, the watch
generator) asks for the pandas frame, which has exactly the dtypes `tables.type_table` gives:

    date, datetime   datetime64[ns] (NaT where blank)
    int              int64 when the column has a default, else Int64 (float64 if a cell is blank)
    decimal          float64
    bool             bool
    enum, string,    object (None where blank)
    path
    list             object, one tuple per cell
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator, Mapping, MutableMapping

import numpy as np
import pandas as pd
import pyarrow as pa

if TYPE_CHECKING:
    from parscore.evidence.tables import TableSpec

ROW = "_row"  # the source row number of each record (evidence.tables.ROW)


def arrow_type(kind: str) -> pa.DataType:
    """The Arrow type a column of this spec type is held in (and that the SQL plan reads)."""
    if kind in ("date", "datetime"):
        return pa.timestamp("us")
    if kind in ("int", "decimal"):
        return pa.float64()
    if kind == "bool":
        return pa.bool_()
    if kind == "list":
        return pa.list_(pa.string())
    return pa.string()


def arrow_of(frame: pd.DataFrame, spec: TableSpec | None) -> pa.Table:
    """A typed pandas table as Arrow columns of the types `arrow_type` names (columns the spec does not name,
    such as the source row, as pandas gives them)."""
    kinds = {c.name: c.type for c in spec.columns} if spec else {}
    names = [str(name) for name in frame.columns]
    arrays = [arrow_column(frame[name], kinds.get(str(name))) for name in frame.columns]
    return pa.Table.from_arrays(arrays, names=names)


def arrow_column(s: pd.Series, kind: str | None) -> pa.Array:
    """One typed pandas column as the Arrow array `arrow_type(kind)` names (None: as pandas gives it)."""
    if kind is None:
        return pa.array(s, from_pandas=True)
    held = arrow_type(kind)
    if pa.types.is_list(held):
        values: Any = [None if v is None or (isinstance(v, float) and np.isnan(v)) else list(v) for v in s]
        return pa.array(values, type=held)
    if pa.types.is_timestamp(held):
        return pa.array(pd.to_datetime(s).astype("datetime64[us]"), type=held, from_pandas=True)
    if held == pa.string() or s.dtype == object:
        return pa.array(s.astype(object).where(s.notna(), None), type=held, from_pandas=True)
    return pa.array(s, type=held, from_pandas=True)


def plain(column: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
    """A column with its dictionary (if it is held as one) spelled out."""
    return column.cast(column.type.value_type) if pa.types.is_dictionary(column.type) else column


def plain_table(table: pa.Table) -> pa.Table:
    if not any(pa.types.is_dictionary(t) for t in table.schema.types):
        return table
    return pa.table({name: plain(col) for name, col in zip(table.column_names, table.columns)})


def constant(value: Any, n: int, kind: pa.DataType) -> pa.DictionaryArray:
    """`n` cells of one value (None: blank) held as a dictionary of that value: a column a bundle leaves out
    costs a byte a row, not eight (ten million dossiers, nine date columns)."""
    if value is None:
        return pa.DictionaryArray.from_arrays(pa.nulls(n, pa.int8()), pa.array([], kind))
    # Indices all 0 into one value: within range by construction, not checked again (half a millisecond a million).
    return pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, dtype=np.int8)), pa.array([value], kind), safe=False)


def _objects(column: pa.ChunkedArray | pa.Array) -> np.ndarray:
    out = np.empty(len(column), dtype=object)
    out[:] = column.to_pylist()
    return out


def frame_of(table: pa.Table, spec: TableSpec) -> pd.DataFrame:
    """The pandas frame of an Arrow-held typed table, in `type_table`'s dtypes."""
    cols = {c.name: c for c in spec.columns}
    out: dict[str, Any] = {}
    for name in table.column_names:
        column = plain(table.column(name))
        col = cols.get(name)
        if col is None:  # the source row
            out[name] = column.to_numpy()
        elif col.type in ("date", "datetime"):
            out[name] = pd.Series(column.to_numpy(), dtype="datetime64[us]").astype("datetime64[ns]")
        elif col.type == "int":
            values = pd.Series(column.to_numpy(zero_copy_only=False), dtype=float)
            if col.default is not None:
                out[name] = values.astype(np.int64)
            else:
                out[name] = values if values.isna().any() else values.astype("Int64")
        elif col.type == "decimal":
            out[name] = pd.Series(column.to_numpy(zero_copy_only=False), dtype=float)
        elif col.type == "bool":
            out[name] = np.asarray(column.to_numpy(zero_copy_only=False), dtype=bool)
        elif col.type == "list":
            values = np.empty(len(column), dtype=object)
            values[:] = [() if v is None else tuple(v) for v in column.to_pylist()]
            out[name] = pd.Series(values, dtype=object)
        else:
            out[name] = pd.Series(_objects(column), dtype=object)
    return pd.DataFrame(out)


class Tables(MutableMapping[str, pd.DataFrame]):
    """Table name -> typed records. Each is held either as Arrow columns (read from a text export) or as a
    pandas frame (a workbook's sheet, or records a what-if edited); both views are given on demand and kept."""

    def __init__(self, specs: Mapping[str, TableSpec]):
        self._specs = specs
        self._arrow: dict[str, pa.Table] = {}
        self._frames: dict[str, pd.DataFrame] = {}
        self._order: dict[str, None] = {}  # tables in the order they were given, as a dict would keep them

    def put_arrow(self, name: str, table: pa.Table) -> None:
        self._frames.pop(name, None)
        self._arrow[name] = table
        self._order.setdefault(name)

    def arrow(self, name: str) -> pa.Table:
        """The table as Arrow columns (built from its frame once, if it was given as one)."""
        if name not in self._arrow:
            self._arrow[name] = arrow_of(self._frames[name], self._specs.get(name))
        return self._arrow[name]

    def rows(self, name: str) -> int:
        return self._arrow[name].num_rows if name in self._arrow else len(self._frames[name])

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._frames:
            if name not in self._arrow:
                raise KeyError(name)
            self._frames[name] = frame_of(self._arrow[name], self._specs[name])
        return self._frames[name]

    def __setitem__(self, name: str, frame: pd.DataFrame) -> None:
        self._arrow.pop(name, None)
        self._frames[name] = frame
        self._order.setdefault(name)

    def __delitem__(self, name: str) -> None:
        if name not in self._arrow and name not in self._frames:
            raise KeyError(name)
        self._arrow.pop(name, None)
        self._frames.pop(name, None)
        del self._order[name]

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._order))

    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, name: object) -> bool:
        return name in self._arrow or name in self._frames

    def __repr__(self) -> str:
        return f"Tables({', '.join(f'{n}: {self.rows(n)} rows' for n in self)})"


def arrow_table(tables: Mapping[str, pd.DataFrame], name: str, spec: TableSpec | None) -> pa.Table:
    """A table of `tables` as Arrow columns, whether `tables` is a `Tables` or a plain dict of frames."""
    return tables.arrow(name) if isinstance(tables, Tables) else arrow_of(tables[name], spec)
