"""The fill-in workbook: filled as a clerk would, it scores exactly as the same data kept as a folder."""
from __future__ import annotations

import csv
import datetime as dt
import shutil

import openpyxl
import pytest
import yaml
from conftest import ROOT

from parscore import api
from parscore.evidence.tables import table_specs
from parscore.render.template import sheet_name, write_template

EXAMPLE = ROOT / "examples" / "dao-xa-2025"


def _key(header: object) -> str | None:
    text = str(header or "")
    return text.rsplit("(", 1)[-1].rstrip(")") if text.endswith(")") else None


def fill_like_a_clerk(folder, out, framework: str, with_files: bool = True):
    """Type the folder's content into the template: the bundle sheet, each table row, reported figures, manual scores."""
    write_template(api.load_framework(framework), api.catalogue(), out)
    wb = openpyxl.load_workbook(out)
    head = yaml.safe_load((folder / "bundle.yaml").read_text(encoding="utf-8"))
    info = wb["Thông tin chung"]
    rows = {_key(info.cell(r, 1).value): r for r in range(2, info.max_row + 1)}
    info.cell(rows["commune"], 2).value = head["commune"]
    info.cell(rows["province"], 2).value = head["province"]
    info.cell(rows["period_start"], 2).value = dt.datetime.fromisoformat(head["period"]["start"])  # real Excel dates
    info.cell(rows["period_end"], 2).value = dt.datetime.fromisoformat(head["period"]["end"])
    info.cell(rows["framework"], 2).value = ", ".join(head["frameworks"])
    for name, spec in table_specs().items():
        path = folder / f"{name}.csv"
        if not path.is_file():
            continue
        title = sheet_name(spec)
        if title not in wb.sheetnames:  # a table the template did not need: the clerk adds it
            wb.create_sheet(title).append([c.template_header_with_unit() for c in spec.columns])
        ws = wb[title]
        col = {_key(c.value): i for i, c in enumerate(ws[1])}
        with open(path, encoding="utf-8", newline="") as fh:
            for record in csv.DictReader(fh):
                row = [None] * len(col)
                for k, v in record.items():
                    if v != "" and (with_files or (name, k) != ("documents", "file")):
                        row[col[k]] = v
                ws.append(row)
    reported = yaml.safe_load((folder / "metrics.yaml").read_text(encoding="utf-8"))
    ms = wb["Số liệu báo cáo"]
    where = {ms.cell(r, 1).value: r for r in range(2, ms.max_row + 1)}
    for metric, entry in reported.get("metrics", {}).items():
        r = where.get(metric) or ms.max_row + 1
        ms.cell(r, 1).value = metric
        for c, k in enumerate(("value", "numerator", "denominator", "not_applicable", "source"), start=2):
            if k in entry:
                ms.cell(r, c).value = entry[k]
    mw = wb["Điểm chấm thủ công"]
    where = {str(mw.cell(r, 1).value): r for r in range(2, mw.max_row + 1)}
    for leaf, entry in reported.get("manual", {}).items():
        r = where.get(str(leaf)) or mw.max_row + 1
        mw.cell(r, 1).value = str(leaf)
        mw.cell(r, 2).value = str(entry["points"]).replace(".", ",")
        mw.cell(r, 3).value = entry["note"]
        mw.cell(r, 4).value = "; ".join(entry["evidence"])
    wb.save(out)
    if with_files:
        shutil.copytree(folder / "files", out.parent / "files")
    return out


@pytest.mark.parametrize("framework", ["reference-par-2025", "qd766-2022"])
def test_the_template_filled_by_a_clerk_scores_exactly_as_the_folder(tmp_path, framework):
    out = fill_like_a_clerk(EXAMPLE, tmp_path / "dao-xa.xlsx", framework)
    folder, book = api.score_bundle(EXAMPLE, framework), api.score_bundle(out, framework)
    assert book.total.points == folder.total.points and book.total.index == folder.total.index
    assert [(x.id, x.points, x.status) for x in book.leaves] == [(x.id, x.points, x.status) for x in folder.leaves]
    if framework == "reference-par-2025":  # the manual score came through (it was lost before the manual sheet)
        assert book.leaf("5.1.2").points == 3


def test_the_template_says_how_to_fill_it(tmp_path):
    out = tmp_path / "t.xlsx"
    sheets = write_template(api.load_framework("reference-par-2025"), api.catalogue(), out)
    wb = openpyxl.load_workbook(out)
    assert sheets[0] == "Hướng dẫn" and "ĐỎ" in " ".join(str(c.value) for c in wb["Hướng dẫn"]["A"])
    ds = wb["Hồ sơ TTHC"]
    head = [c.value for c in ds[1]]
    assert "Phí, lệ phí [đồng] (fee)" in head and ds.cell(1, 1).alignment.wrap_text
    assert str(ds.cell(2, 1).value).startswith("* Ví dụ")  # one example row, skipped by the reader
    status = ds.cell(2, head.index("Trạng thái (status)") + 1).value
    assert status == "Mới tiếp nhận"  # list values as the one-stop system words them
    lists = [dv for dv in ds.data_validations.dataValidation if dv.type == "list"]
    assert lists and all(dv.showErrorMessage and dv.error for dv in lists)
    sa = wb["Điểm tự đánh giá"]
    sa_head = [c.value for c in sa[1]]
    first = [c.value for c in sa[3]]
    assert first[sa_head.index("Mã tiêu chí (leaf)")] == "1.1" and first[sa_head.index("Tên tiêu chí (criterion)")]
    assert first[sa_head.index("Điểm tối đa [điểm] (max_points)") if "Điểm tối đa [điểm] (max_points)" in sa_head
                 else sa_head.index("Điểm tối đa (max_points)")] > 0
    manual = [c.value for c in wb["Điểm chấm thủ công"]["A"]][2:]
    assert "5.1.2" in manual
