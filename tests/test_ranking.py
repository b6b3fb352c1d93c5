"""The province's ranking workbook and page: numbers are numbers equal to the JSON, the matrix sums to the totals,
the chart exists, bundles of another period are reported and ranked only with --mixed."""
from __future__ import annotations

import json
import zipfile
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
from browser import open_page
from click.testing import CliRunner

from parscore.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(str(p) for p in (ROOT / "examples").iterdir() if (p / "bundle.yaml").is_file())


def batch(tmp: Path, name: str, *extra: str) -> Path:
    out = tmp / name
    r = CliRunner().invoke(main, ["batch", *EXAMPLES, "--framework", "reference-par-2025", "--out", str(out),
                                  "--jobs", "1", *extra])
    assert r.exit_code == 0, r.output
    return out


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("ranking")
    return {"xlsx": batch(tmp, "ranking.xlsx", "--mixed"), "json": batch(tmp, "ranking.json", "--mixed"),
            "xlsx_en": batch(tmp, "ranking-en.xlsx", "--lang", "en"), "html": batch(tmp, "ranking.html", "--mixed")}


def test_ranking_cells_are_numbers_equal_to_the_json(outputs) -> None:
    data = json.loads(outputs["json"].read_text(encoding="utf-8"))
    wb = openpyxl.load_workbook(outputs["xlsx"])
    ws = wb["Xếp hạng"]
    assert "Kết quả xếp hạng" in ws["A1"].value and "Kỳ đánh giá" in ws["A2"].value
    assert [c.value for c in ws[4]][:7] == ["Hạng", "Xã", "Tỉnh", "Chỉ số (%)", "Xếp loại", "Điểm đạt", "Điểm tối đa"]
    rows = list(ws.iter_rows(min_row=5, values_only=True))
    assert len(rows) == len(data["results"]) == 5
    for row, entry in zip(rows, data["results"]):
        assert row[0] == entry["rank"] and row[1] == entry["commune"]
        for col, key in ((3, "index"), (5, "points"), (6, "max_points")):
            assert isinstance(row[col], (int, float))
            assert row[col] == pytest.approx(float(Fraction(entry["exact"][key])), abs=1e-9)
            assert round(row[col] + 1e-12, 2) == entry[key]
    assert ws.cell(row=5, column=4).number_format == "0.00"
    assert {row[4] for row in rows} <= {"Xuất sắc", "Tốt", "Khá", "Trung bình", "Chưa xếp loại"}


def test_matrix_sums_equal_the_totals_and_maxima_are_given(outputs) -> None:
    wb = openpyxl.load_workbook(outputs["xlsx"])
    matrix = list(wb["Điểm theo lĩnh vực"].iter_rows(min_row=5, values_only=True))
    maxima, communes = matrix[0], matrix[1:]
    assert maxima[0] == "Điểm tối đa của lĩnh vực" and maxima[-1] == pytest.approx(sum(maxima[1:-1]))
    points = {r[1]: r[5] for r in wb["Xếp hạng"].iter_rows(min_row=5, values_only=True)}
    for row in communes:
        assert sum(row[1:-1]) == pytest.approx(row[-1]) == pytest.approx(points[row[0]])


def test_other_sheets_and_the_chart(outputs) -> None:
    wb = openpyxl.load_workbook(outputs["xlsx"])
    assert wb.sheetnames == ["Xếp hạng", "Điểm theo lĩnh vực", "Phân loại", "Điểm mất nhiều nhất", "Bộ bị bỏ qua"]
    dist = list(wb["Phân loại"].iter_rows(min_row=5, values_only=True))
    assert sum(r[2] for r in dist) == 5
    lost = list(wb["Điểm mất nhiều nhất"].iter_rows(min_row=5, values_only=True))
    assert [r[3] for r in lost] == sorted((r[3] for r in lost), reverse=True)
    assert not any(r[0].startswith("9.") for r in lost)  # an unearned bonus is not points lost
    skipped = [r[0] for r in wb["Bộ bị bỏ qua"].iter_rows(min_row=5, values_only=True)]
    assert any("trieu-an-2023" in s for s in skipped) and any("hop-tien-2025h2" in s for s in skipped)
    with zipfile.ZipFile(outputs["xlsx"]) as z:
        assert any(n.startswith("xl/charts/chart") for n in z.namelist())


def test_without_mixed_other_periods_are_not_ranked_and_english_headers(outputs) -> None:
    wb = openpyxl.load_workbook(outputs["xlsx_en"])
    assert wb.sheetnames[0] == "Ranking"
    rows = list(wb["Ranking"].iter_rows(min_row=5, values_only=True))
    assert len(rows) == 3 and not any("2023" in r[-1] or "2025h2" in r[-1] for r in rows)
    reasons = [r[1] for r in wb["Skipped bundles"].iter_rows(min_row=5, values_only=True)]
    assert all("add --mixed" in x for x in reasons) and len(reasons) == 2


def test_ranking_page_in_chromium(outputs, browser) -> None:
    watched = open_page(browser, outputs["html"].as_uri())
    page = watched.page
    assert page.locator("table.ranking-ranking tbody tr").count() == 5
    assert page.locator("#chart-ranking svg rect").count() >= 5
    assert watched.console_errors == [] and watched.requests_out == []
    page.context.close()
