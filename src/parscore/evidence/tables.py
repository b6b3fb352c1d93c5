"""Record-level evidence: the tables a bundle carries, read, typed and checked.

Tables come as `<table>.csv` files in a bundle folder (or zip), or as sheets of
an `.xlsx` bundle. Headers may be the English key (`received_at`), the
Vietnamese header (`Ngày tiếp nhận`), or both as the template writes them
(`Ngày tiếp nhận (received_at)`). Conversion is vectorised with pandas; every
bad cell is reported with its file, row and column, and all problems of a
bundle are reported together (capped per table so a broken export stays readable).
"""
from __future__ import annotations

import csv
import datetime as dt
import os
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from parscore.core import cache
from parscore.core import schema
from parscore.core import yamlio
from parscore.core.dates import PLAUSIBLE_HIGH, PLAUSIBLE_LOW, parse_datetime
from parscore.core.errors import Collector, InputError, InputErrors, did_you_mean
from parscore.core.numbers import MAX_DECIMALS, MAX_INTEGER_DIGITS, NotANumber, parse_decimal
from parscore.core.paths import display, sha256_file, tables_file
from parscore.core.text import Text
from parscore.evidence.vocabulary import columns_named

MAX_TABLE_BYTES = 512 * 1024 * 1024
MAX_DOCUMENT_BYTES = 100 * 1024 * 1024
MAX_ERRORS_PER_TABLE = 50
MAX_TABLE_ROWS = 2_000_000  # a province's busiest commune handles some 50,000 dossiers a year
# Records dated outside this range are typos (a year 1 or 9999), refused in place; see also date_outlier warnings.
DATE_LOW = dt.datetime.combine(PLAUSIBLE_LOW, dt.time())
DATE_HIGH = dt.datetime.combine(PLAUSIBLE_HIGH, dt.time(23, 59, 59))
ROW = "_row"  # the source row number of each record, kept for error messages and provenance

TRUE = {"true", "1", "x", "yes", "y", "có", "co", "đúng", "dung", "c"}
FALSE = {"false", "0", "no", "n", "không", "khong", "sai", "k", ""}
_OFFSET = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")
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

    def template_header(self) -> str:
        return f"{self.header.vi} ({self.name})"


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
                                x.get("min"), x.get("max")) for x in t["columns"])
        out[name] = TableSpec(name, Text.of(t["title"]), t.get("key"), cols, t.get("computed", {}), t["source"])  # type: ignore[arg-type]
    c.raise_if_any()
    return out


@dataclass(frozen=True)
class RawTable:
    """Cells as read, before typing: a header row and the rows below it with their source numbers."""

    name: str
    file: str
    headers: list[str]
    frame: pd.DataFrame  # object columns in source order, plus ROW
    sheet: str | None = None


@dataclass
class Evidence:
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # table -> display file
    files: dict[str, str] = field(default_factory=dict)  # display path -> sha256
    document_files: dict[str, tuple[str, str]] = field(default_factory=dict)  # document id -> (file, sha256)

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
        for alias in (col.name, col.header.vi, col.header.en, col.template_header()):
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
            c.add("unknown_column", **_place(raw, 1, i, str(header)), column=str(header), table=spec.name,
                  allowed=", ".join(x.name for x in spec.columns),
                  hint=lambda lang, h=str(header), choices=choices: did_you_mean(h, choices, lang))
            continue
        if key in found:
            c.add("duplicate_column", **_place(raw, 1, i, key), column=key)
            continue
        found[key] = i
    for col in spec.columns:
        if col.required and col.name not in found:
            c.add("missing_column", **_place(raw, 1, None, col.name), column=col.name, header=col.template_header(),
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


def _blank(s: pd.Series) -> np.ndarray:
    return (s.isna() | s.astype(str).str.strip().isin(["", "nan", "NaT", "None"])).to_numpy()


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


# The forms a one-stop export writes, each with the exact shape it must have. Cells of one of these
# shapes are parsed in C++ by Arrow (~20× pandas' fixed-format parser, ~400× its per-cell "mixed" one);
# the shapes leave Arrow's lenient strptime nothing to guess (hours 0–23, minutes and seconds 0–59, years
# 1700–2199), and a day the month does not have (31/02, which strptime rolls over) is caught by reading
# the day and month back. Every other cell goes to pandas' "mixed" parser, as before: what is accepted,
# and how, is unchanged.
_DMY = r"^\d{1,2}/\d{1,2}/(1[7-9]|2[01])\d\d"
_HM = r" ([01]?\d|2[0-3]):[0-5]\d"
_DMY_FORMATS = (("%d/%m/%Y %H:%M", _DMY + _HM + "$"), ("%d/%m/%Y", _DMY + "$"),
                ("%d/%m/%Y %H:%M:%S", _DMY + _HM + r":[0-5]\d$"))


def _parse_dmy(text: pd.Series, far: pd.Series) -> pd.Series:
    values = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[ns]")
    cells = pa.array(text.to_numpy(dtype=object), type=pa.string())
    todo = np.ones(len(text), dtype=bool)
    for fmt, shape in _DMY_FORMATS:
        fits = pc.fill_null(pc.match_substring_regex(cells, shape), False).to_numpy(zero_copy_only=False) & todo
        if not fits.any():
            continue
        sub = cells.filter(pa.array(fits))
        parsed = pc.strptime(sub, format=fmt, unit="ns", error_is_null=True)
        dm = pc.extract_regex(sub, r"^(?P<d>\d{1,2})/(?P<m>\d{1,2})/")
        same = pc.and_(pc.equal(pc.day(parsed), pc.cast(pc.struct_field(dm, "d"), pa.int64())),
                       pc.equal(pc.month(parsed), pc.cast(pc.struct_field(dm, "m"), pa.int64())))
        ok = pc.fill_null(same, False).to_numpy(zero_copy_only=False)
        rows = np.flatnonzero(fits)[ok]
        values[rows] = parsed.filter(pa.array(ok)).to_numpy(zero_copy_only=False).astype("datetime64[ns]")
        todo[rows] = False
    out = _plausible(pd.Series(values, index=text.index), far)
    if todo.any():
        out[text.index[todo]] = _plausible(pd.to_datetime(text[todo], dayfirst=True, errors="coerce", format="mixed"), far)
    return out


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
    """Vectorised: ISO, dd/mm/yyyy [hh:mm[:ss]], Excel datetimes; offsets converted to Vietnam time.

    Also returns the mask of dates outside the plausible range (reported as such, not as unreadable).
    """
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    far = pd.Series(False, index=s.index, dtype=bool)
    if _all_text(s):
        is_dt = np.zeros(len(s), dtype=bool)
    else:
        is_dt = s.map(lambda v: hasattr(v, "year")).to_numpy(dtype=bool)
    if is_dt.any():
        naive = s[is_dt].map(lambda v: _naive(v))
        outside = naive.map(lambda v: not DATE_LOW <= v <= DATE_HIGH).astype(bool)
        far[outside[outside].index] = True
        out[naive[~outside].index] = pd.to_datetime(naive[~outside], errors="coerce")
    text = s[~is_dt].astype(str).str.strip()
    if len(text):
        aware = text.str.contains(_OFFSET, regex=True)
        if aware.any():
            parsed = _plausible(pd.to_datetime(text[aware], utc=True, errors="coerce", format="ISO8601"), far)
            out[text[aware].index] = parsed.dt.tz_convert("Asia/Ho_Chi_Minh").dt.tz_localize(None)
        rest = text[~aware]
        dmy = rest.str.match(r"^\d{1,2}/\d{1,2}/\d{4}")
        if dmy.any():
            out[rest[dmy].index] = _parse_dmy(rest[dmy], far)
        iso = rest[~dmy]
        if len(iso):
            out[iso.index] = _plausible(pd.to_datetime(iso, errors="coerce", format="ISO8601"), far)
    return out, far


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
    simple = text.str.fullmatch(_SIMPLE) & s[present].map(lambda v: isinstance(v, str)).astype(bool)
    values[text[simple].index] = pd.to_numeric(text[simple])
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


def type_table(raw: RawTable, spec: TableSpec, c: Collector) -> pd.DataFrame | None:
    """Typed columns (every spec column present, optional ones filled), with located errors."""
    before = len(c.errors)
    positions = map_headers(raw, spec, c)
    if len(c.errors) > before and any(e.code == "missing_column" for e in c.errors[before:]):
        return None
    cells = _Cells(raw, c)
    out: dict[str, Any] = {ROW: raw.frame[ROW].to_numpy()}
    n = len(raw.frame)
    for col in spec.columns:
        if col.name not in positions:
            out[col.name] = _default_column(col, n)
            continue
        pos = positions[col.name]
        s = raw.frame.iloc[:, pos]
        blank = _blank(s)
        if col.required:
            cells.bad(blank, s, col, pos, "empty_cell", column=col.name)
        if col.type in ("datetime", "date"):
            parsed, far = _parse_datetimes(s)
            cells.bad(~blank & far.to_numpy(), s, col, pos, "date_out_of_range", low=DATE_LOW.year, high=DATE_HIGH.year)
            cells.bad(~blank & ~far.to_numpy() & parsed.isna().to_numpy(), s, col, pos, "bad_date")
            out[col.name] = parsed.dt.normalize() if col.type == "date" else parsed
        elif col.type in ("int", "decimal"):
            nums, codes = _numbers(s.where(~blank, None))
            bad = ~blank & nums.isna().to_numpy()
            for code in sorted(set(codes[bad])):
                cells.bad(bad & (codes == code).to_numpy(), s, col, pos, code or "bad_number", **_limit(code))
            ok = ~blank & ~bad
            if col.type == "int":
                frac = ok & (nums.fillna(0) % 1 != 0).to_numpy()
                cells.bad(frac, s, col, pos, "not_integer")
                nums = nums.where(~pd.Series(frac, index=nums.index))  # reported; kept out of the integer cast
            if col.min is not None:
                cells.bad(ok & (nums.fillna(col.min) < col.min).to_numpy(), s, col, pos, "out_of_range", low=col.min, high=col.max)
            else:
                cells.bad(ok & (nums.fillna(0) < 0).to_numpy(), s, col, pos, "negative")
            if col.max is not None:
                cells.bad(ok & (nums.fillna(col.max) > col.max).to_numpy(), s, col, pos, "out_of_range", low=col.min, high=col.max)
            default = col.default if col.default is not None else np.nan
            filled = nums.where(~pd.Series(blank, index=nums.index), default)
            out[col.name] = filled.astype("Int64") if col.type == "int" and not filled.isna().any() else filled
            if col.type == "int" and col.default is not None:
                out[col.name] = filled.fillna(col.default).astype(np.int64)
        elif col.type == "bool":
            low = _per_value(s, lambda v: _norm(v) if v is not None else "")
            valid = low.isin(TRUE | FALSE).to_numpy() | blank
            cells.bad(~valid, s, col, pos, "bad_bool")
            out[col.name] = low.isin(TRUE).to_numpy()
        elif col.type == "enum":
            low = _per_value(s, lambda v: _norm(v) if v is not None else "")
            valid = low.isin(col.values).to_numpy() | blank
            for i in np.flatnonzero(~valid)[: MAX_ERRORS_PER_TABLE]:
                row = int(raw.frame[ROW].iloc[i])
                c.add("bad_enum", **_place(raw, row, pos, col.name), value=str(s.iloc[i]), allowed=", ".join(col.values),
                      hint=lambda lang, v=str(low.iloc[i]), allowed=col.values: did_you_mean(v, allowed, lang))
            out[col.name] = low.where(~pd.Series(blank, index=low.index), None).where(pd.Series(valid, index=low.index), None)
        elif col.type == "list":
            out[col.name] = _per_value(s, lambda v: tuple(x.strip() for x in re.split(r"[;,]", str(v)) if x.strip())
                                       if v is not None and str(v).strip() not in ("", "nan") else ())
        else:  # string, path
            out[col.name] = _strings(s)
    cells.close()
    frame = pd.DataFrame(out)
    if spec.key and spec.key in positions:
        dup = frame[spec.key].duplicated(keep="first") & frame[spec.key].notna()
        for i in np.flatnonzero(dup.to_numpy())[:MAX_ERRORS_PER_TABLE]:
            first = frame.loc[frame[spec.key] == frame[spec.key].iloc[i], ROW].iloc[0]
            c.add("duplicate_id", **_place(raw, int(frame[ROW].iloc[i]), positions[spec.key], spec.key),
                  id=frame[spec.key].iloc[i], other=f"{raw.file}:{first}" if raw.sheet is None else f"row {first}")
    return frame


def _strings(s: pd.Series) -> pd.Series:
    """Text cells stripped and NFC-normalised, blanks as None (an object column, so pandas cannot turn the
    blanks into float NaN). Text columns are done vectorised; an .xlsx sheet's mixed cells one by one."""
    if not _all_text(s):
        return pd.Series([None if v is None or str(v).strip() in ("", "nan")
                          else unicodedata.normalize("NFC", str(v).strip()) for v in s], index=s.index, dtype=object)
    stripped = s.astype(str).str.strip()
    values = stripped.str.normalize("NFC").to_numpy(dtype=object)
    values[(stripped.isin(["", "nan"]) | s.isna()).to_numpy()] = None
    return pd.Series(values, index=s.index, dtype=object)


def _default_column(col: ColumnSpec, n: int) -> Any:
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
    if size > MAX_TABLE_BYTES:
        raise InputErrors([InputError("file_too_large", file=shown, params={"size": size, "limit": MAX_TABLE_BYTES})])
    if size == 0:
        raise InputErrors([InputError("csv_empty", file=shown, line=1)])
    rows = _count_lines(path)
    if rows > MAX_TABLE_ROWS + 1:  # counted before pandas builds anything
        raise InputErrors([InputError("too_many_rows", file=shown, params={"rows": rows - 1, "limit": MAX_TABLE_ROWS})])
    with open(path, encoding="utf-8-sig", newline="") as fh:
        first = fh.readline()
    sep = ";" if first.count(";") > first.count(",") else ","
    try:
        frame = _read_text(path, sep, first)
    except pd.errors.EmptyDataError:
        raise InputErrors([InputError("csv_empty", file=shown, line=1)]) from None
    except pd.errors.ParserError:
        raise InputErrors([_ragged(path, sep, shown)]) from None
    headers = [str(h) for h in frame.iloc[0].tolist()] if len(frame) else []
    body = frame.iloc[1:].reset_index(drop=True)
    body = body.loc[~(body.apply(lambda col: col.str.strip() == "").all(axis=1))] if len(body) else body
    body[ROW] = body.index.to_numpy() + 2
    return RawTable(name, shown, headers, body.reset_index(drop=True))


def _read_text(path: Path, sep: str, first: str) -> pd.DataFrame:
    """Every cell as text, the header row included, blank lines kept as empty rows (so that row numbers
    stay the file's). Read by pyarrow's multi-threaded reader (~4× pandas' on a large export); a file it
    refuses (ragged rows, bytes that are not UTF-8) is read by pandas as before, which says what is wrong."""
    width = len(next(csv.reader([first], delimiter=sep), [])) + 1
    try:
        if not first.strip():  # no header on the first line: pandas' reader says what is wrong
            raise pa.ArrowInvalid("no header")
        table = pacsv.read_csv(
            path, read_options=pacsv.ReadOptions(autogenerate_column_names=True),
            parse_options=pacsv.ParseOptions(delimiter=sep, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(column_types={f"f{i}": pa.string() for i in range(width)},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False))
    except pa.ArrowInvalid:
        return pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False, encoding="utf-8-sig", header=None,
                           skip_blank_lines=False)
    frame = table.to_pandas()
    frame.columns = range(frame.shape[1])
    return frame


def read_parquet(path: Path, name: str, shown: str) -> RawTable:
    """A `<table>.parquet` file: its column names are the headers; text columns stay text, and typed ones
    (timestamps, numbers, booleans) reach the typing as Python values, as an .xlsx sheet's cells do.
    Rows are numbered as a spreadsheet of the table would show them (header on row 1)."""
    size = path.stat().st_size
    if size > MAX_TABLE_BYTES:
        raise InputErrors([InputError("file_too_large", file=shown, params={"size": size, "limit": MAX_TABLE_BYTES})])
    try:
        rows = pq.ParquetFile(path).metadata.num_rows
        if rows > MAX_TABLE_ROWS:  # read from the footer, before any row is loaded
            raise InputErrors([InputError("too_many_rows", file=shown, params={"rows": rows, "limit": MAX_TABLE_ROWS})])
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        raise InputErrors([InputError("bad_parquet", file=shown, params={"problem": str(exc)[:200]})]) from None
    headers = [str(h) for h in table.column_names]
    columns: dict[int, Any] = {}
    for i, column in enumerate(table.columns):
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            columns[i] = column.fill_null("").to_pandas()
        else:
            columns[i] = pd.Series(column.to_pylist(), dtype=object)  # Python values; nulls as None
    frame = pd.DataFrame(columns) if columns else pd.DataFrame(index=range(table.num_rows))
    frame[ROW] = np.arange(table.num_rows) + 2
    return RawTable(name, shown, headers, frame)


def _count_lines(path: Path) -> int:
    n = 0
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            n += chunk.count(b"\n")
    return n + 1


def _ragged(path: Path, sep: str, shown: str) -> InputError:
    """The first row with more fields than the header, found with the csv module (pandas only says "error")."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, delimiter=sep)
        expected = None
        for row in reader:
            if expected is None:
                expected = len(row)
            elif len(row) > expected:
                return InputError("csv_ragged_row", file=shown, line=reader.line_num,
                                  params={"found": len(row), "expected": expected})
    return InputError("csv_ragged_row", file=shown, params={"found": "?", "expected": expected or 0})


def read_sheet(ws: Any, name: str, shown: str) -> RawTable:
    rows = ws.iter_rows(values_only=True)
    try:
        headers = [("" if h is None else str(h)) for h in next(rows)]
    except StopIteration:
        headers = []
    data, numbers = [], []
    for r, values in enumerate(rows, start=2):
        if r > MAX_TABLE_ROWS + 1:  # read-only sheets stream: stop before holding more than the limit
            raise InputErrors([InputError("too_many_rows", file=shown, where=f"sheet '{ws.title}'",
                                          params={"rows": f"> {MAX_TABLE_ROWS}", "limit": MAX_TABLE_ROWS})])
        if values is not None and len(values) > max(len(headers), 1) and any(v not in (None, "") for v in values[len(headers):]):
            raise InputErrors([InputError("csv_ragged_row", file=shown, where=f"sheet '{ws.title}' row {r}",
                                          params={"found": len(values), "expected": len(headers)})])
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            continue
        data.append(list(values) + [None] * (len(headers) - len(values)))
        numbers.append(r)
    frame = pd.DataFrame(data, columns=range(len(headers))) if data else pd.DataFrame(columns=range(len(headers)))
    frame = frame.astype(object)
    frame[ROW] = numbers
    return RawTable(name, shown, headers, frame, sheet=ws.title)



def check_references(evidence: Evidence, specs: Mapping[str, TableSpec], raws: Mapping[str, RawTable], c: Collector) -> None:
    """Every reference (apology_doc → documents.id, …) must name a record that exists."""
    for tname, frame in evidence.tables.items():
        spec = specs[tname]
        for col in spec.columns:
            if not col.references or col.name not in frame:
                continue
            target_table, target_col = col.references.split(".")
            known = set(evidence.tables[target_table][target_col].dropna()) if target_table in evidence.tables else set()
            values = frame[col.name]
            if not _is_tuples(values):  # one reference per cell: only the cells that miss are visited below
                missing = (values.notna() & ~values.isin(known)).to_numpy()
                if not missing.any():
                    continue
            for i, v in enumerate(values):
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


def _is_tuples(values: pd.Series) -> bool:
    return values.dtype == object and any(isinstance(v, tuple) for v in values.head(50))


def check_document_files(evidence: Evidence, root: Path, raw: RawTable | None, c: Collector) -> None:
    """Attached files must stay inside the bundle, exist and be of a sane size; their sha256 is recorded."""
    docs = evidence.tables.get("documents")
    if docs is None or raw is None:
        return
    base = root.resolve()
    pos = next((i for i, h in enumerate(raw.headers) if _norm(h) in ("file", "tệp đính kèm", "tệp đính kèm (file)")), None)
    for i, (doc_id, rel) in enumerate(zip(docs["id"], docs["file"])):
        if rel is None:
            continue
        row = int(docs[ROW].iloc[i])
        target = (base / rel).resolve()
        if Path(rel).is_absolute() or not target.is_relative_to(base):
            c.add("path_escapes", **_place(raw, row, pos, "file"), value=rel)
            continue
        if not target.is_file():
            c.add("file_missing", **_place(raw, row, pos, "file"), value=rel)
            continue
        if target.stat().st_size > MAX_DOCUMENT_BYTES:
            c.add("file_too_large", **_place(raw, row, pos, "file"), size=target.stat().st_size, limit=MAX_DOCUMENT_BYTES)
            continue
        digest = sha256_file(target)
        shown = f"{raw.file.rsplit('/', 1)[0]}/{rel}" if "/" in raw.file else rel
        evidence.files[shown] = digest
        evidence.document_files[str(doc_id)] = (shown, digest)


def load_tables(raws: Iterable[RawTable], root: Path, c: Collector) -> Evidence:
    specs = table_specs()
    evidence = Evidence()
    by_name: dict[str, RawTable] = {}
    for raw in raws:
        spec = specs[raw.name]
        frame = type_table(raw, spec, c)
        if frame is not None:
            evidence.tables[raw.name] = frame
            evidence.sources[raw.name] = raw.file
        by_name[raw.name] = raw
    if not c.errors:
        check_references(evidence, specs, by_name, c)
        check_document_files(evidence, root, by_name.get("documents"), c)
    return evidence
