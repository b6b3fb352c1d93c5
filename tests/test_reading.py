"""The fast reader keeps what pandas' reader gave: row numbers across blank lines and quoted newlines."""
from __future__ import annotations

from pathlib import Path

from parscore.evidence.tables import ROW, read_csv


def test_blank_lines_keep_the_file_row_numbers(tmp_path: Path) -> None:
    p = tmp_path / "dossiers.csv"
    p.write_text('\ufeffid,procedure\nA,x\n\nB,"two\nlines"\n,\nC,z\n', encoding="utf-8")
    raw = read_csv(p, "dossiers", "dossiers.csv")
    assert raw.headers == ["id", "procedure"]
    assert list(raw.texts()[0]) == ["A", "B", "C"]
    assert list(raw.frame[ROW]) == [2, 4, 6]  # records, as pandas numbered them: the blank ones are skipped


def test_semicolons_and_a_ragged_file_fall_back_to_pandas(tmp_path: Path) -> None:
    p = tmp_path / "dossiers.csv"
    p.write_text("id;procedure\nA;x\n", encoding="utf-8")
    assert list(read_csv(p, "dossiers", "dossiers.csv").texts()[1]) == ["x"]
