"""Evidence bundles: a folder, a `.zip` of one, or one `.xlsx` workbook.

A folder holds `bundle.yaml` (who, when, which framework), optionally
`metrics.yaml` (reported figures) and one `<table>.csv` per evidence table
(`rules/evidence/tables.yaml`), plus the documents' attached files. A workbook
holds a `bundle` sheet (key | value), optionally a `metrics` sheet, and a
sheet per table. Metrics derived from records replace reported ones; where both
exist and differ beyond the tolerance, a warning names both values.
"""
from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
import tempfile
import zipfile
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path, PurePosixPath
from typing import Any, Mapping

import pyarrow as pa
import pyarrow.compute as pc

from parscore.core import dates
from parscore.core import schema
from parscore.core import yamlio
from parscore.metrics.catalogue import Catalogue
from parscore.evidence.derive import Context, derive_all
from parscore.core.errors import Collector, InputError, InputErrors
from parscore.evidence.labels import fold
from parscore.evidence.columnar import check_tables, type_bundles
from parscore.evidence.typed import arrow_table, plain
from parscore.evidence.tables import ROW, Evidence, RawTable, find_sheets, read_csv, read_parquet, read_sheet, table_specs
from parscore.core.numbers import NotANumber, fraction
from parscore.core.paths import sha256_file
from parscore.core.messages import word
from parscore.core.text import Text
from parscore.metrics.units import UNITS
from parscore.metrics.values import ManualScore, MetricValue, parse_entries, parse_manual

MAX_ZIP_ENTRIES = 20_000
MAX_ZIP_BYTES = 2 * 1024 * 1024 * 1024
MAX_ZIP_RATIO = 100  # CSV and scans compress 3–20:1; a bomb, 1000:1 and more
ZIP_RATIO_FLOOR = 1024 * 1024  # entries smaller than this may compress as they like: they cannot hurt
PERIOD_LOW, PERIOD_HIGH = dt.date(1990, 1, 1), dt.date(2100, 12, 31)  # a plausible assessment period
HASH_APART_BYTES = 8 * 1024 * 1024  # a table file larger than this is hashed by a thread while it is read
OUTLIER_YEARS = 5  # a record dated this far outside the period is probably a typo: warn, do not refuse
DEFAULT_TOLERANCE_PP = Fraction(1, 2)  # reported vs derived rates may differ by half a percentage point


@dataclass(frozen=True)
class Warning_:
    code: str
    text: Text
    leaf: str | None = None
    metrics: tuple[str, ...] = ()  # the metrics it bears on: the result names the leaves that read them


@dataclass(frozen=True)
class SelfClaim:
    leaf: str
    points: Fraction
    evidence: tuple[str, ...]
    note: str | None
    file: str
    row: int


@dataclass(frozen=True)
class Conflict:
    """A reported figure that the records do not support."""

    metric: str
    reported: MetricValue
    derived: MetricValue


@dataclass(frozen=True)
class Bundle:
    path: Path
    name: str
    commune: str
    province: str
    period_start: dt.date
    period_end: dt.date
    frameworks: tuple[str, ...]
    illustrative: bool
    metrics: Mapping[str, MetricValue]
    manual: Mapping[str, ManualScore]
    files: Mapping[str, str]  # display path -> sha256
    info: Mapping[str, Any] = field(default_factory=dict)
    warnings: tuple[Warning_, ...] = ()
    evidence: Evidence | None = None
    conflicts: tuple[Conflict, ...] = ()
    self_assessment: tuple[SelfClaim, ...] = ()
    reported: Mapping[str, MetricValue] = field(default_factory=dict)  # metrics.yaml alone, before records replace any
    survey: str | None = None  # held | not_held, as bundle.yaml declares it; None when it says nothing
    survey_by: str | None = None


@dataclass(frozen=True)
class Read:
    """A bundle read, typed and checked, its metrics not yet derived from its records: `attach` completes it.

    `load_bundle` is `read_bundle` then `attach` of the values derived from this one bundle; a batch reads many,
    derives the records of those sharing a `context` in one partitioned run (`derive.derive_parts`), and attaches
    each its own values, with the same result."""

    bundle: Bundle  # its metrics: the reported figures alone
    tolerance: Fraction  # how far a reported rate may stray from the derived one

    @property
    def context(self) -> Context:
        """What the derivation of its records depends on besides the records: period and province."""
        b = self.bundle
        return Context.of(b.period_start, b.period_end, b.province)


@dataclass(frozen=True)
class Opened:
    """A bundle folder's files read and checked, its tables not yet typed (`open_bundle`): a batch types the tables
    of many bundles together (`columnar.type_bundles`) and `close` completes each, as `read_bundle` does one."""

    root: Path
    head: yamlio.Located
    files: dict[str, str]
    metrics: dict[str, MetricValue]
    manual: dict[str, ManualScore]
    raws: list[RawTable]
    catalogue: Catalogue
    c: Collector  # the problems found so far; typing and `close` add theirs
    name: str
    period: dict[str, dt.date]
    tolerance: Fraction


def attach(read: Read, derived: Mapping[str, MetricValue]) -> Bundle:
    """The bundle with the metrics derived from its records, replacing reported ones; a reported figure the records
    contradict beyond the tolerance is kept as a conflict."""
    reported = read.bundle.metrics
    conflicts = tuple(Conflict(name, reported[name], value) for name, value in derived.items()
                      if name in reported and differs(reported[name], value, read.tolerance))
    return replace(read.bundle, metrics={**reported, **derived}, conflicts=conflicts)


def check_zip(zf: zipfile.ZipFile, shown: str) -> None:
    """Refuse an archive by its directory, before a byte is unpacked: entry count, declared size, ratio."""
    infos = zf.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        raise InputErrors([InputError("zip_too_many_entries", file=shown, params={"count": len(infos), "limit": MAX_ZIP_ENTRIES})])
    total = sum(i.file_size for i in infos)
    if total > MAX_ZIP_BYTES:
        raise InputErrors([InputError("zip_too_large", file=shown, params={"size": total, "limit": MAX_ZIP_BYTES})])
    for info in infos:
        if info.file_size > ZIP_RATIO_FLOOR and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
            raise InputErrors([InputError("zip_ratio", file=shown, value=info.filename, params={
                "ratio": info.file_size // max(info.compress_size, 1), "limit": MAX_ZIP_RATIO})])


def _safe_extract(path: Path, into: Path) -> None:
    """Unpack a zip, refusing entries that escape the folder, links, and archives too large to be a bundle.

    Entries are copied in chunks and counted, so an archive whose directory lies about sizes
    is stopped at the limit instead of filling the disk.
    """
    shown = str(path)
    with zipfile.ZipFile(path) as zf:
        check_zip(zf, shown)
        infos = zf.infolist()
        for info in infos:
            name = info.filename
            pure = PurePosixPath(name.replace("\\", "/"))
            is_link = (info.external_attr >> 16) & 0o170000 == 0o120000
            if pure.is_absolute() or ".." in pure.parts or (len(name) > 1 and name[1] == ":") or is_link:
                raise InputErrors([InputError("zip_unsafe", file=shown, value=name, params={
                    "problem_vi": "là liên kết hoặc thoát ra ngoài thư mục giải nén",
                    "problem_en": "is a link or escapes the folder it unpacks into"})])
        written = 0
        for info in infos:
            target = into / PurePosixPath(info.filename.replace("\\", "/"))
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, open(target, "wb") as dst:
                for chunk in iter(lambda: src.read(1 << 20), b""):
                    written += len(chunk)
                    if written > MAX_ZIP_BYTES:
                        raise InputErrors([InputError("zip_too_large", file=shown,
                                                      params={"size": f"> {MAX_ZIP_BYTES}", "limit": MAX_ZIP_BYTES})])
                    dst.write(chunk)


def _root_of(folder: Path) -> Path:
    """A zip may hold the bundle folder itself or its contents."""
    if (folder / "bundle.yaml").is_file():
        return folder
    subs = [p for p in folder.iterdir() if p.is_dir() and (p / "bundle.yaml").is_file()]
    return subs[0] if len(subs) == 1 else folder


def load_bundle(path: Path | str, catalogue: Catalogue) -> Bundle:
    """Load a bundle (folder, .zip or .xlsx); every problem in it is reported at once."""
    read = read_bundle(path, catalogue)
    evidence = read.bundle.evidence
    return attach(read, derive_all(catalogue, evidence, read.context) if evidence is not None else {})


def read_bundle(path: Path | str, catalogue: Catalogue) -> Read:
    """A bundle (folder, .zip or .xlsx) read and typed, its records not yet derived; every problem at once."""
    got = open_bundle(path, catalogue)
    return got if isinstance(got, Read) else close(got, type_bundles([(got.raws, got.c)])[0])


def open_bundle(path: Path | str, catalogue: Catalogue, hashes: bool = True) -> Read | Opened:
    """`read_bundle` but, for a folder, up to the typing of its tables (`Opened`: `close` completes it once
    `columnar.type_bundles` has typed them). A .zip or a workbook is read whole: a zip's files are gone once
    it is read. Without `hashes`, a folder's own files (bundle.yaml, metrics.yaml, the tables) are not hashed
    and `Bundle.files` lists only its attachments: a batch keeps no file list, and hashing every export of
    every commune again after reading it was a twentieth of its work."""
    path = Path(path)
    if not path.exists():
        raise InputErrors([InputError("file_missing", file=str(path))])
    if path.is_file() and path.name == "bundle.yaml":
        path = path.parent
    # Files are named from the bundle's own name, never from how its path was typed or where it lies:
    # a result must not carry the machine's layout, and must be the same for a relative or absolute path.
    name = path.resolve().name
    if path.suffix.lower() == ".zip":
        with tempfile.TemporaryDirectory(prefix="parscore-") as tmp:
            try:
                _safe_extract(path, Path(tmp))
            except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as exc:
                raise InputErrors([InputError("zip_broken", file=name, params={"problem": str(exc)})]) from None
            root = _root_of(Path(tmp))
            opened = _load_folder(root, catalogue, shown=f"{name}!", zip_path=Path(name))
            read = close(opened, type_bundles([(opened.raws, opened.c)])[0])
    elif path.suffix.lower() in (".xlsx", ".xlsm"):
        read = _load_workbook(path, catalogue)
    else:
        return _load_folder(path, catalogue, shown=name, hashes=hashes)  # its root is the path given
    return replace(read, bundle=replace(read.bundle, path=path))


def _load_folder(root: Path, catalogue: Catalogue, shown: str, zip_path: Path | None = None, hashes: bool = True) -> Opened:
    def name_of(p: Path) -> str:
        rel = p.relative_to(root).as_posix()
        return f"{shown}{rel}" if shown.endswith("!") else f"{shown}/{rel}"
    c = Collector()
    for p in [root / "bundle.yaml", root / "metrics.yaml", *(root / f"{t}.csv" for t in table_specs())]:
        if p.is_symlink():  # a link may point anywhere on the machine: what it shows is not the bundle's content
            c.add("symlink_refused", file=name_of(p))
    c.raise_if_any()
    head = yamlio.load_mapping(root / "bundle.yaml", display=name_of(root / "bundle.yaml"))
    problems = schema.validate(head, "bundle")
    if problems:
        raise InputErrors(problems)
    files = {head.file: sha256_file(root / "bundle.yaml")} if hashes else {}
    metrics: dict[str, MetricValue] = {}
    manual: dict[str, ManualScore] = {}
    mfile = root / "metrics.yaml"
    if mfile.exists():
        doc = yamlio.load_mapping(mfile, display=name_of(mfile))
        if hashes:
            files[doc.file] = sha256_file(mfile)
        problems = schema.validate(doc, "metrics")
        if problems:
            c.extend(problems)
        else:
            metrics = parse_entries(c, doc, doc.data.get("metrics", {}), ("metrics",), catalogue)
            manual = parse_manual(c, doc, doc.data.get("manual", {}), ("manual",))
    raws: list[RawTable] = []
    with ThreadPoolExecutor(1) as hasher:
        _read_tables(root, name_of, raws, files if hashes else None, c, hasher)
    return _prepare(root, head, files, metrics, manual, raws, catalogue, c, name=str(zip_path or shown))


def _read_tables(root: Path, name_of: Any, raws: list[RawTable], files: dict[str, str] | None, c: Collector,
                 hasher: ThreadPoolExecutor) -> None:
    for table in table_specs():
        csv, parquet = root / f"{table}.csv", root / f"{table}.parquet"
        if csv.is_file() and parquet.is_file():
            c.add("table_twice", file=name_of(parquet), table=table, first=csv.name, second=parquet.name)
            continue
        source, read = (csv, read_csv) if csv.is_file() else (parquet, read_parquet)
        if source.is_file():
            # A large export's sha256 is computed by a thread while Arrow reads it (hashlib lets go of the
            # interpreter): the two passes over a 200 MB file overlap instead of adding up.
            big = files is not None and source.stat().st_size > HASH_APART_BYTES
            digest = hasher.submit(sha256_file, source) if big else None
            try:
                raws.append(read(source, table, name_of(source)))
                if files is not None:  # None: not asked for (`open_bundle`)
                    files[name_of(source)] = digest.result() if digest is not None else sha256_file(source)
            except InputErrors as exc:
                c.extend(exc.errors)


# Sheets a workbook bundle may carry besides the tables, by key or Vietnamese name (matched folding case and diacritics).
BUNDLE_SHEETS = ("bundle", "Thông tin chung")
METRICS_SHEETS = ("metrics", "Số liệu báo cáo")
MANUAL_SHEETS = ("manual", "Điểm chấm thủ công")


def _sheet(wb: Any, names: tuple[str, ...]) -> Any:
    by_fold = {fold(n): n for n in wb.sheetnames}
    return next((wb[by_fold[fold(n)]] for n in names if fold(n) in by_fold), None)


def _key(cell: Any) -> str:
    """'Tên xã (commune)' → 'commune'; a bare key stays as it is."""
    text = str(cell).strip()
    return text.rsplit("(", 1)[-1].rstrip(")").strip() if text.endswith(")") and "(" in text else text


def _data_rows(ws: Any) -> list[tuple[int, tuple[Any, ...]]]:
    """(row number, cells) below the first row, skipping blank rows and the template's example rows (key starting '*')."""
    out = []
    for r, row in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        if not row or row[0] is None or str(row[0]).strip() == "" or str(row[0]).strip().startswith("*"):
            continue
        out.append((r, tuple(row)))
    return out


def _load_workbook(path: Path, catalogue: Catalogue) -> Read:
    import openpyxl
    shown = path.resolve().name
    c = Collector()
    try:
        with zipfile.ZipFile(path) as zf:  # an .xlsx is a zip: the same checks before openpyxl unpacks it
            check_zip(zf, shown)
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except InputErrors:
        raise
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise InputErrors([InputError("xlsx_broken", file=shown, params={"problem": type(exc).__name__})]) from None
    try:
        head_ws = _sheet(wb, BUNDLE_SHEETS)
        if head_ws is None:
            raise InputErrors([InputError("bad_bundle_sheet", file=shown, params={
                "sheet": "bundle", "problem_vi": "không có trang 'bundle' (hoặc 'Thông tin chung')",
                "problem_en": "the workbook has no 'bundle' (or 'Thông tin chung') sheet"})])
        head_data: dict[str, Any] = {}
        for _, row in _data_rows(head_ws):
            head_data[_key(row[0])] = row[1] if len(row) > 1 else None
        data: dict[str, Any] = {k: v for k, v in head_data.items() if k not in ("period_start", "period_end", "framework", "frameworks", "illustrative") and v is not None}
        data = {k: str(v) for k, v in data.items()}
        data["period"] = {"start": head_data.get("period_start"), "end": head_data.get("period_end")}
        fws = [f.strip() for f in str(head_data.get("frameworks") or head_data.get("framework") or "").split(",") if f.strip()]
        if fws:
            data["frameworks"] = fws
        data["illustrative"] = str(head_data.get("illustrative", "")).strip().lower() in ("true", "1", "có", "x", "yes")
        head = yamlio.Located(_iso_dates(data), f"{shown}: sheet '{head_ws.title}'", {})
        problems = schema.validate(head, "bundle")
        if problems:
            raise InputErrors(problems)
        specs = table_specs()
        sheets = {n: wb[n] for n in wb.sheetnames}
        raws = []
        for t, ws in find_sheets(sheets, specs, c, shown).items():
            try:
                raws.append(read_sheet(ws, t, shown, specs[t]))
            except InputErrors as exc:
                c.extend(exc.errors)
        metrics: dict[str, MetricValue] = {}
        ms = _sheet(wb, METRICS_SHEETS)
        if ms is not None:
            entries: dict[str, Any] = {}
            lines: dict[tuple[object, ...], int] = {}
            for r, row in _data_rows(ms):
                keys = ("value", "numerator", "denominator", "not_applicable", "source")
                entry = {k: v for k, v in zip(keys, row[1:]) if v is not None and str(v).strip() != ""}
                if set(entry) - {"source"}:  # a row the office left empty is a figure not given, not an error
                    entries[_key(row[0])] = entry
                    lines[("metrics", _key(row[0]))] = r
            doc = yamlio.Located({"metrics": entries}, f"{shown}: sheet '{ms.title}' row", lines)
            metrics = parse_entries(c, doc, entries, ("metrics",), catalogue)
        manual: dict[str, ManualScore] = {}
        mw = _sheet(wb, MANUAL_SHEETS)
        if mw is not None:
            manual = _manual_sheet(mw, shown, c)
    finally:
        wb.close()
    opened = _prepare(path.parent, head, {shown: sha256_file(path)}, metrics, manual, raws, catalogue, c, name=shown)
    return close(opened, type_bundles([(raws, c)])[0])


def _manual_sheet(ws: Any, shown: str, c: Collector) -> dict[str, ManualScore]:
    """The `manual` sheet: leaf | points | note | evidence (separated by ';' or ','), as metrics.yaml's `manual:`."""
    entries: dict[str, Any] = {}
    lines: dict[tuple[object, ...], int] = {}
    for r, row in _data_rows(ws):
        cells = list(row) + [None] * 4
        leaf, points, note, evidence = (_key(cells[0]), cells[1], cells[2], cells[3])
        if points is None or str(points).strip() == "":
            continue  # a manual criterion the office has not scored yet
        refs = [x.strip() for x in str(evidence or "").replace(",", ";").split(";") if x.strip()]
        entries[leaf] = {"points": points, "note": "" if note is None else str(note), "evidence": refs}
        for k in ((), ("points",), ("note",), ("evidence",)):
            lines[("manual", leaf, *k)] = r
    doc = yamlio.Located({"manual": entries}, f"{shown}: sheet '{ws.title}' row", lines)
    problems = schema.validate(doc, "metrics")
    if problems:
        c.extend(problems)
        return {}
    return parse_manual(c, doc, entries, ("manual",))


def _iso_dates(data: dict[str, Any]) -> dict[str, Any]:
    for k in ("start", "end"):
        v = data["period"].get(k)
        if isinstance(v, (dt.date, dt.datetime)):
            data["period"][k] = (v.date() if isinstance(v, dt.datetime) else v).isoformat()
        elif v is not None:
            data["period"][k] = str(v)
    return data


def _prepare(root: Path, head: yamlio.Located, files: dict[str, str], metrics: dict[str, MetricValue],
             manual: dict[str, ManualScore], raws: list[RawTable], catalogue: Catalogue, c: Collector, name: str) -> Opened:
    """A bundle's head checked (period, tolerance): all of it that comes before the typing of its tables."""
    b = head.data
    period: dict[str, dt.date] = {}
    for key in ("start", "end"):
        try:
            period[key] = dates.parse_date(b["period"][key])
        except dates.NotADate:
            c.add("bad_date", file=head.file, line=head.line(("period", key)), where=f"period.{key}",
                  value=str(b["period"][key]))
    for key, day in period.items():
        if not PERIOD_LOW <= day <= PERIOD_HIGH:
            c.add("date_out_of_range", file=head.file, line=head.line(("period", key)), where=f"period.{key}",
                  value=day.isoformat(), low=PERIOD_LOW.year, high=PERIOD_HIGH.year)
    tolerance = DEFAULT_TOLERANCE_PP
    if "tolerance_pp" in b:
        try:
            tolerance = fraction(b["tolerance_pp"])
            if tolerance < 0:
                c.add("negative_tolerance", file=head.file, line=head.line(("tolerance_pp",)), where="tolerance_pp",
                      value=str(b["tolerance_pp"]))
        except NotANumber as exc:
            c.add(exc.code, file=head.file, line=head.line(("tolerance_pp",)), where="tolerance_pp", **exc.params)
    return Opened(root, head, files, metrics, manual, raws, catalogue, c, name, period, tolerance)


def close(opened: Opened, typed: Evidence) -> Read:
    """Everything of a bundle but its derived metrics (`attach` adds them), from its tables as
    `columnar.type_bundles` typed them: the tables checked together (references, attached files), then the rest."""
    root, head, files, raws, c, period = opened.root, opened.head, opened.files, opened.raws, opened.c, opened.period
    b, catalogue, metrics, manual, name = head.data, opened.catalogue, opened.metrics, opened.manual, opened.name
    evidence = typed if raws else None
    if evidence is not None:
        check_tables(evidence, raws, root, c)
    c.raise_if_any()
    if period["end"] < period["start"]:
        raise InputErrors([InputError("bad_date", file=head.file, line=head.line(("period", "end")),
                                      where="period.end", value=str(b["period"]["end"]))])
    claims: tuple[SelfClaim, ...] = ()
    reported = dict(metrics)
    if evidence is not None:
        files.update(evidence.files)
        claims = _claims(evidence)
    warnings = tuple(Warning_(code, text) for code, text in evidence.warnings if code != "attachment_missing") \
        if evidence is not None else ()
    if evidence is not None and evidence.missing_documents:
        missing = iter(t for code, t in evidence.warnings if code == "attachment_missing")
        for doc_type in evidence.missing_documents.values():
            warnings += (Warning_("attachment_missing", next(missing), None, _metrics_reading(catalogue, doc_type)),)
    frameworks = tuple(b.get("frameworks") or ([b["framework"]] if "framework" in b else []))
    bundle = Bundle(root, name, b["commune"], b["province"], period["start"], period["end"], frameworks,
                    bool(b.get("illustrative", False)), metrics, manual, dict(sorted(files.items())),
                    info={k: v for k, v in b.items() if k in ("commune_code", "note", "seed")},
                    warnings=warnings + (_outliers(evidence, period["start"], period["end"]) if evidence is not None else ()),
                    evidence=evidence, self_assessment=claims, reported=reported,
                    survey=b.get("survey"), survey_by=b.get("survey_by"))
    return Read(bundle, opened.tolerance)


def _outliers(evidence: Evidence, start: dt.date, end: dt.date) -> tuple[Warning_, ...]:
    """One warning per date column holding records dated years away from the period (a year typed 2052 for 2025)."""
    low = dt.datetime.combine(start.replace(year=start.year - OUTLIER_YEARS), dt.time())
    high = dt.datetime.combine(end.replace(year=min(end.year + OUTLIER_YEARS, 9999), day=min(end.day, 28)), dt.time())
    specs = table_specs()
    out = []
    for tname in sorted(evidence.tables):
        table = arrow_table(evidence.tables, tname, specs.get(tname))  # the Arrow columns: no frame is built to look
        for cname, kind in zip(table.column_names, table.schema.types):
            if not pa.types.is_timestamp(kind.value_type if pa.types.is_dictionary(kind) else kind):
                continue
            column = table.column(cname)
            # One pass to see that nothing is far (almost always); over a dictionary's distinct dates, which
            # hold every row's, without spelling a million rows out.
            seen = pa.chunked_array([chunk.dictionary for chunk in column.chunks], column.type.value_type) \
                if pa.types.is_dictionary(column.type) else column
            least, most = pc.min_max(seen).values()
            if least.as_py() is None or (low <= least.as_py() and most.as_py() <= high):
                continue
            column = plain(column)
            far = pc.fill_null(pc.or_(pc.less(column, pa.scalar(low, column.type)), pc.greater(column, pa.scalar(high, column.type))), False)
            if not pc.any(far).as_py():
                continue
            i = int(pc.index(far, True).as_py())
            place = f"{evidence.sources.get(tname, tname)}:{int(table.column(ROW)[i].as_py())} {cname}"
            params = {"value": column[i].as_py().date().isoformat(), "where": place, "start": start.isoformat(),
                      "end": end.isoformat()}
            out.append(Warning_("date_outlier", Text(word("date_outlier", "vi", **params), word("date_outlier", "en", **params))))
    return tuple(out)


def _metrics_reading(catalogue: Catalogue, doc_type: str) -> tuple[str, ...]:
    """Metrics whose derivation reads documents of this type (directly, or by a reference to them)."""
    out = []
    for metric in catalogue.values():
        spec = metric.derive
        if not spec:
            continue
        text = repr(spec)
        if (spec["table"] == "documents" and (f"'{doc_type}'" in text or "where" not in spec)) or \
                ("'documents'" in text and f"'{doc_type}'" in text):
            out.append(metric.name)
    return tuple(out)


def differs(reported: MetricValue, derived: MetricValue, tolerance_pp: Fraction) -> bool:
    """Whether a reported figure is unsupported by the records: rates beyond the tolerance, anything else exactly."""
    if reported.state != derived.state:
        return True
    return UNITS[reported.unit].differs(reported, derived, tolerance_pp)


def _claims(evidence: Evidence) -> tuple[SelfClaim, ...]:
    if "self_assessment" not in evidence.tables:
        return ()
    # Read from the Arrow columns: a pandas frame of a few rows cost a millisecond a bundle.
    table = arrow_table(evidence.tables, "self_assessment", table_specs()["self_assessment"])
    out = []
    for r in table.select(["leaf", "points", "evidence", "note", ROW]).to_pylist():
        if r["points"] is None or r["points"] != r["points"]:  # a criterion the office did not self-score
            continue
        try:
            pts = fraction(r["points"])
        except NotANumber:
            continue
        out.append(SelfClaim(str(r["leaf"]), pts, tuple(r["evidence"] or ()), r["note"], evidence.sources["self_assessment"],
                             int(r[ROW])))
    return tuple(out)
