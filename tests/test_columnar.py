"""The columnar typing (evidence.columnar) gives exactly what type_table gives: values, dtypes, errors, warnings.

Each column is typed by either of the columnar paths (once per distinct text, or by the export's shapes),
forced here in turn, over cells drawn from what offices and exports really write, odd ones included.
"""
from __future__ import annotations

import dataclasses
import random
import unicodedata
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from parscore.core.errors import Collector
from parscore.evidence import columnar
from parscore.evidence.tables import RawTable, read_csv, table_specs, type_table
from parscore.evidence.typed import arrow_of, frame_of

from helpers import parquet_whole_and_streamed

DATES = ["01/02/2025 08:14", "31/02/2025 10:00", "29/02/2024 10:00", "29/02/2025 10:00", "10/02/2025 25:00",
         " 01/02/2025 08:14", "01/02/2025", "01/02/2025 08:14:59", "2025-02-01", "2025-02-30", "1899-12-31", "2025-13-01", "1/2/2025", "01-02-2025 8:14",
         "ngày 10 tháng 3 năm 2025", "01/02/1899 08:00", "01/02/2052 08:00", "nan", "NaT", "None", "", " ", "x",
         "15/03/2025 02:30 CH", "2025-03-01T08:00:00+07:00"]
NUMBERS = ["0", "1", "7", "+5", "-1", "1,5", "1.5", "50.000", "1.000.000", "1e3", "", " ", "nan", "12345678901234",
           " 3 ", "٣", "2.0", "abc"]
BOOLS = ["x", "X", "", "có", unicodedata.normalize("NFD", "Có"), "không", "yes", "0", "1", "maybe", " x ", "nan"]
STATUS = ["returned", "finished", "Đã trả kết quả", "da tra ket qua", "RETURNED", "", "lost", "nan"]
CHANNEL = ["online", "direct", "Trực tuyến", "", "fax"]
TEXT = ["HS-1", " HS-2", "HS-3 ", "Hồ sơ", unicodedata.normalize("NFD", "Hồ sơ"), "", "nan", "None", "a\u00a0", "\u3000b"]


def _cell(pool: list[str], rng: random.Random, many: bool, kind: str, i: int) -> str:
    """A cell from the pool, or (for a column meant to have many distinct values) a plain one of its shape."""
    if many and rng.random() < 0.7:
        if kind == "date":
            return f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2025 {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"
        if kind == "number":
            return str(rng.randint(0, 10**6))
        return f"HS-{i:06d}"
    return rng.choice(pool)


def _bundle_csv(path: Path, n: int, seed: int) -> None:
    rng = random.Random(seed)
    header = ["id", "procedure", "received_at", "due_at", "finished_at", "status", "channel", "full_online",
              "supplement_requests", "legal_days", "fee", "late_reason"]
    lines = [",".join(header)]
    for i in range(n):
        row = [_cell(TEXT, rng, True, "text", i), rng.choice(TEXT[3:] + ["Đăng ký khai sinh"]),
               _cell(DATES, rng, True, "date", i), _cell(DATES, rng, True, "date", i), _cell(DATES, rng, True, "date", i),
               rng.choice(STATUS), rng.choice(CHANNEL), rng.choice(BOOLS), _cell(NUMBERS, rng, True, "number", i),
               rng.choice(NUMBERS), _cell(NUMBERS, rng, True, "number", i), rng.choice(["", "applicant", "x"])]
        lines.append(",".join('"' + c.replace('"', '""') + '"' for c in row))
        if i % 97 == 5:
            lines.append(",".join(['""'] * len(header)))  # a blank row: skipped, the numbering goes on
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _both(raw: RawTable) -> tuple[pd.DataFrame, list[str], list[str], pd.DataFrame, list[str], list[str]]:
    spec = table_specs()["dossiers"]
    c1, w1 = Collector(), []
    typed = columnar.type_cells(raw, spec, c1, w1)
    c2, w2 = Collector(), []
    expected = type_table(RawTable(raw.name, raw.file, raw.headers, raw.texts()), spec, c2, w2)
    assert typed is not None and expected is not None
    errs = [e.render("en") for e in c1.errors]
    return frame_of(typed, spec), errs, [t.en for _, t in w1], expected, [e.render("en") for e in c2.errors], [t.en for _, t in w2]


@pytest.mark.parametrize("few", [0, 10**9], ids=["by-shape", "by-distinct-text"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_columnar_typing_equals_type_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, few: int, seed: int) -> None:
    monkeypatch.setattr(columnar, "FEW", few)
    monkeypatch.setattr(columnar, "FEW_SHARE", 0 if few else 4)
    _bundle_csv(tmp_path / "dossiers.csv", 3000, seed)
    raw = read_csv(tmp_path / "dossiers.csv", "dossiers", "dossiers.csv")
    assert raw.cells is not None  # read by Arrow: the columnar path
    got, errs, warns, expected, errs2, warns2 = _both(raw)
    assert errs == errs2 and len(errs) > 10
    assert warns == warns2
    # Values and dtypes of every column (datetimes compared at the microsecond the engine reads).
    pd.testing.assert_frame_equal(got, expected.astype({c: "datetime64[ns]" for c in expected.columns
                                                        if str(expected[c].dtype).startswith("datetime")}))


def test_columnar_typing_of_clean_rows_marks_nothing(tmp_path: Path) -> None:
    """A clean export is typed without a single row going back to type_table."""
    lines = ["id,procedure,received_at,status,channel,legal_days,full_online"]
    lines += [f"HS-{i},Khai sinh,{1 + i % 28:02d}/03/2025 08:{i % 60:02d},returned,online,{i % 9},x" for i in range(5000)]
    (tmp_path / "dossiers.csv").write_text("\n".join(lines), encoding="utf-8")
    raw = read_csv(tmp_path / "dossiers.csv", "dossiers", "dossiers.csv")
    calls = []
    original = columnar._retype
    columnar._retype = lambda *a, **k: calls.append(1) or original(*a, **k)  # type: ignore[assignment]
    try:
        got, errs, _, expected, _, _ = _both(raw)
    finally:
        columnar._retype = original  # type: ignore[assignment]
    assert calls == [] and errs == []
    pd.testing.assert_frame_equal(got, expected)


def test_arrow_strptime_rolls_only_the_day_over() -> None:
    """fast_dmy checks only the day digits: it relies on Arrow refusing every other field out of range."""
    cells = pa.array(["31/02/2025 10:00", "13/13/2025 10:00", "10/02/2025 25:00", "10/02/2025 10:61", "00/01/2025 10:00",
                      "10/00/2025 10:00", "10/02/2025 24:00"])
    got = pc.strptime(cells, format="%d/%m/%Y %H:%M", unit="us", error_is_null=True).to_pylist()
    assert got[0] is not None and got[0].day == 3  # rolled over: fast_dmy's day check refuses it
    assert got[1:] == [None] * 6


def test_typed_tables_round_trip_through_arrow() -> None:
    """A typed frame held as Arrow and asked for again is the same frame (dtypes included)."""
    spec = table_specs()["dossiers"]
    frame = pd.DataFrame({"_row": [2, 3], "id": pd.Series(["a", None], dtype=object), "legal_days": pd.array([1, 2], dtype="Int64"),
                          "supplement_requests": [0, 1], "fee": [1.5, float("nan")], "full_online": [True, False],
                          "received_at": pd.to_datetime(["2025-01-02 08:00", None]).astype("datetime64[ns]"), "status": pd.Series(["returned", None], dtype=object)})
    back = frame_of(arrow_of(frame, spec), spec)
    pd.testing.assert_frame_equal(back, frame)


def test_a_large_export_is_read_block_by_block_with_the_same_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Over STREAM_BYTES a UTF-8 export is typed block by block: the same values, and a bad cell in a later
    block is still found and located."""
    import parscore.evidence.tables as tables

    _bundle_csv(tmp_path / "dossiers.csv", 3000, 7)
    whole = read_csv(tmp_path / "dossiers.csv", "dossiers", "dossiers.csv")
    monkeypatch.setattr(tables, "STREAM_BYTES", 1000)
    monkeypatch.setattr(tables, "STREAM_BLOCK", 20_000)  # some twenty blocks
    raw = read_csv(tmp_path / "dossiers.csv", "dossiers", "dossiers.csv")
    assert raw.stream is not None and raw.cells is None
    assert len(list(raw.stream.blocks())) > 5
    spec = table_specs()["dossiers"]
    monkeypatch.setattr(tables, "MAX_ERRORS_PER_TABLE", 10**6)
    c1, c2 = Collector(), Collector()
    columnar.type_cells(raw, spec, c1, [])
    columnar.type_cells(whole, spec, c2, [])
    first_block = {e.render("en") for e in c1.errors}  # a refused export: its first faulty block is reported
    assert first_block and first_block < {e.render("en") for e in c2.errors}
    monkeypatch.setattr(tables, "MAX_ERRORS_PER_TABLE", 50)

    clean = tmp_path / "clean.csv"
    lines = ["id,procedure,received_at,status,channel,legal_days"]
    lines += [f"HS-{i},Khai sinh,{1 + i % 28:02d}/03/2025 08:{i % 60:02d},returned,online,{i % 9}" for i in range(4000)]
    lines[3500] = "HS-3499,Khai sinh,31/02/2025 08:00,returned,online,3"
    clean.write_text("\n".join(lines), encoding="utf-8")
    c3 = Collector()
    streamed = columnar.type_cells(read_csv(clean, "dossiers", "dossiers.csv"), spec, c3, [])
    assert [e.render("en") for e in c3.errors] == [
        "dossiers.csv:3501: dossiers.received_at: '31/02/2025 08:00' is not a valid date — fix: write dates as "
        "2025-03-10 or 10/03/2025"]
    lines[3500] = "HS-3499,Khai sinh,01/02/2025 08:00,returned,online,3"
    clean.write_text("\n".join(lines), encoding="utf-8")
    streamed = columnar.type_cells(read_csv(clean, "dossiers", "dossiers.csv"), spec, Collector(), [])
    monkeypatch.setattr(tables, "STREAM_BYTES", 10**12)
    at_once = columnar.type_cells(read_csv(clean, "dossiers", "dossiers.csv"), spec, Collector(), [])
    assert streamed is not None and at_once is not None and streamed.num_rows == 4000
    pd.testing.assert_frame_equal(frame_of(streamed, spec), frame_of(at_once, spec))


@pytest.mark.parametrize("bad, expected", [
    (b"HS-3000,Khai sinh,01/03/2025 08:00,returned,online,3,extra\n", "dossiers.csv:3002: the row has 7 fields but the header has 6"),
    (b"HS-3000,Khai sinh \xe1\xba,01/03/2025 08:00,returned,online,3\n", "dossiers.csv:3002: "),
])
def test_a_large_export_that_breaks_midway_is_refused_at_its_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   bad: bytes, expected: str) -> None:
    import parscore.evidence.tables as tables
    from parscore.core.errors import InputErrors

    monkeypatch.setattr(tables, "STREAM_BYTES", 1000)
    monkeypatch.setattr(tables, "STREAM_BLOCK", 20_000)
    lines = ["id,procedure,received_at,status,channel,legal_days"]
    lines += [f"HS-{i},Khai sinh,{1 + i % 28:02d}/03/2025 08:{i % 60:02d},returned,online,{i % 9}" for i in range(3000)]
    p = tmp_path / "dossiers.csv"
    p.write_bytes(("\n".join(lines) + "\n").encode() + bad + b"HS-3001,Khai sinh,01/03/2025 08:00,returned,online,3\n")
    with pytest.raises(InputErrors) as err:
        columnar.type_cells(read_csv(p, "dossiers", "dossiers.csv"), table_specs()["dossiers"], Collector(), [])
    assert err.value.errors[0].render("en").startswith(expected), err.value.errors[0].render("en")


def test_a_large_parquet_export_is_read_block_by_block_with_the_same_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pyarrow.parquet as pq

    lines = ["id,procedure,received_at,status,channel,legal_days"]
    lines += [f"HS-{i},Khai sinh,{1 + i % 28:02d}/03/2025 08:{i % 60:02d},returned,online,{i % 9}" for i in range(5000)]
    (tmp_path / "d.csv").write_text("\n".join(lines), encoding="utf-8")
    table = read_csv(tmp_path / "d.csv", "dossiers", "d.csv")
    assert table.cells is not None
    pq.write_table(pa.table({h: table.cells.column(i) for i, h in enumerate(table.headers)}), tmp_path / "dossiers.parquet",
                   row_group_size=700)
    spec = table_specs()["dossiers"]
    streamed, at_once, blocks = parquet_whole_and_streamed(tmp_path / "dossiers.parquet", monkeypatch)
    assert blocks >= 5
    assert streamed is not None and at_once is not None and streamed.num_rows == 5000
    pd.testing.assert_frame_equal(frame_of(streamed, spec), frame_of(at_once, spec))


_ODD_TEXTS = ["", " ", "a", "~", "!", "HS-1", " HS-2", "HS-3 ", "\tx", "x\n", "Hồ sơ", "ồ", "ab ồ", "ồ ab", "a\u00a0", "\u3000b",
              unicodedata.normalize("NFD", "Hồ sơ"), "nan", "NaT", "None", "none", "NAN", "nan ", "Nan", "n", "\x7f", "a\x7f",
              "\x20a", "é", "e\u0301", "😀", "x😀x", "\x00", "a\x00b"]


def _texts_by_regex(cells: pa.Array, required: bool) -> tuple[list, list]:
    """The text path as it was, one regular expression over every cell: the oracle of columnar._texts."""
    plain = pc.fill_null(pc.match_substring_regex(cells, r"(?s)^[!-~](?:.*[!-~])?$"), False).to_pylist()
    empty = [v == "" for v in cells.to_pylist()]
    odd = [v in ("nan", "NaT", "None") for v in cells.to_pylist()]
    marked = [(not p and not e) or o or (e and required) for p, e, o in zip(plain, empty, odd)]
    values = [None if v is None or v == "" else unicodedata.normalize("NFC", v) for v in cells.to_pylist()]
    return values, marked


@pytest.mark.parametrize("seed", range(6))
def test_text_path_reads_each_cells_ends_as_the_pattern_did(seed: int) -> None:
    """columnar._texts tells plain text by its first and last bytes: the same cells marked and the same values
    as the pattern it replaces, for odd ends, non-ASCII text, blanks, missing cells, both string widths and slices."""
    rng = random.Random(seed)
    texts = [rng.choice(_ODD_TEXTS) if rng.random() < 0.6 else f"HS-{rng.randint(0, 10**6)}" for _ in range(400)]
    cells = [None if rng.random() < 0.05 else t for t in texts]
    spec = table_specs()["dossiers"]
    for kind in (pa.string(), pa.large_string()):
        for required in (False, True):
            col = dataclasses.replace(spec.column("id"), required=required)
            for start in (0, 7):
                array = pa.array(cells, kind).slice(start, 300)  # a slice: offsets that do not start at zero
                got, marked = columnar._texts(array, col)
                values, expected = _texts_by_regex(array, required)
                assert got.type == pa.string()
                assert got.to_pylist() == values
                assert marked.tolist() == expected


@pytest.mark.parametrize("keys, twice", [
    (["a", "b", "c"], False), (["a", "b", "b", "c"], True), (["c", "a", "b"], False), (["b", "a", "b"], True),
    ([None, "a", None, "b"], False), (["a", None, "a"], True), ([None, None], False), (["a"], False), ([], False),
    (["HS-1", "HS-10", "HS-2"], False), (["HS-2", "HS-10", "HS-2"], True), (["b", "a"], False), (["a", "a"], True),
])
def test_a_key_given_twice_is_found_in_order_or_not(keys: list, twice: bool) -> None:
    """columnar._repeats: keys rising row by row need no sort; any other order is sorted; missing keys are no repeat."""
    assert columnar._repeats(pa.chunked_array([keys], pa.string())) is twice
    halves = pa.chunked_array([keys[: len(keys) // 2], keys[len(keys) // 2:]], pa.string())  # as two blocks
    assert columnar._repeats(halves) is twice


@pytest.mark.parametrize("flags", [[True], [False], [True, False], [False, True, False], [True, True, False],
                                   [True, False, True, False], [False, False]])
def test_yes_no_from_indices_is_each_rows_value(flags: list[bool]) -> None:
    """columnar._yes_no compares the indices where it can: the same values as taking each row's, missing rows kept."""
    rng = random.Random(len(flags))
    rows = [None if rng.random() < 0.1 else rng.randrange(len(flags)) for _ in range(500)]
    for kind in (pa.int32(), pa.int16(), pa.uint8()):
        indices, values = pa.array(rows, kind), pa.array(flags)
        got = columnar._yes_no(values, indices)
        assert got.type == pa.bool_() and got.to_pylist() == values.take(indices).to_pylist()


def test_dictionary_of_indices_checked_once() -> None:
    """columnar._dictionary skips Arrow's own checks only for indices seen within the values; others are refused."""
    values = pa.array(["a", "b", "c"])
    for rows in ([0, 2, 1, 2], [], [None, 1], [2] * 10):
        got = columnar._dictionary(pa.array(rows, pa.int32()), values)
        assert got.type == pa.dictionary(pa.int16(), pa.string())
        assert got.to_pylist() == [None if r is None else "abc"[r] for r in rows]
    for rows in ([0, 3], [-1, 0], [None, 5]):
        with pytest.raises(pa.ArrowException):
            columnar._dictionary(pa.array(rows, pa.int32()), values).validate(full=True)


def test_a_long_column_of_repeated_dates_and_numbers_is_typed_by_distinct_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """More distinct dates than FEW in the sample, but few in all (a day's dossiers share their times): counted over
    the whole column and typed once per distinct text, with type_table's values, errors and warnings."""
    monkeypatch.setattr(columnar, "MANY_SHARE", 4)  # some 1,500 distinct texts in 12,000 rows (not 24,000: a faster test)
    rng = random.Random(5)
    times = [f"{d:02d}/{m:02d}/2025 {h:02d}:00" for d in range(1, 29) for m in range(1, 13) for h in range(8, 13)][:1500]
    days = times + DATES  # odd ones among them
    fees = [str(i * 1000) for i in range(1500)] + NUMBERS
    lines = ["id,procedure,status,channel,received_at,fee"]
    lines += [f'HS-{i},Khai sinh,returned,online,"{rng.choice(days)}","{rng.choice(fees)}"' for i in range(12_000)]
    (tmp_path / "dossiers.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    raw = read_csv(tmp_path / "dossiers.csv", "dossiers", "dossiers.csv")
    assert raw.cells is not None and len(pc.unique(raw.cells.column(4).slice(0, columnar.SAMPLE))) > columnar.FEW
    spec = table_specs()["dossiers"]
    for at, name in ((4, "received_at"), (5, "fee")):  # each typed by the distinct-text path: held as a dictionary
        typed, _ = columnar._column(raw.cells.column(at).combine_chunks(), spec.column(name), spec)
        assert pa.types.is_dictionary(typed.type)
    got, errs, warns, expected, errs2, warns2 = _both(raw)
    assert errs == errs2 and len(errs) > 10
    assert warns == warns2
    pd.testing.assert_frame_equal(got, expected.astype({c: "datetime64[ns]" for c in expected.columns
                                                        if str(expected[c].dtype).startswith("datetime")}))
