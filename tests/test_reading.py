"""The fast readers keep what the slow ones gave: row numbers across blank lines, every accepted date form."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from parscore.evidence.tables import ROW, _parse_datetimes, read_csv


def test_blank_lines_keep_the_file_row_numbers(tmp_path: Path) -> None:
    p = tmp_path / "dossiers.csv"
    p.write_text('\ufeffid,procedure\nA,x\n\nB,"two\nlines"\n,\nC,z\n', encoding="utf-8")
    raw = read_csv(p, "dossiers", "dossiers.csv")
    assert raw.headers == ["id", "procedure"]
    assert list(raw.frame[0]) == ["A", "B", "C"]
    assert list(raw.frame[ROW]) == [2, 4, 6]  # records, as pandas numbered them: the blank ones are skipped


def test_semicolons_and_a_ragged_file_fall_back_to_pandas(tmp_path: Path) -> None:
    p = tmp_path / "dossiers.csv"
    p.write_text("id;procedure\nA;x\n", encoding="utf-8")
    assert list(read_csv(p, "dossiers", "dossiers.csv").frame[1]) == ["x"]


def test_dates_match_pandas_mixed_parser_cell_for_cell() -> None:
    cells = ["31/02/2025 08:00", "1/2/2025 8:05", "01/02/2025 08:05", "01/02/2025", "1/12/2025 23:59:59",
             "29/02/2024", "29/02/2025", "01/02/2025 24:00", "01/02/2025 08:60", "01/02/2025 8h30",
             "01/02/2025 08:05:60", "13/13/2025", "05/06/2025 7:5", " 01/02/2025 08:05 "]
    got, far = _parse_datetimes(pd.Series(cells))
    assert not far.any()
    want = pd.to_datetime(pd.Series([c.strip() for c in cells]), dayfirst=True, errors="coerce", format="mixed")
    for cell, g, w in zip(cells, got, want):
        assert (pd.isna(g) and pd.isna(w)) or g == w, cell


def test_dates_outside_the_plausible_range_are_marked_whichever_parser_reads_them() -> None:
    got, far = _parse_datetimes(pd.Series(["1/2/1699", "01/02/1750 08:00", "01/02/2025 08:00", "1/2/2199 8h30"]))
    assert list(far) == [True, True, False, True]
    assert got.isna().tolist() == [True, True, False, True]
