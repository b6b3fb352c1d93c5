"""The Báo cáo tự đánh giá (.docx) and its table (.xlsx): rows are the leaves, sums are the JSON totals."""
from __future__ import annotations

import json
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner
from docx.shared import Mm

from parscore import api
from parscore.cli import main
from parscore.render.text import rows

ROOT = Path(__file__).resolve().parents[1]
NHON_HAU = ROOT / "examples" / "nhon-hau-2025"


def vi_number(text: str) -> Fraction:
    return Fraction(text.replace(".", "").replace(",", "."))


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("docs")
    out = {}
    for fmt in ("docx", "xlsx"):
        path = tmp / f"bao-cao.{fmt}"
        r = CliRunner().invoke(main, ["report", str(NHON_HAU), "--format", fmt, "--out", str(path)])
        assert r.exit_code == 0, r.output
        out[fmt] = path
    r = CliRunner().invoke(main, ["score", str(NHON_HAU), "--format", "json"])
    out["json"] = tmp / "score.json"
    out["json"].write_text(r.output, encoding="utf-8")
    return out


def _json_result(made) -> dict:
    data = json.loads(made["json"].read_text(encoding="utf-8"))
    return data["results"][0]


def test_docx_rows_are_the_leaves_and_sum_to_the_json_total(made) -> None:
    result = api.score_bundle(NHON_HAU)
    document = docx.Document(str(made["docx"]))
    table = document.tables[-1]
    body = [[c.text for c in r.cells] for r in table.rows[1:-1]]
    assert [r[0] for r in body] == [item.id for _, item in rows(result)]
    leaf_ids = {x.id for x in result.leaves}
    leaf_rows = [r for r in body if r[0] in leaf_ids]
    assert len(leaf_rows) == len(result.leaves)
    total = _json_result(made)["total"]
    computed = sum(vi_number(r[4]) for r in leaf_rows)
    assert abs(computed - Fraction(total["exact"]["points"])) <= Fraction(len(leaf_rows), 200)  # display rounding only
    assert vi_number(table.rows[-1].cells[4].text) == Fraction(str(total["points"]))
    by_id = {r[0]: r for r in body}
    assert by_id["3.2.1"][3] == "7,00" and by_id["3.2.1"][4] == "3,50"  # self-score beside the computed one
    assert by_id["1.7"][5] == "12/KH-UBND ngày 30/12/2024"  # evidence by number and date
    assert by_id["3.2.1"][6] == "Hồ sơ đúng hạn trên 99%"  # the commune's own explanation


def test_docx_is_laid_out_as_an_administrative_document(made) -> None:
    document = docx.Document(str(made["docx"]))
    first = document.sections[0]

    def near(a: int | None, b: int) -> bool:  # Word stores lengths in twips
        return a is not None and abs(a - b) < Mm(0.5)
    assert near(first.page_width, Mm(210)) and near(first.page_height, Mm(297)) and near(first.left_margin, Mm(30))
    assert document.styles["Normal"].font.name == "Times New Roman"
    head = " ".join(c.text for c in document.tables[0].rows[0].cells)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in head and "Độc lập - Tự do - Hạnh phúc" in head
    assert "ỦY BAN NHÂN DÂN XÃ NHƠN HẬU" in head and "Số:" in head and "Nhơn Hậu, ngày" in head
    text = "\n".join(p.text for p in document.paragraphs)
    assert "BÁO CÁO" in text and "I. KẾT QUẢ CHUNG" in text and "83,75%" in text and "3.2.2" in text
    sign = " ".join(c.text for c in document.tables[1].rows[0].cells)
    assert "Nơi nhận:" in sign and "CHỦ TỊCH" in sign
    assert near(document.sections[-1].page_width, Mm(297))  # the table in landscape


def test_xlsx_has_the_same_rows_as_numbers(made) -> None:
    result = api.score_bundle(NHON_HAU)
    ws = openpyxl.load_workbook(made["xlsx"]).active
    data = [[c.value for c in r] for r in ws.iter_rows(min_row=4)]
    body, total = data[:-1], data[-1]
    assert [r[0] for r in body] == [item.id for _, item in rows(result)]
    leaf_ids = {x.id for x in result.leaves}
    assert all(isinstance(r[4], (int, float)) for r in body)
    assert sum(r[4] for r in body if r[0] in leaf_ids) == pytest.approx(float(result.total.points))
    assert total[4] == pytest.approx(_json_result(made)["total"]["points"], abs=0.005)
    assert ws.cell(row=5, column=5).number_format == "0.00"


def test_binary_formats_need_an_out_file() -> None:
    r = CliRunner().invoke(main, ["report", str(NHON_HAU), "--format", "docx", "--lang", "en"])
    assert r.exit_code == 2 and "needs --out" in r.output


@pytest.mark.skipif(shutil.which("soffice") is None and shutil.which("libreoffice") is None,
                    reason="LibreOffice is not installed (apt-get install -y libreoffice-writer-nogui)")
def test_libreoffice_converts_the_docx(made, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(made["docx"])], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "bao-cao.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
