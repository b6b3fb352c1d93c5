"""Typing a text table column by column in Arrow, with `tables.type_table` as the judge of every odd cell.

A one-stop export of a large province is millions of rows of a few shapes: dates as dd/mm/yyyy hh:mm,
plain numbers, ids, and a handful of distinct statuses, procedures and yes/no marks. Each column is typed
here without building a Python object per cell:

- a column of few distinct texts (statuses, procedures, yes/no, legal days) is typed once per distinct
  text by `tables.type_column` itself, and the result spread back over the rows;
- a column of many distinct texts is typed by an Arrow pattern of the export's own shape (dates in the
  export's forms, plain ASCII numbers, ids without surrounding spaces).

A cell either path does not accept as plainly valid (a refused cell, a cell that earns a warning, a text
date, a decimal comma, a blank in a required column) marks its row, and the marked rows are typed again,
whole, by `type_table`, which reports them exactly as it always has: the fast path only ever answers for
cells on which the two cannot differ (tests/test_columnar.py compares them cell by cell).
"""
from __future__ import annotations

import itertools
import os
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from parscore.core.errors import Collector
from parscore.core.numbers import MAX_DECIMALS, MAX_INTEGER_DIGITS
from parscore.evidence.tables import (ROW, CellSink, ColumnSpec, Evidence, RawTable, TableSpec, check_document_files,
                                      check_references, duplicate_keys, fast_dmy, nfc, grouped_cells, map_headers, table_specs,
                                      type_column, type_table, default_column, is_text)
from parscore.evidence.parquet import spelled_as_text, typed_column
from parscore.evidence.typed import Tables, arrow_column, arrow_of, arrow_type, constant, plain, plain_table

__all__ = ["check_tables", "type_bundles", "type_cells"]

REMEMBERED = 256  # distinct texts of a column up to which their typing is remembered (see _typed_texts)
PARALLEL_ROWS = 200_000  # a table read whole with this many rows has its columns typed by two threads
SAMPLE = 4096  # rows looked at to tell a column of few distinct texts from one of many
FEW = 1024  # at most this many distinct texts in the sample, and
FEW_SHARE = 4  # at most a quarter of its rows: typed once per distinct text (dates and ids of a small table are not)
MANY_SHARE = 16  # a long column of dates or numbers with repeats in its sample, and at most a sixteenth of its rows
# distinct in all: typed once per distinct text too (some 1 µs a text, against 0.2 µs a row for a date by shape)
_BLANKISH = pa.array(["nan", "NaT", "None"])  # cells type_table reads as blank in some columns only: left to it
_PLAIN_NUMBER = rf"^[+-]?[0-9]{{1,{MAX_INTEGER_DIGITS}}}(?:\.[0-9]{{1,{MAX_DECIMALS}}})?$"
_ONE_GROUP = r"^[0-9]{1,3}\.[0-9]{3}$"  # tables._ONE_GROUP on a plain number


class Marks(CellSink):
    """Only marks the cells typing refuses or warns about."""

    def __init__(self, n: int):
        self.mask = np.zeros(n, dtype=bool)

    def bad(self, mask: np.ndarray, code: str, **kw: Any) -> None:
        self.mask |= mask

    def bad_enum(self, mask: np.ndarray, allowed: str, choices: list[str]) -> None:
        self.mask |= mask

    def grouping(self, s: pd.Series, nums: pd.Series) -> None:
        self.mask |= grouped_cells(s)


_TYPED: dict[tuple[str, ColumnSpec, tuple[str, ...]], tuple[pa.Array, np.ndarray]] = {}


def _typed_texts(spec: TableSpec, col: ColumnSpec, texts: tuple[str, ...]) -> tuple[pa.Array, np.ndarray]:
    """The distinct texts of a column typed by `type_column`, and which of them it refuses or warns about.
    Remembered for small sets (a batch's thousands of communes write the same statuses, marks and legal
    times), keyed by the column's whole specification and the texts."""
    key = (spec.name, col, texts)
    known = _TYPED.get(key)  # one lookup: another thread may clear the dict between two
    if known is not None:
        return known
    marks = Marks(len(texts))
    typed = type_column(pd.Series(nfc(texts), dtype=object), col, spec.name, marks)
    values = arrow_column(pd.Series(typed) if isinstance(typed, np.ndarray) else typed, col.type)
    marks.mask.flags.writeable = False  # shared by every later call with the same texts
    if len(texts) <= REMEMBERED:
        if len(_TYPED) >= 4096:
            _TYPED.clear()
        _TYPED[key] = (values, marks.mask)
    return values, marks.mask


def _by_distinct(cells: pa.Array, col: ColumnSpec, spec: TableSpec) -> tuple[pa.Array, np.ndarray]:
    """Each distinct text typed once by `type_column`; (typed cells, marked cells)."""
    encoded = cells if pa.types.is_dictionary(cells.type) else pc.dictionary_encode(cells)
    texts = tuple(encoded.dictionary.to_pylist())
    values, marks = _typed_texts(spec, col, texts)
    indices = encoded.indices
    # Spread over the rows only when some distinct text is marked (a clean column: none is).
    marked = marks[indices.to_numpy(zero_copy_only=False)] if marks.any() else np.zeros(len(indices), dtype=bool)
    if pa.types.is_boolean(values.type) and not values.null_count:
        return _yes_no(values, indices), marked
    if not (pa.types.is_list(values.type) or pa.types.is_boolean(values.type)) and len(values) < 2**15:
        # The column stays a dictionary (a status, a procedure name or a legal time held once, two bytes a
        # row): a province's ten million dossiers would otherwise hold each name ten million times.
        return _dictionary(indices, values), marked
    return values.take(indices), marked


def _dictionary(indices: pa.Array, values: pa.Array) -> pa.DictionaryArray:
    """The rows' indices (int32, as read or encoded) into their typed distinct values, as a dictionary of int16
    indices. Indices without a gap, seen to lie within the values (one pass, a twentieth of a millisecond
    a million rows), need neither the cast nor the dictionary check again, each of which passes over them."""
    if not indices.null_count:
        least, most = (v.as_py() for v in pc.min_max(indices).values())
        if least is None or (least >= 0 and most < len(values)):
            return pa.DictionaryArray.from_arrays(indices.cast(pa.int16(), safe=False), values, safe=False)
    return pa.DictionaryArray.from_arrays(indices.cast(pa.int16()), values)


def _yes_no(values: pa.BooleanArray, indices: pa.Array) -> pa.Array:
    """A yes/no column from its rows' indices into its typed distinct values (none missing): when at most one
    of them is yes (or no), a comparison of the indices, a third of the cost of taking each row's value."""
    if not pa.types.is_signed_integer(indices.type):  # -1, "no such value", must be a possible index
        return values.take(indices)
    flags = np.asarray(values.to_numpy(zero_copy_only=False), dtype=bool)
    yes, no = np.flatnonzero(flags), np.flatnonzero(~flags)
    if len(yes) <= 1:
        return pc.equal(indices, pa.scalar(int(yes[0]) if len(yes) else -1, indices.type))
    if len(no) <= 1:
        return pc.not_equal(indices, pa.scalar(int(no[0]) if len(no) else -1, indices.type))
    return values.take(indices)


def _empty(cells: pa.Array) -> np.ndarray:
    return np.asarray(pc.equal(cells, "").to_numpy(zero_copy_only=False), dtype=bool)


def _odd(cells: pa.Array) -> np.ndarray:
    return np.asarray(pc.is_in(cells, value_set=_BLANKISH).to_numpy(zero_copy_only=False), dtype=bool)


def _dates(cells: pa.Array, col: ColumnSpec) -> tuple[pa.Array, np.ndarray]:
    values, done = fast_dmy(cells)
    if col.type == "date":
        values = values.astype("datetime64[D]").astype("datetime64[ns]")
    empty = _empty(cells)
    marked = ~done & ~empty | (empty & col.required)
    return pa.array(values.astype("datetime64[us]"), type=pa.timestamp("us"), mask=~done), marked


def _numbers(cells: pa.Array, col: ColumnSpec) -> tuple[pa.Array, np.ndarray]:
    plain = np.asarray(pc.fill_null(pc.match_substring_regex(cells, _PLAIN_NUMBER), False).to_numpy(zero_copy_only=False), dtype=bool)
    empty = _empty(cells)
    values = np.full(len(cells), np.nan)
    if plain.any():
        idx = np.flatnonzero(plain)
        values[idx] = pc.cast(cells.take(pa.array(idx)), pa.float64()).to_numpy(zero_copy_only=False)
    marked = (~plain & ~empty) | (empty & col.required)
    with np.errstate(invalid="ignore"):
        if col.type == "int":
            marked |= plain & (values % 1 != 0)
        else:  # "50.000": a warning type_table gives, located
            marked |= plain & np.asarray(pc.match_substring_regex(cells, _ONE_GROUP).to_numpy(zero_copy_only=False), dtype=bool)
        low = col.min if col.min is not None else 0
        marked |= plain & (values < low)
        if col.max is not None:
            marked |= plain & (values > col.max)
    if col.default is not None:
        values[empty] = col.default
    return pa.array(values, type=pa.float64(), mask=np.isnan(values)), marked


def _ends(cells: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """Each text cell's length in bytes, its first and last byte (0 for an empty or missing cell), and whether
    every byte is ASCII: read from the array's offsets and data, with no pass of a regular expression over a
    million cells (55 ms for the ids of 10^6 dossiers; this, 4 ms). The lengths come from Arrow, whose pool
    keeps its memory: a numpy array of a million offsets is fresh memory from the system each time, and
    faulting its pages in cost more than the rest together (10-35 ms a call, in a loaded machine)."""
    n = len(cells)
    _, offsets_buffer, data_buffer = cells.buffers()[:3]
    length = np.asarray(pc.binary_length(cells).fill_null(0))  # a missing cell has no text, whatever its offsets say
    if data_buffer is None or not data_buffer.size:
        return length, np.zeros(n, dtype=np.uint8), np.zeros(n, dtype=np.uint8), True
    wide: type[np.integer[Any]] = np.int64 if pa.types.is_large_string(cells.type) else np.int32
    offsets = np.frombuffer(offsets_buffer, dtype=wide)[cells.offset:cells.offset + n + 1]
    data = np.frombuffer(data_buffer, dtype=np.uint8)
    # An empty cell's offset may be the data's end, and one before the first cell's -1: clipped into the data,
    # then set to 0. No other offset is past its end.
    first = data.take(offsets[:-1], mode="clip")
    last = data.take(offsets[1:] - 1, mode="clip")
    none = length == 0
    first[none] = 0
    last[none] = 0
    ascii = int(data[offsets[0]:offsets[-1]].max(initial=0)) < 0x80
    return length, first, last, ascii


def _printable(byte: np.ndarray) -> np.ndarray:
    return (byte >= 0x21) & (byte <= 0x7E)  # [!-~]: printable ASCII, no space


def _texts(cells: pa.Array, col: ColumnSpec) -> tuple[pa.Array, np.ndarray]:
    length, first, last, ascii = _ends(cells)
    # Plain: printable ASCII at both ends, nothing a strip() could take off (the first and last bytes are
    # the first and last characters exactly when they are ASCII: every byte of a longer UTF-8 character is
    # 0x80 or more).
    plain = _printable(first) & _printable(last)
    empty = length == 0
    if cells.null_count:
        empty &= np.asarray(cells.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    # The texts type_table reads as blank in some columns ("nan", "NaT", "None") are looked for only among
    # the cells of their length and first letter.
    maybe = ((length == 3) | (length == 4)) & ((first == ord("n")) | (first == ord("N")))
    odd = np.zeros(len(cells), dtype=bool)
    if maybe.any():
        at = np.flatnonzero(maybe)
        odd[at] = _odd(cells.take(pa.array(at)))
    marked = (~plain & ~empty) | odd | (empty & col.required)
    if not ascii:
        cells = pc.utf8_normalize(cells, "NFC")
    cells = pc.cast(cells, pa.string())
    if not empty.any():
        return cells, marked
    return pc.if_else(pa.array(empty), pa.scalar(None, pa.string()), cells), marked


_BY_SHAPE = {"datetime": _dates, "date": _dates, "int": _numbers, "decimal": _numbers, "string": _texts, "path": _texts}


def _column(cells: pa.Array, col: ColumnSpec, spec: TableSpec) -> tuple[pa.Array, np.ndarray]:
    if not is_text(cells.type):  # a typed Parquet column
        spelled = spelled_as_text(cells, col)
        if spelled is None:
            return typed_column(cells, col)
        cells = spelled
    if pa.types.is_dictionary(cells.type):  # a Parquet column of repeated values, read as its dictionary
        if len(cells.dictionary) * FEW_SHARE <= max(len(cells), 64) and not cells.dictionary.null_count:
            return _by_distinct(cells, col, spec)
        cells = plain(cells)
    shaped = _BY_SHAPE.get(col.type)
    sample = cells.slice(0, SAMPLE)
    distinct = len(pc.unique(sample))
    # Text is typed once per distinct text whenever it has few (a strip and NFC per text: the shape path would
    # send every Vietnamese title back to type_table); dates and numbers only when they repeat.
    if shaped is None or (distinct <= FEW and (col.type in ("string", "path") or distinct * FEW_SHARE <= max(len(sample), 64))):
        return _by_distinct(cells, col, spec)
    if col.type not in ("string", "path") and len(cells) > len(sample) and distinct * 2 <= len(sample) and not cells.null_count:
        # A day's dossiers share their dates: a CSV export's 10^6 receipt times are some 1,500 texts, more than
        # FEW in the sample but few in all. Counted over the whole column (15 ms a million cells), and typed
        # once each when they are few (10^6 dates: 215 -> 22 ms); the text path is as fast as counting.
        encoded = pc.dictionary_encode(cells)
        if len(encoded.dictionary) * MANY_SHARE <= len(cells):
            return _by_distinct(encoded, col, spec)
    return shaped(cells, col)


def type_cells(raw: RawTable, spec: TableSpec, c: Collector, warnings: list[Any] | None = None) -> pa.Table | None:
    """A text table (`raw.cells`, or the blocks of `raw.stream`) typed into the Arrow columns
    `typed.arrow_type` names, every problem reported as `type_table` reports it. None when a required
    column is missing."""
    blocks = iter([raw]) if raw.stream is None else raw.stream.blocks()
    first = next(blocks, None)
    if first is None:
        return None
    before = len(c.errors)
    positions = map_headers(first, spec, c)
    if len(c.errors) > before and any(e.code == "missing_column" for e in c.errors[before:]):
        return None
    if raw.stream is None:
        table = _block(first, spec, positions, c, warnings, parallel=True)
    else:
        table = _concat(_blocks(itertools.chain([first], blocks), spec, positions, c, warnings))
        pa.default_memory_pool().release_unused()  # the blocks' text: given back, not kept by the allocator
    _check_keys(table, spec, first, positions, c)
    return table


def _check_keys(table: pa.Table, spec: TableSpec, raw: RawTable, positions: dict[str, int], c: Collector) -> None:
    """A key given twice, located as type_table locates it."""
    if spec.key and spec.key in positions:
        keys = plain(table.column(spec.key))
        if _repeats(keys):
            duplicate_keys(pd.Series(keys.to_pylist(), dtype=object), table.column(ROW).to_numpy(), raw,
                           positions[spec.key], spec.key, c)


def _blocks(blocks: Iterator[RawTable], spec: TableSpec, positions: dict[str, int], c: Collector,
            warnings: list[Any] | None) -> list[pa.Table]:
    """The blocks of a large export typed by a few threads while the next ones are read (Arrow's kernels
    let go of the interpreter), put back in order with their errors and warnings. A refused table's first
    faulty block says enough: reading stops there."""
    workers = max(1, min(os.cpu_count() or 1, 2))  # each holds a block's text and its typing: memory, not only speed
    parts: list[pa.Table] = []

    def one(block: RawTable) -> tuple[pa.Table, Collector, list[Any]]:
        own: Collector = Collector()
        said: list[Any] = []
        return _block(block, spec, positions, own, said), own, said

    with ThreadPoolExecutor(workers) as pool:
        pending: deque[Future[tuple[pa.Table, Collector, list[Any]]]] = deque()
        for block in blocks:
            pending.append(pool.submit(one, block))
            while len(pending) > workers and _take(pending.popleft(), parts, c, warnings):
                for f in pending:
                    f.cancel()
                return parts
        while pending:
            if _take(pending.popleft(), parts, c, warnings):
                for f in pending:
                    f.cancel()
                break
    return parts


def _take(done: Future[tuple[pa.Table, Collector, list[Any]]], parts: list[pa.Table], c: Collector,
          warnings: list[Any] | None) -> bool:
    """A typed block's rows, errors and warnings gathered; whether it had errors."""
    table, own, said = done.result()
    parts.append(table)
    c.extend(own.errors)
    if warnings is not None:
        warnings.extend(said)
    return bool(own.errors)


def _repeats(keys: pa.ChunkedArray) -> bool:
    """Whether a key is given twice: sorted, a repeat sits next to itself (ten times faster than counting
    distinct keys with a hash table, at a million ids). An export is most often written in the order of its
    ids: keys that already rise strictly from row to row are all different, and need no sorting (3 ms for a
    million ids, against 40 ms)."""
    keys = keys.drop_null() if keys.null_count else keys
    if len(keys) < 2:
        return False
    if pc.all(pc.greater(keys.slice(1), keys.slice(0, len(keys) - 1))).as_py():
        return False
    ordered = keys.take(pc.sort_indices(keys))
    return bool(pc.any(pc.equal(ordered.slice(1), ordered.slice(0, len(ordered) - 1))).as_py())


def _block(raw: RawTable, spec: TableSpec, positions: dict[str, int], c: Collector, warnings: list[Any] | None,
           parallel: bool = False) -> pa.Table:
    assert raw.cells is not None
    cells = raw.cells
    present = [col for col in spec.columns if col.name in positions]

    def one(col: ColumnSpec) -> tuple[pa.Array, np.ndarray]:
        return _column(cells.column(positions[col.name]).combine_chunks(), col, spec)
    if parallel and cells.num_rows >= PARALLEL_ROWS:  # a large table read whole: its columns typed by two threads
        with ThreadPoolExecutor(min(os.cpu_count() or 1, 2)) as pool:
            done = dict(zip([col.name for col in present], pool.map(one, present)))
    else:
        done = {col.name: one(col) for col in present}
    return _assemble(raw, spec, positions, done, c, warnings)


def _assemble(raw: RawTable, spec: TableSpec, positions: dict[str, int], typed: dict[str, tuple[pa.Array, np.ndarray]],
              c: Collector, warnings: list[Any] | None) -> pa.Table:
    """A table of `raw`'s rows from its typed columns ((values, marked cells) by name; the absent ones take their
    default), its marked rows typed again by `type_table` and reported."""
    assert raw.cells is not None
    n = raw.cells.num_rows
    marked = np.zeros(n, dtype=bool)
    columns: dict[str, Any] = {ROW: raw.cells.column(ROW).combine_chunks()}
    for col in spec.columns:
        if col.name in typed:
            columns[col.name], odd = typed[col.name]
            marked |= odd
        else:
            columns[col.name] = _absent(col, n, spec)
    table = pa.table(columns)
    if marked.any():
        table = _retype(raw, spec, positions, table, marked, c, warnings)
    return table


def _absent(col: ColumnSpec, n: int, spec: TableSpec) -> pa.Array:
    """A column the export leaves out: its default (or blank) in every row."""
    if col.type == "list":
        return arrow_of(pd.DataFrame({col.name: default_column(col, n)}), spec).column(0).combine_chunks()
    default = bool(col.default) if col.type == "bool" else col.default
    return constant(default, n, arrow_type(col.type))


def _concat(parts: list[pa.Table]) -> pa.Table:
    if len(parts) == 1:
        return parts[0]
    if len({p.schema for p in parts}) > 1:  # a column typed by distinct texts in one block, by shape in another
        parts = [plain_table(p) for p in parts]
    return pa.concat_tables(parts)


def _retype(raw: RawTable, spec: TableSpec, positions: dict[str, int], table: pa.Table, marked: np.ndarray,
            c: Collector, warnings: list[Any] | None) -> pa.Table:
    """The marked rows typed (and reported) by `type_table`, put back in their places."""
    idx = np.flatnonzero(marked)
    some = RawTable(raw.name, raw.file, raw.headers, raw.texts(idx), raw.sheet, raw.header_row)
    typed = type_table(some, spec, c, warnings, positions=positions, duplicates=False)
    assert typed is not None
    table = plain_table(table)
    retyped = arrow_of(typed, spec).select(table.column_names).cast(table.schema)
    kept = np.flatnonzero(~marked)
    order = np.argsort(np.concatenate([kept, idx]), kind="stable")
    return pa.concat_tables([table.take(pa.array(kept)), retyped]).take(pa.array(order))


def check_tables(evidence: Evidence, raws: Iterable[RawTable], root: Path, c: Collector) -> None:
    """A bundle's typed tables checked as a whole (references, attached files), unless typing found errors."""
    if not c.errors:
        by_name = {raw.name: raw for raw in raws}
        check_references(evidence, table_specs(), by_name, c)
        check_document_files(evidence, root, by_name.get("documents"), c)


def type_bundles(bundles: Sequence[tuple[Sequence[RawTable], Collector]]) -> list[Evidence]:
    """Each bundle's tables typed, into its own collector and warnings, exactly as it would be typed alone.

    A batch reads hundreds of communes of a few thousand records each: typed one by one, each column of each
    table costs a dozen Arrow calls whatever its length, and those fixed costs were most of the typing. The
    bundles whose tables are all text exports read whole have each table typed together (`_together`: one
    pass per column over all their rows); the others (a workbook, a streamed or re-decoded export) alone."""
    specs = table_specs()
    out = [Evidence(tables=Tables(specs)) for _ in bundles]
    joint = [i for i, (raws, _) in enumerate(bundles)
             if len(bundles) > 1 and all(r.cells is not None and r.stream is None for r in raws)]
    alone = set(range(len(bundles))) - set(joint)
    for i in sorted(alone):
        _type_alone(bundles[i][0], bundles[i][1], out[i])
    for name, spec in specs.items():
        having = [(i, raw) for i in joint for raw in bundles[i][0] if raw.name == name]
        if len(having) == 1:
            (i, raw), = having
            _put(out[i], raw, type_cells(raw, spec, bundles[i][1], out[i].warnings))
        elif having:
            typed = _together([raw for _, raw in having], spec, [bundles[i][1] for i, _ in having],
                              [out[i].warnings for i, _ in having])
            for (i, raw), table in zip(having, typed):
                _put(out[i], raw, table)
    return out


def _type_alone(raws: Sequence[RawTable], c: Collector, evidence: Evidence) -> None:
    specs = table_specs()
    for raw in raws:
        spec = specs[raw.name]
        if raw.cells is not None or raw.stream is not None:
            _put(evidence, raw, type_cells(raw, spec, c, evidence.warnings))
        else:
            frame = type_table(raw, spec, c, evidence.warnings)
            if frame is not None:
                evidence.tables[raw.name] = frame
                evidence.sources[raw.name] = raw.file


def _put(evidence: Evidence, raw: RawTable, table: pa.Table | None) -> None:
    if table is not None:
        evidence.tables.put_arrow(raw.name, table)  # type: ignore[attr-defined]
        evidence.sources[raw.name] = raw.file


def _together(raws: Sequence[RawTable], spec: TableSpec, cs: Sequence[Collector],
              warnings: Sequence[list[Any]]) -> list[pa.Table | None]:
    """`type_cells` of one table of several bundles (text read whole), each column typed once over all their rows.

    Each bundle's headers are mapped, its odd cells typed again and reported (`_retype`), and its keys checked,
    on its own rows and into its own collector: the same tables, errors and warnings as typing it alone (the two
    typing paths of a column answer only where they agree with `type_table`, whatever rows they look at)."""
    positions: list[dict[str, int] | None] = []
    clean: dict[tuple[str, ...], dict[str, int]] = {}  # header rows mapped without a problem (most are the same)
    for raw, c in zip(raws, cs):
        headers = tuple(raw.headers)
        if headers in clean:
            positions.append(clean[headers])
            continue
        before = len(c.errors)
        found = map_headers(raw, spec, c)
        if len(c.errors) == before:
            clean[headers] = found
        positions.append(None if any(e.code == "missing_column" for e in c.errors[before:]) else found)
    cells = {i: raw.cells for i, raw in enumerate(raws) if positions[i] is not None and raw.cells is not None}
    parts: dict[str, dict[int, tuple[pa.Array, np.ndarray]]] = {}
    for col in spec.columns:
        having = [i for i in cells if col.name in positions[i]]  # type: ignore[operator]
        if not having:
            continue
        column = pa.chunked_array([chunk for i in having for chunk in cells[i].column(positions[i][col.name]).chunks],  # type: ignore[index]
                                  pa.string()).combine_chunks()
        typed, marks = _column(column, col, spec)
        sliced, at = {}, 0
        for i in having:
            n = cells[i].num_rows
            sliced[i] = (_own(typed.slice(at, n), col), marks[at:at + n])
            at += n
        parts[col.name] = sliced
    out: list[pa.Table | None] = [None] * len(raws)
    for i in cells:
        mine = {name: by_bundle[i] for name, by_bundle in parts.items() if i in by_bundle}
        table = _assemble(raws[i], spec, positions[i], mine, cs[i], warnings[i])  # type: ignore[arg-type]
        _check_keys(table, spec, raws[i], positions[i], cs[i])  # type: ignore[arg-type]
        out[i] = table
    return out


def _own(column: pa.Array, col: ColumnSpec) -> pa.Array:
    """A bundle's slice of a column typed together. A reference column held as a dictionary gets a dictionary of
    its own values: the references are checked by their dictionary, and other bundles' would not be found."""
    if not col.references or not pa.types.is_dictionary(column.type):
        return column
    encoded = pc.dictionary_encode(column.dictionary_decode())
    return pa.DictionaryArray.from_arrays(encoded.indices.cast(column.type.index_type), encoded.dictionary)
