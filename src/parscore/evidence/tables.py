"""Record-level evidence: the tables a bundle carries, read, typed and checked.

Tables come as `<table>.csv` files in a bundle folder (or zip), or as sheets of
an `.xlsx` bundle. Headers may be the English key (`received_at`), the
Vietnamese header (`Ngày tiếp nhận`), or both as the template writes them
(`Ngày tiếp nhận (received_at)`). Conversion is vectorised with pandas; every
bad cell is reported with its file, row and column, and all problems of a
bundle are reported together (capped per table so a broken export stays readable).
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import difflib
import io
import os
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, MutableMapping

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from parscore.core import cache
from parscore.core import schema
from parscore.core import yamlio
from parscore.core import dates
from parscore.core.dates import parse_datetime
from parscore.core.errors import Collector, InputError, InputErrors, did_you_mean
from parscore.core.messages import word
from parscore.core.dates import PLAUSIBLE_HIGH, PLAUSIBLE_LOW
from parscore.core.numbers import MAX_DECIMALS, MAX_INTEGER_DIGITS, NotANumber, parse_decimal
from parscore.core.paths import display, sha256_file, tables_file
from parscore.core.text import Text
from parscore.evidence import textfile
from parscore.evidence.labels import ColumnLabels, fold, load_labels
from parscore.evidence.typed import arrow_table, plain
from parscore.evidence.vocabulary import columns_named

MAX_TABLE_BYTES = 512 * 1024 * 1024
MAX_DOCUMENT_BYTES = 100 * 1024 * 1024
MAX_ERRORS_PER_TABLE = 50
SMALL_COLUMN = 64  # cells a column may have and still be looked at cell by cell in Python (evidence.columnar's distinct texts)
MAX_TABLE_ROWS = 2_000_000  # a province's busiest commune handles some 50,000 dossiers a year
# A UTF-8 export larger than STREAM_BYTES is read block by block (a province's year: 10^7 dossiers, ~2 GB):
# its text is never held whole, only its typed columns. Such a file may be up to MAX_STREAM_BYTES and
# MAX_STREAM_ROWS long; a file in another encoding is decoded whole, so MAX_TABLE_BYTES stays its limit.
STREAM_BYTES = 256 * 1024 * 1024
STREAM_BLOCK = 32 * 1024 * 1024
MAX_STREAM_BYTES = 16 * 1024 * 1024 * 1024
MAX_STREAM_ROWS = 50_000_000
# Records dated outside this range are typos (a year 1 or 9999), refused in place; see also date_outlier warnings.
DATE_LOW = dt.datetime.combine(PLAUSIBLE_LOW, dt.time())
DATE_HIGH = dt.datetime.combine(PLAUSIBLE_HIGH, dt.time(23, 59, 59))
ROW = "_row"  # the source row number of each record, kept for error messages and provenance

TRUE = {"true", "1", "x", "yes", "y", "có", "co", "đúng", "dung", "c"}
FALSE = {"false", "0", "no", "n", "không", "khong", "sai", "k", ""}
_OFFSET = re.compile(r"\d:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})$")  # a time with its offset ("15-03-2025" is not one)
_DMY_FLAGS = re.compile(dates.DMY, re.IGNORECASE)
_KEY_IN_HEADER = re.compile(r"\(([a-z][a-z0-9_]*)\)\s*$")


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    type: str
    header: Text
    required: bool = False
    default: Any = None
    values: tuple[str, ...] = ()
    references: str | None = None
    min: float | None = None
    max: float | None = None
    unit: Text | None = None

    def template_header(self) -> str:
        return f"{self.header.vi} ({self.name})"

    def unit_vi(self) -> str:
        """The unit a clerk types in: the column's own, or the form its type asks for."""
        if self.unit is not None:
            return self.unit.vi
        return {"date": "dd/mm/yyyy", "datetime": "dd/mm/yyyy hh:mm", "bool": "x = có", "list": "cách nhau bởi ;"}.get(self.type, "")

    def template_header_with_unit(self) -> str:
        """'Phí, lệ phí [đồng] (fee)': the key stays last, where the reader looks for it."""
        unit = self.unit_vi()
        return f"{self.header.vi} [{unit}] ({self.name})" if unit else self.template_header()


@dataclass(frozen=True)
class TableSpec:
    name: str
    title: Text
    key: str | None
    columns: tuple[ColumnSpec, ...]
    computed: Mapping[str, Any]
    source: str

    def column(self, name: str) -> ColumnSpec:
        return next(c for c in self.columns if c.name == name)


@lru_cache(maxsize=4)
def table_specs(path: str | None = None) -> dict[str, TableSpec]:
    """The evidence tables' specifications, compiled once and then read from the on-disk cache."""
    p = Path(path) if path else tables_file()
    return cache.cached("tables", [p], lambda: _compile_specs(p), extra=[os.getcwd()])


def _compile_specs(p: Path) -> dict[str, TableSpec]:
    doc = yamlio.load_mapping(p, display=display(p))
    problems = schema.validate(doc, "tables")
    c = Collector()
    c.extend(problems)
    c.raise_if_any()
    out = {}
    for name, t in doc.data["tables"].items():
        # Computed columns may only use the table's columns and the computed columns before them.
        known = [x["name"] for x in t["columns"]]
        for cname, expr in t.get("computed", {}).items():
            for used in columns_named(expr):
                if used not in known:
                    c.add("unknown_key", file=doc.file, line=doc.line(("tables", name, "computed", cname)),
                          where=f"tables.{name}.computed.{cname}", key=used, allowed=", ".join(known),
                          hint=lambda lang, u=used, k=tuple(known): did_you_mean(u, k, lang))
            known.append(cname)
        cols = tuple(ColumnSpec(x["name"], x["type"], Text.of(x["header"]), bool(x.get("required", False)),  # type: ignore[arg-type]
                                x.get("default"), tuple(x.get("values", ())), x.get("references"),
                                x.get("min"), x.get("max"), Text.of(x["unit"]) if "unit" in x else None)  # type: ignore[arg-type]
                     for x in t["columns"])
        out[name] = TableSpec(name, Text.of(t["title"]), t.get("key"), cols, t.get("computed", {}), t["source"])  # type: ignore[arg-type]
    c.raise_if_any()
    return out


def enum_labels() -> dict[tuple[str, str], ColumnLabels]:
    """The labels of rules/evidence/labels.yaml, checked against the enumerated columns of tables.yaml."""
    enums = tuple((t, c.name, c.values) for t, spec in table_specs().items() for c in spec.columns if c.type == "enum")
    return load_labels(None, enums)


def _closest_label(value: str, choices: list[str], lang: str) -> str:
    """A "did you mean" over labels compared as they are matched: ignoring case and diacritics."""
    by_fold = {fold(c): c for c in reversed(choices)}
    close = difflib.get_close_matches(fold(value), sorted(by_fold), n=1, cutoff=0.6)
    return word("did_you_mean", lang, name=by_fold[close[0]]) if close else ""


def _code_of(value: Any, labels: ColumnLabels | None, values: tuple[str, ...]) -> str:
    if value is None:
        return ""
    text = _norm(value)
    if text in values or labels is None:
        return text
    return labels.read(text) or text


def nfc(texts: Iterable[str]) -> list[str]:
    """Each text in Unicode's composed form (NFC): how cells are compared and typed."""
    return [unicodedata.normalize("NFC", t) for t in texts]


@dataclass(frozen=True)
class CsvStream:
    """A large plain UTF-8 export, read block by block: each block's cells as a `RawTable` with `cells`."""

    path: Path
    name: str
    shown: str
    sep: str
    width: int

    def blocks(self) -> Iterator[RawTable]:
        names = [f"f{i}" for i in range(self.width)]
        options = dict(read_options=pacsv.ReadOptions(column_names=names),
                       parse_options=pacsv.ParseOptions(delimiter=self.sep, ignore_empty_lines=False),
                       convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                            strings_can_be_null=False, quoted_strings_can_be_null=False))
        headers: list[str] | None = None
        below = 0  # rows read below the header
        for chunk in _whole_lines(self.path, STREAM_BLOCK):
            try:
                table = pacsv.read_csv(pa.BufferReader(chunk), **options)
            except pa.ArrowInvalid:
                raise InputErrors([self._problem()]) from None
            if headers is None:
                headers = [unicodedata.normalize("NFC", str(v)) for v in table.slice(0, 1).to_pylist()[0].values()]
                table = table.slice(1)
            if below + table.num_rows > MAX_STREAM_ROWS:
                raise InputErrors([InputError("too_many_rows", file=self.shown,
                                              params={"rows": f"> {MAX_STREAM_ROWS}", "limit": MAX_STREAM_ROWS})])
            yield _raw_cells(self.name, self.shown, headers, table, below)
            below += table.num_rows

    def _problem(self) -> InputError:
        """Why Arrow stopped reading: the first line that is not UTF-8, or the first ragged row (read again
        line by line, only when reading failed)."""
        with self.path.open("rb") as f:
            offset = 0
            for n, line in enumerate(f, 1):
                try:
                    line.decode("utf-8")
                except UnicodeDecodeError as exc:
                    return InputError("csv_cut_character", file=self.shown, line=n,
                                      params={"byte": f"0x{line[exc.start]:02X}", "offset": offset + exc.start})
                offset += len(line)
        with self.path.open(encoding="utf-8", newline="") as text:
            # A block is read with the header's width: a row shorter than it is refused too.
            return _ragged_in(text, self.sep, self.shown, shorter=True)


def _whole_lines(path: Path, size: int) -> Iterator[bytes]:
    """The file in pieces of about `size` bytes, each ending at the end of a record: at a newline outside
    quotes (an even count of quote marks before it; a doubled quote inside a field counts twice).

    Arrow's own streaming reader holds some 1.4 GB while reading a 2 GB export; parsing these pieces one
    by one holds a few of them."""
    with path.open("rb") as f:
        carry = b""
        while True:
            data = f.read(size)
            if not data:
                if carry:
                    yield carry
                return
            buf = carry + data
            cut = buf.rfind(b"\n")
            while cut >= 0 and buf.count(b'"', 0, cut) % 2:
                cut = buf.rfind(b"\n", 0, cut)
            if cut < 0:
                carry = buf
                continue
            yield buf[: cut + 1]
            carry = buf[cut + 1:]


def is_text(kind: pa.DataType) -> bool:
    """Whether a column holds text (plain, or as a dictionary of texts, as Parquet keeps a column of few values)."""
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))


def _filled(column: pa.ChunkedArray, where: tuple[str, str, int]) -> pa.Array:
    """A Parquet column as the typing reads it: text as the cells a CSV gives (a missing value is an empty
    cell; a column of few values stays the one dictionary the file holds), a typed column as it is.
    `where`: (file shown, table.column, the rows above this block), to locate a byte value that is no text."""
    if pa.types.is_binary(column.type) or pa.types.is_large_binary(column.type):
        # Some writers store text as bytes without saying it is UTF-8: read as text, unless a value is not.
        column = _utf8(column, where)
    if pa.types.is_null(column.type):  # a column with no value at all (pandas writes one so): empty cells
        return pc.cast(column, pa.string()).fill_null("").combine_chunks()
    if not is_text(column.type):
        return column.combine_chunks()
    if not pa.types.is_dictionary(column.type):
        # fill_null copies every string even when none is missing (10^6 ids: ~55 ms): only where one is.
        return (column.fill_null("") if column.null_count else column).combine_chunks()
    cells = column.combine_chunks()  # the chunks' dictionaries made one
    if not cells.null_count:
        return cells
    at = pc.index(cells.dictionary, "").as_py()
    values = cells.dictionary if at >= 0 else pa.concat_arrays([cells.dictionary, pa.array([""], cells.dictionary.type)])
    at = at if at >= 0 else len(cells.dictionary)
    return pa.DictionaryArray.from_arrays(cells.indices.fill_null(at), values)


def _utf8(column: pa.ChunkedArray, where: tuple[str, str, int]) -> pa.ChunkedArray:
    try:
        return pc.cast(column, pa.string() if pa.types.is_binary(column.type) else pa.large_string())
    except pa.ArrowInvalid:
        shown, field, below = where
        for i, value in enumerate(column.to_pylist()):
            try:
                if value is not None:
                    value.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InputErrors([InputError("parquet_not_utf8", file=shown, line=below + i + 2, where=field,
                                              params={"byte": f"0x{value[exc.start]:02X}"})]) from None
        raise


def _parquet_cells(table: pa.Table, below: int, shown: str, name: str) -> pa.Table:
    """A Parquet file's columns (`_filled`), numbered as a spreadsheet of the table would show them (header on row 1)."""
    cells = pa.table([_filled(c, (shown, f"{name}.{h}", below)) for c, h in zip(table.columns, table.column_names)],
                     names=[f"f{i}" for i in range(table.num_columns)])
    return cells.append_column(ROW, pa.array(np.arange(below + 2, below + 2 + table.num_rows, dtype=np.int64)))


# A Parquet text column stored as a dictionary holds per value an index of a few bits (and its dictionary, once);
# one stored plain, or whose dictionary overflowed into plain pages (ids, unique timestamps), holds the text and
# its 4-byte length. Under this many bytes a value, reading the column as a dictionary is worth it.
DICTIONARY_BYTES = 4


def _dictionary_columns(f: pq.ParquetFile) -> list[str]:
    """The text columns Arrow should read as dictionaries: those the file stores as small dictionaries.

    A one-stop export's dates, statuses, marks and figures repeat over millions of rows; reading such a column
    as its dictionary is some six times faster than spelling every cell out, and lets the typing type each
    distinct text once (evidence.columnar). A column of mostly distinct texts (the ids) is read plain: as a
    dictionary it costs twice as much. Told from the file's footer (bytes stored a value), before reading."""
    size: dict[str, int] = {}
    values: dict[str, int] = {}
    meta = f.metadata
    for g in range(meta.num_row_groups):
        group = meta.row_group(g)
        for j in range(group.num_columns):
            chunk = group.column(j)
            size[chunk.path_in_schema] = size.get(chunk.path_in_schema, 0) + chunk.total_uncompressed_size
            values[chunk.path_in_schema] = values.get(chunk.path_in_schema, 0) + chunk.num_values
    schema = f.schema_arrow
    return [name for name, kind in zip(schema.names, schema.types)
            if is_text(kind) and size.get(name, 0) < DICTIONARY_BYTES * max(values.get(name, 0), 1)]


@dataclass(frozen=True)
class ParquetStream:
    """A large Parquet export, read a batch of rows at a time."""

    path: Path
    name: str
    shown: str

    def blocks(self) -> Iterator[RawTable]:
        try:
            f = pq.ParquetFile(self.path)
            headers = [str(h) for h in f.schema_arrow.names]
            f = pq.ParquetFile(self.path, read_dictionary=_dictionary_columns(f))
            below = 0
            for batch in f.iter_batches(batch_size=STREAM_BLOCK // 128):
                table = pa.Table.from_batches([batch])
                yield RawTable(self.name, self.shown, headers, pd.DataFrame(), cells=_parquet_cells(table, below, self.shown, self.name))
                below += table.num_rows
        except (pa.ArrowException, OSError) as exc:
            raise InputErrors([InputError("bad_parquet", file=self.shown, params={"problem": str(exc)[:200]})]) from None


@dataclass(frozen=True)
class RawTable:
    """Cells as read, before typing: a header row and the rows below it with their source numbers."""

    name: str
    file: str
    headers: list[str]
    frame: pd.DataFrame  # object columns in source order, plus ROW (empty when `cells` holds them)
    sheet: str | None = None
    header_row: int = 1  # where the header row is (a workbook may put title rows above it)
    cells: pa.Table | None = None  # a text export's cells as Arrow text columns in source order, plus ROW:
    # typed column-wise by evidence.columnar (`frame` is then empty)
    stream: CsvStream | ParquetStream | None = None  # or, for a large export, where to read its blocks of cells from

    def texts(self, rows: np.ndarray | None = None) -> pd.DataFrame:
        """The cells (of the given row positions, or all) as a pandas frame of NFC text, columns by position
        plus ROW, whichever way they were read."""
        if self.cells is None:
            return self.frame if rows is None else self.frame.iloc[rows].reset_index(drop=True)
        cells = self.cells if rows is None else self.cells.take(pa.array(rows, type=pa.int64()))
        frame = pd.DataFrame({i: _objects(cells.column(i)) for i in range(cells.num_columns - 1)})
        frame[ROW] = cells.column(ROW).to_numpy()
        return frame


def _objects(column: pa.ChunkedArray) -> pd.Series:
    """A column of cells as Python values: text in NFC; a typed Parquet column's values as an .xlsx sheet's
    cells come (datetimes, numbers, booleans; None where missing)."""
    values = column.to_pylist()
    return pd.Series(nfc(values) if is_text(column.type) else values, dtype=object)


@dataclass
class Evidence:
    tables: MutableMapping[str, pd.DataFrame] = field(default_factory=dict)  # typed.Tables when loaded from a bundle
    sources: dict[str, str] = field(default_factory=dict)  # table -> display file
    files: dict[str, str] = field(default_factory=dict)  # display path -> sha256
    document_files: dict[str, tuple[str, str]] = field(default_factory=dict)  # document id -> (file, sha256)
    warnings: list[tuple[str, Text]] = field(default_factory=list)  # (code, text): cells read but worth a look
    missing_documents: dict[str, str] = field(default_factory=dict)  # document id -> type, for a missing attachment

    def __contains__(self, table: object) -> bool:
        return table in self.tables


def _letter(index: int) -> str:
    s = ""
    index += 1
    while index:
        index, r = divmod(index - 1, 26)
        s = chr(65 + r) + s
    return s


def _place(raw: RawTable, row: int | None, col_index: int | None, col_name: str) -> dict[str, Any]:
    if raw.sheet is None:
        return {"file": raw.file, "line": row, "where": f"{raw.name}.{col_name}"}
    cell = f"{_letter(col_index)}{row}" if col_index is not None and row is not None else ""
    return {"file": raw.file, "where": f"sheet '{raw.sheet}' {cell} ({col_name})".replace("  ", " ")}


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text)).strip().lower().split())


def map_headers(raw: RawTable, spec: TableSpec, c: Collector) -> dict[str, int]:
    """Column name -> position in the raw table; unknown and missing columns are reported."""
    names = {}
    for col in spec.columns:
        for alias in (col.name, col.header.vi, col.header.en, col.template_header(), col.template_header_with_unit()):
            names[_norm(alias)] = col.name
    found: dict[str, int] = {}
    for i, header in enumerate(raw.headers):
        if header is None or str(header).strip() == "":
            continue
        h = _norm(header)
        m = _KEY_IN_HEADER.search(h)
        key = m.group(1) if m and m.group(1) in {x.name for x in spec.columns} else names.get(h)
        if key is None:
            choices = [x.name for x in spec.columns] + [x.header.vi for x in spec.columns]
            c.add("unknown_column", **_place(raw, raw.header_row, i, str(header)), column=str(header), table=spec.name,
                  allowed=", ".join(x.name for x in spec.columns),
                  hint=lambda lang, h=str(header), choices=choices: did_you_mean(h, choices, lang))
            continue
        if key in found:
            c.add("duplicate_column", **_place(raw, raw.header_row, i, key), column=key)
            continue
        found[key] = i
    for col in spec.columns:
        if col.required and col.name not in found:
            c.add("missing_column", **_place(raw, raw.header_row, None, col.name), column=col.name, header=col.template_header(),
                  table=spec.name)
    return found


class _Cells:
    """Collects bad cells of one table, capped, then reports them."""

    def __init__(self, raw: RawTable, c: Collector):
        self.raw, self.c, self.count = raw, c, 0

    def bad(self, mask: np.ndarray, series: pd.Series, col: ColumnSpec, pos: int, code: str, **kw: Any) -> None:
        idx = np.flatnonzero(mask)
        for i in idx:
            self.count += 1
            if self.count > MAX_ERRORS_PER_TABLE:
                continue
            row = int(self.raw.frame[ROW].iloc[i])
            if code != "empty_cell":  # an empty cell has no value worth quoting
                kw = {**kw, "value": str(series.iloc[i])}
            self.c.add(code, **_place(self.raw, row, pos, col.name), **kw)

    def close(self) -> None:
        if self.count > MAX_ERRORS_PER_TABLE:
            self.c.add("more_errors", file=self.raw.file, where=self.raw.name, n=self.count - MAX_ERRORS_PER_TABLE)


_BLANK_TEXTS = frozenset({"", "nan", "NaT", "None"})


def _blank(s: pd.Series) -> np.ndarray:
    if len(s) <= SMALL_COLUMN:  # a column's few distinct texts: pandas' string methods cost ~1 ms a call, whatever the size
        return np.fromiter((bool(pd.isna(v)) if not isinstance(v, str) else v.strip() in _BLANK_TEXTS for v in s),
                           dtype=bool, count=len(s))
    return (s.isna() | s.astype(str).str.strip().isin(list(_BLANK_TEXTS))).to_numpy()


def _all_text(s: pd.Series) -> bool:
    """Whether every non-missing cell is a string (a CSV or Parquet column), checked in C, not per cell."""
    return s.dtype != object or pd.api.types.infer_dtype(s, skipna=True) in ("string", "empty")


def _per_value(s: pd.Series, fn: Any) -> pd.Series:
    """`s.map(fn)`, computed once per distinct value when the cells are text (a column of yes/no or of
    status codes holds a handful of values, however many rows); cells of other types (an .xlsx sheet's
    numbers and dates, where 1 and True would hash alike) are mapped one by one."""
    if not _all_text(s):
        return s.map(fn)
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    values = np.empty(len(uniques) + 1, dtype=object)
    values[:-1] = [fn(u) for u in uniques]
    values[-1] = fn(None)  # code -1: a missing cell
    return pd.Series(values[codes], index=s.index, dtype=object)


def _plausible(parsed: pd.Series, far: pd.Series) -> pd.Series:
    """`parsed` as nanosecond datetimes, dates outside DATE_LOW..DATE_HIGH made NaT and marked in `far`.

    pandas keeps a date outside its nanosecond range (before 1677, after 2262) at a coarser unit,
    and assigning it into a nanosecond column raises; no assessment record is dated outside
    1900–2100 anyway, so such a date is a typo to report, never a value to carry.
    """
    low, high = pd.Timestamp(DATE_LOW), pd.Timestamp(DATE_HIGH)
    if parsed.dt.tz is not None:
        low, high = low.tz_localize("UTC"), high.tz_localize("UTC")
    outside = parsed.notna() & ((parsed < low) | (parsed > high))
    far[outside[outside].index] = True
    kept = parsed.where(~outside)
    return kept.astype("datetime64[ns, UTC]" if parsed.dt.tz is not None else "datetime64[ns]")


def _parse_datetimes(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Vectorised: datetime cells, Excel serial numbers, ISO, day-first dates as offices type them
    (10/03/2025, 15-03-2025, 10.03.2025, 10/03/25, with SA/CH times); offsets converted to Vietnam time.

    Explicit patterns are converted column-wise; only the cells they leave unread go one by one
    through `core.dates.parse_datetime` (text dates such as "ngày 10 tháng 3 năm 2025").
    Also returns the mask of dates outside the plausible range (reported as such, not as unreadable).
    """
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    far = pd.Series(False, index=s.index, dtype=bool)
    text_only = _all_text(s)
    fast = np.zeros(len(s), dtype=bool)
    if text_only:
        is_dt = np.zeros(len(s), dtype=bool)
        values, fast = fast_dmy(pa.array(s.array, type=pa.large_string()) if len(s) else pa.array([], pa.large_string()))
        out.iloc[np.flatnonzero(fast)] = values[fast]
        fast |= (s.isna() | (s == "")).to_numpy(dtype=bool)  # an empty cell is no date: nothing to read
    else:
        is_dt = s.map(lambda v: hasattr(v, "year")).to_numpy(dtype=bool)
    if is_dt.any():
        naive = s[is_dt].map(lambda v: _naive(v))
        outside = naive.map(lambda v: not DATE_LOW <= v <= DATE_HIGH).astype(bool)
        far[outside[outside].index] = True
        out[naive[~outside].index] = pd.to_datetime(naive[~outside], errors="coerce")
    is_num = np.zeros(len(s), dtype=bool) if text_only else \
        s.map(lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)).to_numpy(dtype=bool)
    if is_num.any():  # an Excel date cell read without its format: a serial day number
        serial = pd.to_numeric(s[is_num], errors="coerce")
        serial = serial.where(serial.between(*dates.SERIAL_RANGE))
        out[s.index[is_num]] = pd.Timestamp(dates.EXCEL_EPOCH) + pd.to_timedelta(serial, unit="D")
    cells = s[~is_dt & ~is_num & ~fast]
    text = pd.Series([" ".join(str(v).split()) for v in cells], index=cells.index, dtype=object)
    if len(text):
        aware = text.str.contains(_OFFSET, regex=True)
        if aware.any():
            parsed = _plausible(pd.to_datetime(text[aware], utc=True, errors="coerce", format="ISO8601"), far)
            out[text[aware].index] = parsed.dt.tz_convert("Asia/Ho_Chi_Minh").dt.tz_localize(None)
        rest = text[~aware]
        parts = rest.str.extract(_DMY_FLAGS)
        dmy = parts[0].notna()
        if dmy.any():
            p = parts[dmy]
            year = p[2].astype(int).where(p[2].str.len() == 4, p[2].astype(int) + 2000)
            odd = ~year.between(DATE_LOW.year, DATE_HIGH.year)  # never built: pandas cannot hold year 1500
            far[odd[odd].index] = True
            p, year = p[~odd], year[~odd]
            hour = p[3].fillna("0").astype(int)
            mark = p[6].fillna("").str.upper()
            hour = hour.where(mark == "", hour % 12 + mark.isin(dates.AFTERNOON) * 12)
            out[p.index] = pd.to_datetime(pd.DataFrame({
                "year": year, "month": p[1].astype(int), "day": p[0].astype(int), "hour": hour,
                "minute": p[4].fillna("0").astype(int), "second": p[5].fillna("0").astype(int)}), errors="coerce")
        iso = rest[~dmy]
        if len(iso):
            out[iso.index] = _plausible(pd.to_datetime(iso, errors="coerce", format="ISO8601"), far)
            left = iso[out[iso.index].isna() & ~far[iso.index] & (iso != "")]
            for i, v in left.items():  # the few cells no explicit pattern read
                try:
                    value = dates.parse_datetime(v)
                    if DATE_LOW <= value <= DATE_HIGH:
                        out[i] = value
                    else:
                        far[i] = True
                except dates.NotADate:
                    pass
    # Dates pandas could read but no assessment record carries; and cells it could not hold at all (before 1677,
    # after 2262), told by their four-digit year, so that a typo is reported as out of range, not unreadable.
    outside = out.notna() & ((out < pd.Timestamp(DATE_LOW)) | (out > pd.Timestamp(DATE_HIGH)))
    far |= outside
    out = out.where(~outside)
    slow = s[~fast]
    unread = out[~fast].isna() & ~far[~fast] & slow.notna() & (slow.astype(str).str.strip() != "")
    if unread.any():
        years = slow[unread].astype(str).str.extract(r"(?<!\d)(\d{4})(?!\d)")[0].astype(float)
        far[years[years.notna() & ~years.between(DATE_LOW.year, DATE_HIGH.year)].index] = True
    return out, far


# The forms an export writes, read by Arrow in C: dd/mm/yyyy with an optional hh:mm[:ss], two-digit fields,
# a year 1900–2099, and the ISO date yyyy-mm-dd. A cell of any other form (or one these formats misread, see
# below) takes the general path. Each form: its shape, its format, its length and where its day's digits are.
_FAST_FORMS = ((r"^[0-9]{2}/[0-9]{2}/(?:19|20)[0-9]{2} [0-9]{2}:[0-9]{2}$", "%d/%m/%Y %H:%M", 16, 0),
               (r"^[0-9]{2}/[0-9]{2}/(?:19|20)[0-9]{2}$", "%d/%m/%Y", 10, 0),
               (r"^[0-9]{2}/[0-9]{2}/(?:19|20)[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$", "%d/%m/%Y %H:%M:%S", 19, 0),
               (r"^(?:19|20)[0-9]{2}-[0-9]{2}-[0-9]{2}$", "%Y-%m-%d", 10, 8))


def fast_dmy(cells: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The text cells in one of the export's own forms, read: (datetime64[ns] values, mask of the cells so read).

    Arrow's strptime rolls an impossible day of the month over (31/02 becomes 03/03) but refuses a month,
    hour, minute or second out of range (tests/test_columnar.py pins both), so a value counts as read only
    when its day is the two digits the cell shows; every other cell is left to the general path, which
    reads or reports it exactly as before.
    """
    out = np.full(len(cells), np.datetime64("NaT"), dtype="datetime64[ns]")
    done = np.zeros(len(cells), dtype=bool)
    length = pc.fill_null(pc.utf8_length(cells), 0).to_numpy(zero_copy_only=False)
    for pattern, form, size, day_at in _FAST_FORMS:
        near = np.flatnonzero(length == size)
        if not len(near):
            continue
        sub = cells.take(pa.array(near))  # the shape is checked only on cells of the right length
        idx = near[pc.fill_null(pc.match_substring_regex(sub, pattern), False).to_numpy(zero_copy_only=False)]
        if not len(idx):
            continue
        sub = cells.take(pa.array(idx))
        parsed = pc.strptime(sub, format=form, unit="ns", error_is_null=True)
        day = pc.cast(pc.utf8_slice_codeunits(sub, day_at, day_at + 2), pa.int64())
        ok = pc.fill_null(pc.equal(pc.day(parsed), day), False).to_numpy(zero_copy_only=False)
        values = parsed.to_numpy(zero_copy_only=False).astype("datetime64[ns]")
        out[idx[ok]] = values[ok]
        done[idx[ok]] = True
    return out, done


def _naive(v: Any) -> Any:
    if isinstance(v, dt.datetime) or isinstance(v, dt.date):
        return parse_datetime(v)
    return v


# Cells every reading of which agrees: plain ASCII digits with an optional dot decimal, inside the limits.
# They take pandas' vectorised path; every other cell goes through the one parser, `parse_decimal`.
# [0-9], not (?a)\d: the same ASCII digits, in a pattern both Python's re and Arrow's RE2 (pyarrow-backed text
# columns) accept.
_SIMPLE = rf"[+-]?[0-9]{{1,{MAX_INTEGER_DIGITS}}}(?:\.[0-9]{{1,{MAX_DECIMALS}}})?"


def _numbers(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The cells as floats (NaN where not a number) and, per cell, the error code of a refused one ("" if none)."""
    values = pd.Series(np.nan, index=s.index, dtype=float)
    codes = pd.Series("", index=s.index, dtype=object)
    present = s.notna().to_numpy()
    text = s[present].astype(str).str.strip()
    simple = text.str.fullmatch(_SIMPLE)
    if not _all_text(s):  # an .xlsx number cell is not text: it goes to the one parser
        simple &= s[present].map(lambda v: isinstance(v, str)).astype(bool)
    plain = text[simple]  # read by Arrow in C (pandas' to_numeric goes cell by cell over Arrow-backed text)
    values[plain.index] = pc.cast(pa.array(plain.to_numpy(dtype=object), type=pa.string()), pa.float64()).to_numpy(zero_copy_only=False)
    for i in text[~simple].index:
        try:
            values[i] = float(parse_decimal(s[i]))
        except NotANumber as exc:
            codes[i] = exc.code
    return values, codes


def _limit(code: str) -> dict[str, Any]:
    if code == "number_too_large":
        return {"limit": f"10^{MAX_INTEGER_DIGITS}"}
    return {"limit": MAX_DECIMALS} if code == "number_too_precise" else {}


# "50.000" in a money column: Vietnamese thousands grouping with a single group. The number parser reads it
# as fifty (a dot-decimal figure); a fee of 50,000 dong written that way would be silently wrong, so say so.
_ONE_GROUP = re.compile(r"^\s*\d{1,3}\.\d{3}\s*$")


def _warn_grouping(raw: RawTable, s: pd.Series, col: ColumnSpec, pos: int, nums: pd.Series, evidence_warnings: list[Any]) -> None:
    for i in np.flatnonzero(grouped_cells(s))[:MAX_ERRORS_PER_TABLE]:
        place = _place(raw, int(raw.frame[ROW].iloc[i]), pos, col.name)
        where = ":".join(str(x) for x in (place["file"], place.get("line")) if x is not None) + f": {place['where']}"
        value = str(s.iloc[i]).strip()
        read = value.replace(".", ",").rstrip("0").rstrip(",")
        params = {"place": where, "value": value, "thousands": value.replace(".", "")}
        evidence_warnings.append(("money_grouping", Text(word("money_grouping", "vi", read=read, **params),
                                                         word("money_grouping", "en", read=str(nums.iloc[i]).rstrip("0").rstrip("."), **params))))


class CellSink:
    """Where typing a column sends the cells it refuses or warns about.

    `type_table` reports them, located (`_Report`); the columnar typing of `evidence.columnar` types
    each distinct text of a column once and only marks the cells so refused (`Marks`), to type their
    rows again here, where they are reported exactly as before."""

    def bad(self, mask: np.ndarray, code: str, **kw: Any) -> None:
        raise NotImplementedError

    def bad_enum(self, mask: np.ndarray, allowed: str, choices: list[str]) -> None:
        raise NotImplementedError

    def grouping(self, s: pd.Series, nums: pd.Series) -> None:
        raise NotImplementedError


class _Report(CellSink):
    def __init__(self, raw: RawTable, c: Collector, cells: _Cells, col: ColumnSpec, pos: int, s: pd.Series,
                 warnings: list[Any] | None):
        self.raw, self.c, self.cells, self.col, self.pos, self.s, self.warnings = raw, c, cells, col, pos, s, warnings

    def bad(self, mask: np.ndarray, code: str, **kw: Any) -> None:
        self.cells.bad(mask, self.s, self.col, self.pos, code, **kw)

    def bad_enum(self, mask: np.ndarray, allowed: str, choices: list[str]) -> None:
        s, col = self.s, self.col
        for i in np.flatnonzero(mask)[: MAX_ERRORS_PER_TABLE]:
            row = int(self.raw.frame[ROW].iloc[i])
            self.c.add("bad_enum", **_place(self.raw, row, self.pos, col.name), value=str(s.iloc[i]), allowed=allowed,
                       hint=lambda lang, v=str(s.iloc[i]).strip(), choices=choices: _closest_label(v, choices, lang))

    def grouping(self, s: pd.Series, nums: pd.Series) -> None:
        if self.warnings is not None:
            _warn_grouping(self.raw, s, self.col, self.pos, nums, self.warnings)


def grouped_cells(s: pd.Series) -> np.ndarray:
    """The cells written with one thousands group ("50.000"), which a reader may mean as fifty thousand."""
    if _all_text(s):  # a text column is matched in C
        return np.asarray(s.str.match(_ONE_GROUP.pattern).fillna(False).to_numpy(dtype=bool), dtype=bool)
    return np.asarray(s.map(lambda v: isinstance(v, str) and bool(_ONE_GROUP.match(v))).to_numpy(dtype=bool), dtype=bool)


def type_column(s: pd.Series, col: ColumnSpec, table: str, sink: CellSink) -> Any:
    """One column's cells typed, every refused cell sent to `sink` (with its reason)."""
    blank = _blank(s)
    if col.required:
        sink.bad(blank, "empty_cell", column=col.name)
    if col.type in ("datetime", "date"):
        parsed, far = _parse_datetimes(s)
        sink.bad(~blank & far.to_numpy(), "date_out_of_range", low=DATE_LOW.year, high=DATE_HIGH.year)
        sink.bad(~blank & ~far.to_numpy() & parsed.isna().to_numpy(), "bad_date")
        return parsed.dt.normalize() if col.type == "date" else parsed
    if col.type in ("int", "decimal"):
        nums, codes = _numbers(s.where(~blank, None))
        bad = ~blank & nums.isna().to_numpy()
        for code in sorted(set(codes[bad])):
            sink.bad(bad & (codes == code).to_numpy(), code or "bad_number", **_limit(code))
        ok = ~blank & ~bad
        if col.type == "int":
            frac = ok & (nums.fillna(0) % 1 != 0).to_numpy()
            sink.bad(frac, "not_integer")  # "1,5" in a count: located, never a cast error
            nums = nums.where(~pd.Series(frac, index=nums.index))
        else:
            sink.grouping(s, nums)
        if col.min is not None:
            sink.bad(ok & (nums.fillna(col.min) < col.min).to_numpy(), "out_of_range", low=col.min, high=col.max)
        else:
            sink.bad(ok & (nums.fillna(0) < 0).to_numpy(), "negative")
        if col.max is not None:
            sink.bad(ok & (nums.fillna(col.max) > col.max).to_numpy(), "out_of_range", low=col.min, high=col.max)
        default = col.default if col.default is not None else np.nan
        filled = nums.where(~pd.Series(blank, index=nums.index), default)
        if col.type == "int" and col.default is not None:
            return filled.fillna(col.default).astype(np.int64)
        return filled.astype("Int64") if col.type == "int" and not filled.isna().any() else filled
    if col.type == "bool":
        low = _per_value(s, lambda v: _norm(v) if v is not None else "")
        valid = low.isin(TRUE | FALSE).to_numpy() | blank
        sink.bad(~valid, "bad_bool")
        return low.isin(TRUE).to_numpy() | (np.asarray(blank) & bool(col.default))  # a blank cell takes the default
    if col.type == "enum":
        # A code, or a label as the one-stop system writes it (rules/evidence/labels.yaml).
        labels = enum_labels().get((table, col.name))
        low = _per_value(s, lambda v, lab=labels, values=col.values: _code_of(v, lab, values))
        valid = low.isin(col.values).to_numpy() | blank
        allowed = [f"{labels.shown[v]} ({v})" if labels and v in labels.shown else v for v in col.values]
        sink.bad_enum(~valid, ", ".join(allowed), list(col.values) + (labels.choices() if labels else []))
        return low.where(~pd.Series(blank, index=low.index), None).where(pd.Series(valid, index=low.index), None)
    if col.type == "list":
        return _per_value(s, lambda v: tuple(x.strip() for x in re.split(r"[;,]", str(v)) if x.strip())
                          if v is not None and str(v).strip() not in ("", "nan") else ())
    return _strings(s)  # string, path


def type_table(raw: RawTable, spec: TableSpec, c: Collector, warnings: list[Any] | None = None,
               positions: dict[str, int] | None = None, duplicates: bool = True) -> pd.DataFrame | None:
    """Typed columns (every spec column present, optional ones filled), with located errors (and warnings, if a list is given).

    `positions`: the headers already mapped (`map_headers`), when only some rows of a table are typed here;
    `duplicates`: whether to look for repeated keys (not among some rows only)."""
    if positions is None:
        before = len(c.errors)
        positions = map_headers(raw, spec, c)
        if len(c.errors) > before and any(e.code == "missing_column" for e in c.errors[before:]):
            return None
    cells = _Cells(raw, c)
    out: dict[str, Any] = {ROW: raw.frame[ROW].to_numpy()}
    n = len(raw.frame)
    for col in spec.columns:
        if col.name not in positions:
            out[col.name] = default_column(col, n)
            continue
        pos = positions[col.name]
        s = raw.frame.iloc[:, pos]
        out[col.name] = type_column(s, col, spec.name, _Report(raw, c, cells, col, pos, s, warnings))
    cells.close()
    frame = pd.DataFrame(out)
    if duplicates and spec.key and spec.key in positions:
        duplicate_keys(frame[spec.key], frame[ROW].to_numpy(), raw, positions[spec.key], spec.key, c)
    return frame


def duplicate_keys(keys: pd.Series, rows: np.ndarray, raw: RawTable, pos: int, key: str, c: Collector) -> None:
    """A record id given twice: each repeat located, with the row of its first occurrence."""
    dup = keys.duplicated(keep="first") & keys.notna()
    if not dup.any():
        return
    for i in np.flatnonzero(dup.to_numpy())[:MAX_ERRORS_PER_TABLE]:
        first = rows[np.flatnonzero((keys == keys.iloc[i]).to_numpy())[0]]
        c.add("duplicate_id", **_place(raw, int(rows[i]), pos, key),
              id=keys.iloc[i], other=f"{raw.file}:{first}" if raw.sheet is None else f"row {first}")


def _strings(s: pd.Series) -> pd.Series:
    """Text cells stripped and NFC-normalised, blanks as None (an object column, so pandas cannot turn the
    blanks into float NaN). Text columns are done vectorised; an .xlsx sheet's mixed cells one by one."""
    if not _all_text(s):
        return pd.Series([None if v is None or str(v).strip() in ("", "nan")
                          else unicodedata.normalize("NFC", str(v).strip()) for v in s], index=s.index, dtype=object)
    stripped = s.astype(str).str.strip()
    values = np.asarray(pc.utf8_normalize(pa.array(stripped.array, type=pa.large_string()), "NFC")
                        .to_numpy(zero_copy_only=False), dtype=object)  # in C: pandas normalises cell by cell
    values[(stripped.isin(["", "nan"]) | s.isna()).to_numpy()] = None
    return pd.Series(values, index=s.index, dtype=object)


def default_column(col: ColumnSpec, n: int) -> Any:
    if col.type == "bool":
        return np.full(n, bool(col.default))
    if col.type in ("int", "decimal"):
        return np.full(n, np.nan if col.default is None else col.default, dtype=np.int64 if col.type == "int" and col.default is not None else float)
    if col.type in ("date", "datetime"):
        return pd.Series([pd.NaT] * n, dtype="datetime64[ns]")
    if col.type == "list":
        return [()] * n
    return pd.Series([None] * n, dtype=object)


# ---- reading sources -----------------------------------------------------------------

def read_csv(path: Path, name: str, shown: str) -> RawTable:
    size = path.stat().st_size
    if size == 0:
        raise InputErrors([InputError("csv_empty", file=shown, line=1)])
    spec = table_specs().get(name)
    known = [a for col in spec.columns for a in (col.name, col.header.vi, col.header.en)] if spec else []
    if size > STREAM_BYTES:
        stream = _stream(path, name, shown, size, known)
        if stream is not None:
            return RawTable(name, shown, [], pd.DataFrame(), stream=stream)
    return read_whole_csv(path, name, shown)


def _stream(path: Path, name: str, shown: str, size: int, known: list[str]) -> CsvStream | None:
    """A large export to read block by block, if it is plain UTF-8 (judged from its first line)."""
    with path.open("rb") as f:
        first = _plain_first_line(f.read(1024 * 1024))
    if first is None:
        return None
    if size > MAX_STREAM_BYTES:
        raise InputErrors([InputError("file_too_large", file=shown, params={"size": size, "limit": MAX_STREAM_BYTES})])
    sep = textfile.delimiter(first, known)
    return CsvStream(path, name, shown, sep, len(next(csv.reader([first], delimiter=sep), [])))


def read_whole_csv(path: Path, name: str, shown: str) -> RawTable:
    """A CSV read whole: plain UTF-8 by Arrow, anything else decoded (cp1258, UTF-16) and read as text."""
    size = path.stat().st_size
    if size > MAX_TABLE_BYTES:
        raise InputErrors([InputError("file_too_large", file=shown, params={"size": size, "limit": MAX_TABLE_BYTES})])
    data = path.read_bytes()
    # Counted before anything is built; a file of fewer bytes than the limit has fewer lines (most: not counted).
    rows = data.count(b"\n") + 1 if size > MAX_STREAM_ROWS else 0
    if rows > MAX_STREAM_ROWS + 1:
        raise InputErrors([InputError("too_many_rows", file=shown, params={"rows": rows - 1, "limit": MAX_STREAM_ROWS})])
    spec = table_specs().get(name)
    known = [a for col in spec.columns for a in (col.name, col.header.vi, col.header.en)] if spec else []
    cells = _read_utf8(data, known)
    if cells is not None:
        headers = [unicodedata.normalize("NFC", str(column[0].as_py())) for column in cells.columns] if cells.num_rows else []
        return _raw_cells(name, shown, headers, cells.slice(1), 0)
    decoded = textfile.decode(data, shown)
    del data
    sep = textfile.delimiter(decoded.text, known)
    try:
        frame = _read_text(decoded.text, sep)
    except pd.errors.EmptyDataError:
        raise InputErrors([InputError("csv_empty", file=shown, line=1)]) from None
    except pd.errors.ParserError:
        raise InputErrors([_ragged(decoded.text, sep, shown)]) from None
    return _raw(name, shown, frame)


def _raw_cells(name: str, shown: str, headers: list[str], body: pa.Table, below: int) -> RawTable:
    """`_raw` of Arrow text rows (the `below`-th row under the header first): the cells stay Arrow columns
    (NFC-normalised where they are typed), blank rows dropped, each numbered as its line in the file."""
    # A blank row: every cell blank after strip() (pandas' str.strip() on Arrow text is this same kernel).
    # Only the rows whose first cell is blank are looked at further.
    blank = np.asarray(pc.equal(pc.utf8_trim_whitespace(body.column(0)), "").to_numpy(zero_copy_only=False), dtype=bool) \
        if body.num_columns else np.ones(body.num_rows, dtype=bool)
    maybe = np.flatnonzero(blank)
    if len(maybe):
        rest = body.take(pa.array(maybe))
        for column in rest.columns[1:]:
            blank[maybe] &= np.asarray(pc.equal(pc.utf8_trim_whitespace(column), "").to_numpy(zero_copy_only=False), dtype=bool)
    rows = np.flatnonzero(~blank)
    cells = body.take(pa.array(rows)) if blank.any() else body
    cells = cells.append_column(ROW, pa.array(rows + below + 2, type=pa.int64()))
    return RawTable(name, shown, headers, _NO_FRAME, cells=cells)


# The `frame` of a RawTable whose cells are Arrow columns: one empty frame for all of them (never edited in place;
# building one for every table of every commune of a batch cost more than finding its blank rows).
_NO_FRAME = pd.DataFrame()


def _raw(name: str, shown: str, frame: pd.DataFrame) -> RawTable:
    """The header row and the rows below it, blank rows dropped, each numbered as its line in the file."""
    headers = [str(h) for h in frame.iloc[0].tolist()] if len(frame) else []
    body = frame.iloc[1:].reset_index(drop=True)
    body = body.loc[~(body.apply(lambda col: col.str.strip() == "").all(axis=1))] if len(body) else body
    body[ROW] = body.index.to_numpy() + 2
    return RawTable(name, shown, headers, body.reset_index(drop=True))


_MARKS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _plain_first_line(head: bytes) -> str | None:
    """The first line (NFC) of a file that looks like plain UTF-8 from its start (no byte-order mark, not
    UTF-16), or None: such a file takes the general decoding path."""
    if head.startswith(_MARKS) or (len(head) >= 4 and head[1:4:2] == b"\0\0" and head[0:4:2] != b"\0\0"):
        return None
    end = head.find(b"\n")
    try:
        first = unicodedata.normalize("NFC", head[: end if end >= 0 else len(head)].decode("utf-8"))
    except UnicodeDecodeError:
        return None
    return first if first.strip() else None


def _read_utf8(data: bytes, known: list[str]) -> pa.Table | None:
    """A plain UTF-8 file (the exports' own encoding) read by Arrow from its bytes into text columns (header
    row included): no Python string of the whole file is built (it took more memory than the table). None when the
    file is anything else or Arrow refuses it (a mark, another encoding, a broken byte, ragged rows): the
    general path then decodes it and says what is wrong, exactly as before."""
    first = _plain_first_line(data)
    if first is None:
        return None
    sep = textfile.delimiter(first, known)
    width = len(next(csv.reader([first], delimiter=sep), [])) + 1
    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(data)), read_options=pacsv.ReadOptions(autogenerate_column_names=True),
            parse_options=pacsv.ParseOptions(delimiter=sep, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(column_types={f"f{i}": pa.string() for i in range(width)},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False))
    except pa.ArrowInvalid:
        return None
    return table


def _read_text(text: str, sep: str) -> pd.DataFrame:
    """Every cell as text, the header row included, blank lines kept as empty rows (so that row numbers
    stay the file's). Read by pyarrow's multi-threaded reader (~4× pandas' on a large export); a file it
    refuses (ragged rows, bytes that are not UTF-8) is read by pandas as before, which says what is wrong."""
    first = text.split("\n", 1)[0]
    width = len(next(csv.reader([first], delimiter=sep), [])) + 1
    try:
        if not first.strip():  # no header on the first line: pandas' reader says what is wrong
            raise pa.ArrowInvalid("no header")
        table = pacsv.read_csv(
            io.BytesIO(text.encode("utf-8")), read_options=pacsv.ReadOptions(autogenerate_column_names=True),
            parse_options=pacsv.ParseOptions(delimiter=sep, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(column_types={f"f{i}": pa.string() for i in range(width)},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False))
    except pa.ArrowInvalid:
        return pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, header=None,
                           skip_blank_lines=False)
    frame = table.to_pandas()
    frame.columns = range(frame.shape[1])
    return frame


def read_parquet(path: Path, name: str, shown: str) -> RawTable:
    """A `<table>.parquet` file: its column names are the headers; text columns stay text, typed ones
    (timestamps, dates, numbers, booleans) keep their Arrow types and are typed column-wise
    (evidence.columnar, evidence.parquet), their odd cells as Python values, as an .xlsx sheet's are.
    Rows are numbered as a spreadsheet of the table would show them (header on row 1)."""
    size = path.stat().st_size
    try:
        meta = pq.ParquetFile(path)
        rows = meta.metadata.num_rows
        headers = [str(h) for h in meta.schema_arrow.names]
        if size > STREAM_BYTES or rows > MAX_TABLE_ROWS:  # a province's export: read block by block
            if size > MAX_STREAM_BYTES or rows > MAX_STREAM_ROWS:  # read from the footer, before any row is loaded
                raise InputErrors([InputError("too_many_rows", file=shown, params={"rows": rows, "limit": MAX_STREAM_ROWS})]
                                  if rows > MAX_STREAM_ROWS else
                                  [InputError("file_too_large", file=shown, params={"size": size, "limit": MAX_STREAM_BYTES})])
            return RawTable(name, shown, headers, pd.DataFrame(), stream=ParquetStream(path, name, shown))
        # Read through the file's own reader, not read_table's dataset: a column comes as one chunk per row group
        # (nine of 2^17 rows each for a 10^6-row file), so the million ids are not copied again to be joined.
        table = pq.ParquetFile(path, read_dictionary=_dictionary_columns(meta)).read()
    except (pa.ArrowException, OSError) as exc:
        raise InputErrors([InputError("bad_parquet", file=shown, params={"problem": str(exc)[:200]})]) from None
    return RawTable(name, shown, headers, pd.DataFrame(), cells=_parquet_cells(table, 0, shown, name))


def _ragged(text: str, sep: str, shown: str) -> InputError:
    """The first row with more fields than the header, found with the csv module (pandas only says "error")."""
    return _ragged_in(io.StringIO(text), sep, shown)


def _ragged_in(lines: Iterable[str], sep: str, shown: str, shorter: bool = False) -> InputError:
    """The first row with more fields than the header (or, with `shorter`, a number other than the header's
    on a row that is not blank)."""
    reader = csv.reader(lines, delimiter=sep)
    expected = None
    for row in reader:
        if expected is None:
            expected = len(row)
        elif len(row) > expected or (shorter and len(row) != expected and any(cell.strip() for cell in row)):
            return InputError("csv_ragged_row", file=shown, line=reader.line_num,
                              params={"found": len(row), "expected": expected})
    return InputError("csv_ragged_row", file=shown, params={"found": "?", "expected": expected or 0})


EXAMPLE_MARK = "*"  # a workbook row whose first cell starts with this is an example, not data
HEADER_SCAN_ROWS = 20  # title rows an office puts above a table's header row


def header_score(cells: Iterable[Any], spec: TableSpec) -> int:
    """How many cells of a row name a column of the table (by key, Vietnamese or English header, or both)."""
    names = {_norm(a) for col in spec.columns for a in (col.name, col.header.vi, col.header.en, col.template_header())}
    keys = {col.name for col in spec.columns}
    score = 0
    for v in cells:
        if v is None or str(v).strip() == "":
            continue
        h = _norm(v)
        m = _KEY_IN_HEADER.search(h)
        score += h in names or bool(m and m.group(1) in keys)
    return score


def find_header(rows: list[tuple[Any, ...]], spec: TableSpec) -> int | None:
    """The index of the header row among the first rows: the one naming most columns (at least two, or the one
    required column of a one-column table); None when no row looks like this table's header."""
    best, best_score = None, 0
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        score = header_score(row, spec)
        if score > best_score:
            best, best_score = i, score
    needed = min(2, sum(1 for c in spec.columns if c.required) or 1)
    return best if best_score >= needed else None


def read_sheet(ws: Any, name: str, shown: str, spec: TableSpec | None = None) -> RawTable:
    """A sheet's table. The header row is found under any merged title rows (the first row when no spec is given)."""
    rows: list[tuple[Any, ...]] = []
    for r in ws.iter_rows(values_only=True):  # read-only sheets stream: stop before holding more than the limit
        rows.append(tuple(r))
        if len(rows) > MAX_TABLE_ROWS + HEADER_SCAN_ROWS:
            raise InputErrors([InputError("too_many_rows", file=shown, where=f"sheet '{ws.title}'",
                                          params={"rows": f"> {MAX_TABLE_ROWS}", "limit": MAX_TABLE_ROWS})])
    at = 0
    if spec is not None and rows:
        found = find_header(rows, spec)
        if found is None:
            columns = ", ".join(c.template_header() for c in spec.columns if c.required)
            raise InputErrors([InputError("header_not_found", file=shown, where=f"sheet '{ws.title}'",
                                          params={"table": name, "rows": HEADER_SCAN_ROWS, "columns": columns})])
        at = found
    headers = [("" if h is None else str(h)) for h in rows[at]] if rows else []
    while headers and headers[-1] == "":  # a merged title may widen the sheet; trailing blank headers are not columns
        headers.pop()
    data: list[list[Any]] = []
    numbers: list[int] = []
    ended = False  # a blank row after records: what follows with one cell at most is a footer (signature, date)
    for r, values in enumerate(rows[at + 1:], start=at + 2):
        filled = sum(1 for v in (values or ()) if v is not None and str(v).strip() != "")
        if filled == 0:
            ended = ended or bool(data)
            continue
        if ended and filled <= 1:
            continue
        if values and isinstance(values[0], str) and values[0].lstrip().startswith(EXAMPLE_MARK):
            continue  # the template's example row
        if len(values) > max(len(headers), 1) and any(v not in (None, "") for v in values[len(headers):]):
            raise InputErrors([InputError("csv_ragged_row", file=shown, where=f"sheet '{ws.title}' row {r}",
                                          params={"found": len(values), "expected": len(headers)})])
        cells = list(values[: len(headers)])
        data.append(cells + [None] * (len(headers) - len(cells)))
        numbers.append(r)
    frame = pd.DataFrame(data, columns=range(len(headers))) if data else pd.DataFrame(columns=range(len(headers)))
    frame = frame.astype(object)
    frame[ROW] = numbers
    return RawTable(name, shown, headers, frame, sheet=ws.title, header_row=at + 1)


def find_sheets(sheets: Mapping[str, Any], specs: Mapping[str, TableSpec], c: Collector, shown: str) -> dict[str, Any]:
    """Table -> its sheet: by the sheet's name (the key, or the table's Vietnamese or English title, ignoring case
    and diacritics), else a sheet not otherwise named whose header row names the table's required columns.

    A workbook where no sheet is any table, but some sheet holds data, gets one error per such sheet saying
    what is expected (scoring it would silently find no records)."""
    by_name = {fold(n): n for n in sheets}
    out: dict[str, Any] = {}
    for t, spec in specs.items():
        for alias in (t, spec.title.vi, spec.title.en):
            if fold(alias) in by_name:
                out[t] = sheets[by_name[fold(alias)]]
                break
    claimed = {ws.title for ws in out.values()}
    for t, spec in specs.items():
        if t in out:
            continue
        required = [c for c in spec.columns if c.required]
        for title, ws in sheets.items():
            if title in claimed or fold(title) in RESERVED_SHEETS:
                continue
            head = [tuple(r) for r in ws.iter_rows(max_row=HEADER_SCAN_ROWS, values_only=True)]
            if any(header_score(row, TableSpec(t, spec.title, None, tuple(required), {}, "")) == len(required) for row in head):
                out[t] = ws
                claimed.add(title)
                break
    if not out:
        for title, ws in sheets.items():
            if fold(title) in RESERVED_SHEETS or not any(any(v is not None for v in row)
                                                        for row in ws.iter_rows(max_row=HEADER_SCAN_ROWS, values_only=True)):
                continue
            c.add("sheet_not_found", file=shown, where=f"sheet '{title}'",
                  titles=", ".join(f"{s.title.vi} ({t})" for t, s in specs.items()),
                  columns=", ".join(col.template_header() for col in specs["dossiers"].columns if col.required))
    return out


RESERVED_SHEETS = {"bundle", "thong tin chung", "metrics", "so lieu bao cao", "manual", "diem cham thu cong",
                   "huong dan", "instructions", "lists", "danh muc"}


def check_references(evidence: Evidence, specs: Mapping[str, TableSpec], raws: Mapping[str, RawTable], c: Collector) -> None:
    """Every reference (apology_doc → documents.id, …) must name a record that exists."""
    for tname in list(evidence.tables):
        spec = specs[tname]
        for col in spec.columns:
            if not col.references:
                continue
            target_table, target_col = col.references.split(".")
            # Checked on the Arrow columns first (millions of dossiers name a handful of documents): the
            # records are visited one by one only when a reference is missing, to say where.
            here = arrow_table(evidence.tables, tname, spec)
            if col.name not in here.column_names:
                continue
            values = here.column(col.name)
            if pa.types.is_dictionary(values.type):  # the distinct references each block holds, not one per row
                refs = pa.chunked_array([chunk.dictionary for chunk in values.chunks], values.type.value_type)
            else:
                refs = pc.list_flatten(values) if pa.types.is_list(values.type) else values
            targets = arrow_table(evidence.tables, target_table, specs[target_table]).column(target_col).drop_null() \
                if target_table in evidence.tables else pa.chunked_array([], pa.string())
            targets = plain(targets)
            if not _misses(refs.drop_null(), targets):
                continue
            frame = evidence.tables[tname]
            known = set(evidence.tables[target_table][target_col].dropna()) if target_table in evidence.tables else set()
            for i, v in enumerate(frame[col.name]):
                refs = v if isinstance(v, tuple) else ((v,) if v is not None else ())
                for ref in refs:
                    if ref not in known:
                        raw = raws[tname]
                        pos = raw.headers.index(next(h for h in raw.headers if _norm(h) in
                                                     {_norm(col.name), _norm(col.header.vi), _norm(col.template_header())}
                                                     or _KEY_IN_HEADER.search(_norm(h)) and
                                                     _KEY_IN_HEADER.search(_norm(h)).group(1) == col.name))  # type: ignore[union-attr]
                        c.add("bad_reference", **_place(raw, int(frame[ROW].iloc[i]), pos, col.name), value=ref,
                              target=col.references)
                        if len(c.errors) > 500:
                            return


def _misses(refs: pa.ChunkedArray | pa.Array, targets: pa.ChunkedArray | pa.Array) -> bool:
    """Whether a reference names no target. The smaller side is the one hashed: a handful of documents
    naming dossiers among ten million is a scan of the ids, not a hash table of them."""
    wanted = pc.unique(refs)
    if len(wanted) == 0:
        return False
    if len(wanted) < len(targets):
        found = pc.unique(targets.filter(pc.is_in(targets, value_set=wanted)))
        return len(found) < len(wanted)
    return bool(pc.any(pc.invert(pc.is_in(wanted, value_set=pc.unique(targets)))).as_py())


def _nfc_index(base: Path) -> dict[str, Path]:
    """Every file under the bundle by its NFC relative path: a macOS zip writes names in NFD."""
    return {unicodedata.normalize("NFC", p.relative_to(base).as_posix()).casefold(): p
            for p in base.rglob("*") if p.is_file()}


def check_document_files(evidence: Evidence, root: Path, raw: RawTable | None, c: Collector) -> None:
    """Attached files must stay inside the bundle and be of a sane size; their sha256 is recorded.

    Paths as offices write them are accepted: backslashes, spaces, Vietnamese letters in NFC or NFD.
    A missing file is not a reason to refuse the bundle: it is a warning, and that document is not
    counted (its row leaves the documents table), so only the criteria that need it lose points.
    """
    if "documents" not in evidence.tables or raw is None:
        return
    # The few columns looked at, from the Arrow columns: no pandas frame is built for a bundle's few documents.
    docs = arrow_table(evidence.tables, "documents", table_specs()["documents"]).select(["id", "file", "type", ROW]).to_pydict()
    base = root.resolve()
    index: dict[str, Path] | None = None
    pos = next((i for i, h in enumerate(raw.headers) if _norm(h) in ("file", "tệp đính kèm", "tệp đính kèm (file)")), None)
    missing: list[int] = []
    for i, (doc_id, given) in enumerate(zip(docs["id"], docs["file"])):
        if given is None:
            continue
        rel = unicodedata.normalize("NFC", str(given).strip().replace("\\", "/"))
        row = int(docs[ROW][i])
        target = (base / rel).resolve()
        if Path(rel).is_absolute() or re.match(r"^[A-Za-z]:", rel) or not target.is_relative_to(base):
            c.add("path_escapes", **_place(raw, row, pos, "file"), value=given)
            continue
        if not target.is_file():
            index = _nfc_index(base) if index is None else index
            found = index.get(target.relative_to(base).as_posix().casefold())
            if found is None:
                place = _place(raw, row, pos, "file")
                shown_place = ":".join(str(x) for x in (place["file"], place.get("line")) if x is not None) + f": {place['where']}"
                params = {"place": shown_place, "value": str(given), "doc": str(doc_id)}
                evidence.warnings.append(("attachment_missing", Text(word("attachment_missing", "vi", **params),
                                                                     word("attachment_missing", "en", **params))))
                evidence.missing_documents[str(doc_id)] = str(docs["type"][i])
                missing.append(i)
                continue
            target = found
        if target.stat().st_size > MAX_DOCUMENT_BYTES:
            c.add("file_too_large", **_place(raw, row, pos, "file"), size=target.stat().st_size, limit=MAX_DOCUMENT_BYTES)
            continue
        digest = sha256_file(target)
        rel = target.relative_to(base).as_posix()
        shown = f"{raw.file.rsplit('/', 1)[0]}/{rel}" if "/" in raw.file else rel
        evidence.files[unicodedata.normalize("NFC", shown)] = digest
        evidence.document_files[str(doc_id)] = (unicodedata.normalize("NFC", shown), digest)
    if missing:
        frame = evidence.tables["documents"]
        evidence.tables["documents"] = frame.drop(index=frame.index[missing]).reset_index(drop=True)
