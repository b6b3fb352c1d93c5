"""Parquet tables: `<table>.parquet` in place of `<table>.csv` gives the same metrics and provenance."""
from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from parscore import api
from parscore.core.errors import Collector, InputErrors
from parscore.evidence import columnar
from parscore.evidence import tables as tables_module
from parscore.evidence.tables import ROW, RawTable, read_parquet, table_specs, type_table
from parscore.evidence.typed import frame_of

from helpers import parquet_whole_and_streamed

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "dao-xa-2025"
DERIVED = ("dossier_on_time_rate", "late_dossier_apology_rate")


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "bundle"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("expected"))
    return target


def _facts(bundle: api.Bundle) -> dict[str, tuple[object, ...]]:
    out = {}
    for name in DERIVED:
        m = bundle.metrics[name]
        out[name] = (m.num, m.den, m.provenance.failing_records, m.provenance.failing_count)
    return out


def test_text_parquet_gives_the_csv_metrics(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    frame = pd.read_csv(folder / "dossiers.csv", dtype=str, keep_default_na=False)
    frame.to_parquet(folder / "dossiers.parquet", index=False)
    (folder / "dossiers.csv").unlink()
    assert _facts(api.load_bundle(folder)) == _facts(api.load_bundle(EXAMPLE))


def test_typed_parquet_gives_the_csv_metrics(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    frame = pd.read_csv(folder / "dossiers.csv", dtype=str, keep_default_na=False)
    for col in ("received_at", "due_at", "finished_at", "returned_at", "stopped_at"):
        frame[col] = pd.to_datetime(frame[col], format="%d/%m/%Y %H:%M", errors="coerce")
    for col in ("supplement_requests", "supplement_days", "legal_days"):
        frame[col] = pd.to_numeric(frame[col].replace("", None))
    frame.to_parquet(folder / "dossiers.parquet", index=False)
    (folder / "dossiers.csv").unlink()
    assert _facts(api.load_bundle(folder)) == _facts(api.load_bundle(EXAMPLE))


def test_a_table_given_twice_is_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    pd.read_csv(folder / "dossiers.csv", dtype=str).to_parquet(folder / "dossiers.parquet", index=False)
    with pytest.raises(InputErrors) as exc:
        api.load_bundle(folder)
    assert [e.code for e in exc.value.errors] == ["table_twice"]
    assert "dossiers.parquet" in exc.value.render("en")


def test_a_broken_parquet_is_bad_input(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "dossiers.csv").unlink()
    (folder / "dossiers.parquet").write_bytes(b"PAR1 not really")
    with pytest.raises(InputErrors) as exc:
        api.load_bundle(folder)
    assert [e.code for e in exc.value.errors] == ["bad_parquet"]


# ---- text and typed Parquet against CSV, value by value --------------------------------------------------



def _metrics(bundle: api.Bundle) -> dict[str, object]:
    """Every metric value with its provenance, the file name aside (dossiers.csv or dossiers.parquet)."""
    return {k: dataclasses.replace(v, provenance=dataclasses.replace(v.provenance, file=None) if v.provenance else None)
            for k, v in bundle.metrics.items()}


def _typed_export(frame: pd.DataFrame, table: str) -> pa.Table:
    """A typed table as a database would export it: timestamps (dossiers' as UTC instants), dates as dates,
    counts as integers where none is blank, lists as text."""
    spec = table_specs()[table]
    out = {}
    for col in spec.columns:
        s = frame[col.name]
        if col.type == "datetime":
            values = pa.array(s.astype("datetime64[us]"), from_pandas=True)
            out[col.name] = pa.compute.assume_timezone(values, "Asia/Ho_Chi_Minh").cast(pa.timestamp("us", "UTC")) \
                if table == "dossiers" else values
        elif col.type == "date":
            out[col.name] = pa.array(s.dt.date, type=pa.date32(), from_pandas=True)
        elif col.type == "int" and not s.isna().any():
            out[col.name] = pa.array(s.astype(np.int64))
        elif col.type == "list":
            out[col.name] = pa.array([";".join(v) for v in s], type=pa.string())
        else:
            out[col.name] = pa.array(s, from_pandas=True)
    return pa.table(out)


@pytest.mark.parametrize("example", ["dao-xa-2025", "anh-son-2025"])
def test_csv_text_parquet_and_typed_parquet_give_identical_metrics(tmp_path: Path, example: str,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "csv" / example  # each copy in a folder of the example's name: documents are shown under it
    shutil.copytree(ROOT / "examples" / example, source, ignore=shutil.ignore_patterns("expected"))
    from_csv = api.load_bundle(source)
    assert from_csv.evidence is not None
    text, typed = tmp_path / "text" / example, tmp_path / "typed" / example
    for folder in (text, typed):
        shutil.copytree(source, folder)
    for csv in sorted(source.glob("*.csv")):
        name = csv.stem
        pd.read_csv(csv, dtype=str, keep_default_na=False).to_parquet(text / f"{name}.parquet", index=False)
        pq.write_table(_typed_export(from_csv.evidence.tables[name], name), typed / f"{name}.parquet")
        (text / csv.name).unlink()
        (typed / csv.name).unlink()
    assert any(pa.types.is_timestamp(t) for t in pq.read_schema(typed / "dossiers.parquet").types)
    expected = _metrics(from_csv)
    assert _metrics(api.load_bundle(text)) == expected
    retyped: list[int] = []
    general = columnar._retype
    monkeypatch.setattr(columnar, "_retype", lambda raw, spec, *a: retyped.append(1) or general(raw, spec, *a))
    assert _metrics(api.load_bundle(typed)) == expected
    assert not retyped  # every typed column was read column-wise: no row took the cell-by-cell path


def _both_ways(table: pa.Table, name: str) -> tuple[pd.DataFrame | None, list[str], pd.DataFrame | None, list[str]]:
    """A Parquet table typed column-wise (as parscore reads it) and cell by cell from its Python values (the
    general path, as an .xlsx sheet's cells are typed): (frame, errors) each."""
    spec = table_specs()[name]
    fast_c, slow_c = Collector(), Collector()
    raw = RawTable(name, f"{name}.parquet", table.column_names, pd.DataFrame(), cells=tables_module._parquet_cells(table, 0, f"{name}.parquet", name))
    fast = columnar.type_cells(raw, spec, fast_c, [])
    frame = pd.DataFrame({i: pd.Series(c.to_pylist(), dtype=object) for i, c in enumerate(table.columns)})
    frame[ROW] = np.arange(table.num_rows) + 2
    slow = type_table(RawTable(name, f"{name}.parquet", table.column_names, frame), spec, slow_c, [])
    return (frame_of(fast, spec) if fast is not None else None, [e.render("en") for e in fast_c.errors],
            slow, [e.render("en") for e in slow_c.errors])


UTC = dt.timezone.utc


def _dossiers(n: int, **columns: object) -> pa.Table:
    """n dossiers with the required columns (text) and the given ones."""
    base = {"id": [f"HS-{i}" for i in range(n)], "procedure": ["Khai sinh"] * n, "received_at": ["01/03/2025 08:00"] * n,
            "status": ["returned"] * n, "channel": ["online"] * n}
    return pa.table({**base, **columns})


def _same(table: pa.Table, name: str, errors: list[str]) -> None:
    """Typed column-wise exactly as cell by cell: the same frame (a refused cell blank in both) and the same
    located errors, whose codes are `errors`."""
    fast, fast_errors, slow, slow_errors = _both_ways(table, name)
    assert fast_errors == slow_errors
    assert sorted({e.split(": ")[1].split(" ")[0] for e in fast_errors}) == sorted(errors), fast_errors
    spec = table_specs()[name]
    assert fast is not None and slow is not None
    pd.testing.assert_frame_equal(fast, frame_of(columnar.arrow_of(slow, spec), spec))


@pytest.mark.parametrize("column, errors", [
    (pa.array([dt.datetime(2025, 3, 1, 8, 14), None, dt.datetime(1850, 1, 1), dt.datetime(2025, 12, 31, 23, 59, 59, 999999)]),
     ["dossiers.finished_at"]),
    (pa.array([dt.datetime(2025, 3, 1, 1, 0, tzinfo=UTC), dt.datetime(1950, 6, 1, 12, tzinfo=UTC),
               dt.datetime(1970, 1, 1, tzinfo=UTC), None], type=pa.timestamp("ms", "UTC")), []),
    (pa.array([dt.datetime(2025, 3, 1, 1, 0), dt.datetime(2190, 1, 1)], type=pa.timestamp("ns", "Europe/Paris")),
     ["dossiers.finished_at"]),
    (pa.array([1_700_000_000_000_000_001, 1_700_000_000_000_000_000], type=pa.timestamp("ns")), []),
    (pa.array([dt.datetime(9999, 12, 31), dt.datetime(2025, 1, 1)], type=pa.timestamp("s")), ["dossiers.finished_at"]),
    (pa.array([dt.date(2025, 3, 1), None, dt.date(1, 1, 1)], type=pa.date32()), ["dossiers.finished_at"]),
    (pa.array([45000, 12], type=pa.int64()), ["dossiers.finished_at"]),  # a number in a date column: the general path
])
def test_typed_dates_are_read_as_the_general_path_reads_them(column: pa.Array, errors: list[str]) -> None:
    _same(_dossiers(len(column), finished_at=column, due_at=column), "dossiers", errors + [e.replace("finished", "due") for e in errors])
    documents = pa.table({"id": [f"D{i}" for i in range(len(column))], "type": ["apology"] * len(column),
                          "title": ["Thư xin lỗi"] * len(column), "issued_on": column})
    required = ["documents.issued_on"] if errors or column.null_count else []
    _same(documents, "documents", required)


@pytest.mark.parametrize("values, errors", [
    (pa.array([1, 2, 5, None, 0, 4], type=pa.int32()), []),
    (pa.array([1, 2, 5, None, 0, 6, -3], type=pa.int32()), ["fee", "legal_days", "supplement_days"]),
    (pa.array([1.0, 2.5, np.nan, 5.0, None, 3.000001], type=pa.float64()), ["legal_days", "supplement_days"]),
    (pa.array([1.0, 2.0, np.nan, 5.0, None, 3.0000001, float("inf")], type=pa.float64()), ["fee", "legal_days", "supplement_days"]),
    (pa.array([10**13, 3, 10**12], type=pa.int64()), ["fee", "legal_days", "supplement_days"]),
    (pa.array([True, False], type=pa.bool_()), ["fee", "legal_days", "supplement_days"]),
])
def test_typed_numbers_are_read_as_the_general_path_reads_them(values: pa.Array, errors: list[str]) -> None:
    n = len(values)
    _same(_dossiers(n, fee=values, legal_days=values, supplement_days=values), "dossiers", [f"dossiers.{e}" for e in errors])
    survey = pa.table({"respondent": [f"R{i}" for i in range(n)], "element": ["access"] * n, "question": ["q"] * n, "answer": values})
    refused = set(errors) or pc.any(pc.or_(pc.less(values, 1), pc.greater(values, 5))).as_py() or values.null_count
    _same(survey, "survey", ["survey.answer"] if refused else [])


def test_typed_booleans_and_integer_ids() -> None:
    table = _dossiers(4, id=pa.array([7, 8, 9, 10], type=pa.int64()), full_online=pa.array([True, None, False, True]),
                      paper_result=pa.array([None, False, True, None]))
    _same(table, "dossiers", [])
    fast, *_ = _both_ways(table, "dossiers")
    assert fast is not None
    assert list(fast["id"]) == ["7", "8", "9", "10"] and list(fast["paper_result"]) == [True, False, True, True]


def test_a_refused_typed_value_is_located(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    frame = api.load_bundle(EXAMPLE).evidence.tables["survey"]  # type: ignore[union-attr]
    table = _typed_export(frame, "survey")
    answers = table.column("answer").to_pylist()
    answers[3] = 7  # over the 1–5 scale
    table = table.set_column(table.column_names.index("answer"), "answer", pa.array(answers, type=pa.int64()))
    pq.write_table(table, folder / "survey.parquet")
    (folder / "survey.csv").unlink()
    with pytest.raises(InputErrors) as exc:
        api.load_bundle(folder)
    assert [e.code for e in exc.value.errors] == ["out_of_range"]
    assert "survey.parquet:5" in exc.value.render("en") and "7" in exc.value.render("en")


def test_a_large_typed_parquet_is_read_block_by_block_with_the_same_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    n = 5000
    table = pa.table({"id": [f"HS-{i}" for i in range(n)], "procedure": ["Khai sinh"] * n,
                      "received_at": pa.array((np.datetime64("2025-03-01T08:00") + np.arange(n) * np.timedelta64(7, "m")).astype("datetime64[us]")),
                      "status": ["returned"] * n, "channel": ["online"] * n,
                      "legal_days": pa.array(np.arange(n) % 9, type=pa.int64()),
                      "full_online": pa.array(np.arange(n) % 3 == 0)})
    pq.write_table(table, tmp_path / "dossiers.parquet", row_group_size=700)
    spec = table_specs()["dossiers"]
    streamed, at_once, blocks = parquet_whole_and_streamed(tmp_path / "dossiers.parquet", monkeypatch)
    assert blocks >= 5
    assert streamed is not None and at_once is not None and streamed.num_rows == n
    pd.testing.assert_frame_equal(frame_of(streamed, spec), frame_of(at_once, spec))
    assert frame_of(at_once, spec)["received_at"].iloc[1] == pd.Timestamp("2025-03-01 08:07")


def test_text_parquet_read_as_dictionaries_types_as_its_csv(tmp_path: Path) -> None:
    """Text columns come as Parquet's dictionaries (one per row group, with missing values): typed as the same
    cells read from a CSV, odd cells (a bad date, an unknown status, a decimal comma) reported alike."""
    n = 3000
    rng = np.random.default_rng(3)
    received = [f"{1 + i % 28:02d}/03/2025 08:{i % 3:02d}" for i in range(n)]
    received[1700] = "31/02/2025 08:00"  # refused in the second row group only
    status = rng.choice(["returned", "processing", "Đã trả kết quả"], n).tolist()
    status[2500] = "lost"
    fee = rng.choice(["0", "50000", "", "12,5"], n).tolist()
    late = [None if i % 7 else "applicant" for i in range(n)]  # missing values: empty cells
    columns = {"id": [f"HS-{i}" for i in range(n)], "procedure": ["Khai sinh"] * n, "received_at": received,
               "status": status, "channel": ["online"] * n, "fee": fee, "late_reason": late}
    pq.write_table(pa.table(columns), tmp_path / "dossiers.parquet", row_group_size=1000)
    pd.DataFrame(columns).fillna("").to_csv(tmp_path / "dossiers.csv", index=False)
    spec = table_specs()["dossiers"]
    raw = read_parquet(tmp_path / "dossiers.parquet", "dossiers", "dossiers.parquet")
    assert raw.cells is not None and pa.types.is_dictionary(raw.cells.column(2).type)  # 84 dates: a dictionary
    assert not pa.types.is_dictionary(raw.cells.column(0).type)  # the ids, every one distinct: plain
    from_parquet, from_csv = Collector(), Collector()
    typed = columnar.type_cells(raw, spec, from_parquet, [])
    expected = columnar.type_cells(tables_module.read_csv(tmp_path / "dossiers.csv", "dossiers", "dossiers.csv"), spec, from_csv, [])
    assert typed is not None and expected is not None
    pd.testing.assert_frame_equal(frame_of(typed, spec), frame_of(expected, spec))
    rendered = [e.render("en").replace("dossiers.csv", "dossiers.parquet") for e in from_csv.errors]
    assert [e.render("en") for e in from_parquet.errors] == rendered
    assert {e.code for e in from_parquet.errors} == {"bad_date", "bad_enum"} and len(rendered) == 2


def test_without_arrow_time_zones_instants_take_the_general_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where Arrow finds no time zone database, an instant column is converted by Python's zoneinfo, cell by cell."""
    column = pa.array([dt.datetime(2025, 3, 1, 1, 0, tzinfo=UTC), None], type=pa.timestamp("us", "UTC"))

    def no_database(*args: object, **kwargs: object) -> None:
        raise pa.ArrowInvalid("Cannot locate timezone 'Asia/Ho_Chi_Minh'")
    monkeypatch.setattr(pc, "local_timestamp", no_database)
    _same(_dossiers(2, finished_at=column), "dossiers", [])
    fast, *_ = _both_ways(_dossiers(2, finished_at=column), "dossiers")
    assert fast is not None and fast["finished_at"].iloc[0] == pd.Timestamp("2025-03-01 08:00")


def test_text_stored_as_bytes_reads_as_text_and_bad_bytes_are_located(tmp_path: Path) -> None:
    """Some writers store text as Parquet BYTE_ARRAY without the UTF-8 mark: read as text; a value that is not
    UTF-8 is bad input located at its row and column (it crashed the typing before)."""
    folder = _copy(tmp_path)
    frame = pd.read_csv(folder / "dossiers.csv", dtype=str, keep_default_na=False)
    (folder / "dossiers.csv").unlink()
    table = pa.Table.from_pandas(frame, preserve_index=False)
    table = table.set_column(table.schema.get_field_index("status"), "status", pc.cast(table["status"], pa.binary()))
    pq.write_table(table, folder / "dossiers.parquet")
    assert _facts(api.load_bundle(folder)) == _facts(api.load_bundle(EXAMPLE))
    statuses = table["status"].to_pylist()
    statuses[6] = b"\xff\xfe"
    pq.write_table(table.set_column(table.schema.get_field_index("status"), "status", pa.array(statuses, pa.binary())),
                   folder / "dossiers.parquet")
    with pytest.raises(InputErrors) as exc:
        api.load_bundle(folder)
    assert [e.render("en") for e in exc.value.errors] == [
        "bundle/dossiers.parquet:8: dossiers.status: a byte column holds a value that is not UTF-8 text (byte 0xFF)"
        " — fix: export this column again as text (UTF-8)"]


def test_a_far_date_held_in_a_dictionary_is_warned_at_its_row(tmp_path: Path) -> None:
    """The date-outlier check looks at a dictionary's distinct dates first: a far one used by a row is still
    warned, located at that row; one the dictionary holds but no row uses is not (the rows decide)."""
    folder = _copy(tmp_path)
    frame = pd.read_csv(folder / "dossiers.csv", dtype=str, keep_default_na=False)
    frame["received_at"] = [f"{1 + i % 28:02d}/03/2025 08:00" for i in range(len(frame))]  # few dates: a dictionary
    frame.loc[700, "received_at"] = "01/03/2052 08:00"
    frame.to_parquet(folder / "dossiers.parquet", index=False)
    (folder / "dossiers.csv").unlink()
    bundle = api.load_bundle(folder)
    assert pa.types.is_dictionary(bundle.evidence.tables.arrow("dossiers").column("received_at").type)
    outliers = [w.text.en for w in bundle.warnings if w.code == "date_outlier"]
    assert len(outliers) == 1 and "2052" in outliers[0] and "dossiers.parquet:702 received_at" in outliers[0]


def test_a_far_date_no_row_uses_is_not_warned() -> None:
    from parscore.evidence import bundle as bundle_module
    from parscore.evidence.tables import Evidence
    from parscore.evidence.typed import Tables

    dates = pa.array([dt.datetime(2025, 3, 1), dt.datetime(2052, 3, 1)], pa.timestamp("us"))
    used = {"unused": [0, 0, 0], "used": [0, 1, 0]}
    for name, rows in used.items():
        evidence = Evidence(tables=Tables(table_specs()))
        column = pa.DictionaryArray.from_arrays(pa.array(rows, pa.int16()), dates)
        evidence.tables.put_arrow("dossiers", pa.table({ROW: [2, 3, 4], "received_at": column}))  # type: ignore[attr-defined]
        warned = bundle_module._outliers(evidence, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
        assert [w.code for w in warned] == ([] if name == "unused" else ["date_outlier"])
