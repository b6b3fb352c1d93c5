"""A fill-in workbook for a framework: the sheets and columns it needs, ready for a commune office.

Sheets carry Vietnamese names (`Hồ sơ TTHC`, `Văn bản`, …) and headers read
"Phí, lệ phí [đồng] (fee)": Vietnamese and the unit for the person, the key last for
parscore. An instruction sheet comes first; every sheet has one example row (its first
cell starts with `*`, and the reader skips it). Dates, yes/no columns and enumerations
carry Excel data validation with its error message switched on, the lists in Vietnamese
as the one-stop system words them (rules/evidence/labels.yaml). The self-assessment
sheet lists every criterion with its name and maximum points; manual scores have their
own sheet. `parscore score` reads the filled workbook back (see `bundle._load_workbook`).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from parscore.criteria.framework import Framework
from parscore.evidence.bundle import BUNDLE_SHEETS, MANUAL_SHEETS, METRICS_SHEETS
from parscore.evidence.tables import ColumnSpec, TableSpec, enum_labels, table_specs
from parscore.metrics.catalogue import Catalogue

ROWS = 5000  # rows covered by data validation
LISTS = "Danh mục"  # the hidden sheet holding the Vietnamese list values
EXAMPLE = "* Ví dụ: "  # an example row's first cell; the reader skips rows starting with '*'
RED = "C00000"

INSTRUCTIONS = [
    ("HƯỚNG DẪN ĐIỀN SỔ MINH CHỨNG / HOW TO FILL IN THIS WORKBOOK", True),
    ("", False),
    ("Điền theo thứ tự / fill in, in this order:", True),
    ("1. Trang 'Thông tin chung': tên xã, tỉnh, kỳ đánh giá (từ ngày – đến ngày), khung đánh giá. "
     "/ commune, province, period and framework.", False),
    ("2. Các trang bảng (Hồ sơ TTHC, Văn bản, Báo cáo định kỳ, …): mỗi dòng một hồ sơ / văn bản / báo cáo. "
     "Có thể dán dữ liệu xuất từ Hệ thống một cửa, giữ nguyên dòng tiêu đề. / one record a row; pasting the "
     "one-stop system's export is fine, keep the header row.", False),
    ("3. Trang 'Văn bản': cột Tệp đính kèm ghi đường dẫn tệp đặt cạnh sổ này (ví dụ files/KH-CCHC.pdf). "
     "/ attachments: a path to a file next to this workbook.", False),
    ("4. Trang 'Số liệu báo cáo': các số liệu không có trong bảng nào (giá trị %, hoặc tử số và mẫu số). "
     "/ figures no table carries (a percentage, or numerator and denominator).", False),
    ("5. Trang 'Điểm chấm thủ công': điểm do hội đồng chấm cho các tiêu chí chấm thủ công, kèm giải trình và tài liệu "
     "kiểm chứng. / manual scores with their note and evidence.", False),
    ("6. Trang 'Điểm tự đánh giá': điểm xã tự chấm cho từng tiêu chí (tên tiêu chí và điểm tối đa có sẵn). "
     "/ the commune's own points per criterion.", False),
    ("", False),
    ("Quy ước / conventions:", True),
    ("• Tiêu đề cột màu ĐỎ là cột bắt buộc; màu đen là cột không bắt buộc. / RED headers are required columns.", False),
    ("• Đơn vị ghi trong ngoặc vuông, ví dụ [dd/mm/yyyy], [đồng], [x = có]. / units are in square brackets.", False),
    ("• Dòng có ô đầu bắt đầu bằng dấu * là dòng ví dụ, không được tính; có thể xóa. / rows starting with * are "
     "examples and are not read.", False),
    ("• Ô có danh sách: chọn trong danh sách; gõ sai Excel sẽ báo lỗi. / list cells: pick from the list.", False),
    ("• Số: dùng dấu phẩy cho phần thập phân (12,5); số tiền không dùng dấu chấm phân cách (50000). "
     "/ decimal comma; money without thousands dots.", False),
    ("• Ngày: dd/mm/yyyy, có thể kèm giờ hh:mm. / dates as dd/mm/yyyy, optionally with hh:mm.", False),
    ("• Không đổi tên trang và không xóa dòng tiêu đề. / keep sheet names and header rows.", False),
    ("", False),
    ("Chấm điểm / to score: parscore score <tệp này>.xlsx", False),
]

# One plausible value per column for the example rows (typed as a clerk would).
EXAMPLES: dict[str, dict[str, Any]] = {
    "dossiers": {"id": "HS-0001", "procedure": "Chứng thực bản sao từ bản chính", "received_at": "03/03/2025 08:30",
                 "due_at": "05/03/2025 17:00", "finished_at": "04/03/2025 10:00", "returned_at": "04/03/2025 15:00",
                 "supplement_requests": 0, "legal_days": 2, "fee": 2000},
    "documents": {"id": "12/KH-UBND", "title": "Kế hoạch cải cách hành chính năm 2025", "issued_on": "31/12/2024",
                  "issuer": "UBND xã", "file": "files/KH-CCHC-2025.pdf"},
    "reports": {"type": "Báo cáo CCHC quý I", "period": "Quý I/2025", "due_on": "15/03/2025", "submitted_on": "14/03/2025",
                "document": "05/BC-UBND"},
    "tasks": {"id": "NV-01", "title": "Rà soát thủ tục hành chính", "owner": "Văn phòng UBND", "product": "Báo cáo rà soát",
              "due_on": "30/06/2025", "done_on": "25/06/2025"},
    "feedback": {"id": "PAKN-001", "received_on": "10/03/2025", "due_on": "20/03/2025", "resolved_on": "18/03/2025"},
    "survey": {"respondent": "P-001", "question": "Câu 1", "answer": 4},
    "self_assessment": {"leaf": "1.1", "points": "1,5", "evidence": "12/KH-UBND", "note": "Ban hành kế hoạch đúng hạn"},
}


def tables_needed(fw: Framework, catalogue: Catalogue) -> list[str]:
    """Tables that derive a metric the framework reads, and the tables those join to."""
    specs = table_specs()
    wanted: list[str] = []
    for name in fw.metrics_read():
        derive = catalogue[name].derive
        if derive and derive["table"] not in wanted:
            wanted.append(derive["table"])
    for t in list(wanted):
        for col in specs[t].columns:
            if col.references:
                target = col.references.split(".")[0]
                if target not in wanted:
                    wanted.append(target)
    wanted.append("self_assessment")
    return [t for t in specs if t in wanted]


def sheet_name(spec: TableSpec) -> str:
    """The sheet's Vietnamese name (Excel allows 31 characters, none of []:*?/\\)."""
    name = "".join(ch for ch in spec.title.vi if ch not in "[]:*?/\\")
    return name[:31]


def _example(spec: TableSpec, col: ColumnSpec) -> Any:
    given = EXAMPLES.get(spec.name, {}).get(col.name)
    if given is not None:
        return given
    if col.type == "enum":
        labels = enum_labels().get((spec.name, col.name))
        return labels.shown[col.values[0]] if labels and col.values[0] in labels.shown else col.values[0]
    if col.type == "bool":
        return "x" if col.default is False else None
    return None


def write_template(fw: Framework, catalogue: Catalogue, out: Path) -> list[str]:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    example_font = Font(italic=True, color="808080")
    wrap = Alignment(wrap_text=True, vertical="top")
    wb = Workbook()

    guide = wb.active
    guide.title = "Hướng dẫn"
    for text, strong in INSTRUCTIONS:
        guide.append([text])
        cell = guide.cell(row=guide.max_row, column=1)
        cell.alignment = wrap
        if strong:
            cell.font = bold
    guide.column_dimensions["A"].width = 120

    ws = wb.create_sheet(BUNDLE_SHEETS[1])
    ws.append(["Thông tin (key)", "Giá trị / value"])
    for label, value in (("Tên xã (commune)", ""), ("Tỉnh, thành phố (province)", fw.province),
                         ("Từ ngày [dd/mm/yyyy] (period_start)", f"01/01/{fw.year}"),
                         ("Đến ngày [dd/mm/yyyy] (period_end)", f"31/12/{fw.year}"),
                         ("Khung đánh giá (framework)", fw.id), ("Số liệu minh họa [có/không] (illustrative)", "không")):
        ws.append([label, value])
    ws.column_dimensions["A"].width = 38
    ws.column_dimensions["B"].width = 40
    for cell in ws[1]:
        cell.font, cell.fill = bold, fill

    lists = wb.create_sheet(LISTS)
    lists.sheet_state = "hidden"
    list_col = 0

    def list_range(values: list[str], title: str) -> str:
        nonlocal list_col
        list_col += 1
        lists.cell(row=1, column=list_col, value=title)
        for r, v in enumerate(values, start=2):
            lists.cell(row=r, column=list_col, value=v)
        letter = lists.cell(row=1, column=list_col).column_letter
        return f"'{LISTS}'!${letter}$2:${letter}${len(values) + 1}"

    yes_no = list_range(["x", "có", "không"], "có/không")
    specs = table_specs()
    tables = tables_needed(fw, catalogue)
    written = []
    for t in tables:
        spec = specs[t]
        sheet = wb.create_sheet(sheet_name(spec))
        written.append(sheet.title)
        sheet.append([c.template_header_with_unit() for c in spec.columns])
        sheet.row_dimensions[1].height = 48
        for i, col in enumerate(spec.columns):
            cell = sheet.cell(row=1, column=i + 1)
            letter = cell.column_letter
            sheet.column_dimensions[letter].width = max(14, min(28, len(col.template_header_with_unit()) // 2 + 4))
            cell.font, cell.fill, cell.alignment = Font(bold=True, color=RED if col.required else "000000"), fill, wrap
            rng = f"{letter}2:{letter}{ROWS}"
            dv = None
            if col.type in ("date", "datetime"):
                dv = DataValidation(type="date", operator="greaterThan", formula1="DATE(2000,1,1)", allow_blank=True,
                                    error="Ghi ngày dạng dd/mm/yyyy / a date as dd/mm/yyyy", errorTitle=col.header.vi)
            elif col.type == "enum":
                labels = enum_labels().get((t, col.name))
                values = [labels.shown.get(v, v) for v in col.values] if labels else list(col.values)
                dv = DataValidation(type="list", formula1=list_range(values, col.header.vi), allow_blank=True,
                                    error="Chọn một giá trị trong danh sách / pick a value from the list",
                                    errorTitle=col.header.vi)
            elif col.type == "bool":
                dv = DataValidation(type="list", formula1=yes_no, allow_blank=True,
                                    error="Ghi x (hoặc có) nếu đúng, để trống hoặc không nếu sai / x for yes, blank for no",
                                    errorTitle=col.header.vi)
            elif col.type == "int":
                low = int(col.min) if col.min is not None else 0
                high = int(col.max) if col.max is not None else 10**9
                dv = DataValidation(type="whole", operator="between", formula1=str(low), formula2=str(high), allow_blank=True,
                                    error=f"Ghi số nguyên từ {low} đến {high} / a whole number {low}–{high}",
                                    errorTitle=col.header.vi)
            if dv is not None:
                dv.showErrorMessage = True
                sheet.add_data_validation(dv)
                dv.add(rng)
        example = [_example(spec, col) for col in spec.columns]
        example[0] = f"{EXAMPLE}{example[0] if example[0] is not None else ''}"
        sheet.append(example)
        for cell in sheet[2]:
            cell.font = example_font
        sheet.freeze_panes = "A2"
        if t == "self_assessment":
            names = [c.name for c in spec.columns]
            for leaf in fw.leaves:
                row: list[Any] = [None] * len(names)
                row[names.index("leaf")] = leaf.id
                row[names.index("criterion")] = leaf.title.vi
                row[names.index("max_points")] = float(leaf.max_points)
                sheet.append(row)

    reported = [name for name in fw.metrics_read()
                if not (derive := catalogue[name].derive) or derive["table"] not in tables]
    ms = wb.create_sheet(METRICS_SHEETS[1])
    ms.append(["Chỉ số (metric)", "Giá trị [%, hoặc số] (value)", "Tử số (numerator)", "Mẫu số (denominator)",
               "Không áp dụng vì (not_applicable)", "Nguồn (source)", "Diễn giải / definition"])
    ms.append([f"{EXAMPLE}{reported[0] if reported else ''}", "95,5", None, None, None, "Báo cáo CCHC năm", ""])
    for name in reported:
        m = catalogue[name]
        ms.append([name, None, None, None, None, None, f"{m.title.vi}: {m.definition.vi}"])
    for letter, width in zip("ABCDEFG", (38, 18, 14, 14, 26, 30, 80)):
        ms.column_dimensions[letter].width = width

    mw = wb.create_sheet(MANUAL_SHEETS[1])
    mw.append(["Mã tiêu chí (leaf)", "Điểm [điểm] (points)", "Giải trình (note)",
               "Tài liệu kiểm chứng [cách nhau bởi ;] (evidence)", "Tên tiêu chí", "Điểm tối đa"])
    manual = [leaf for leaf in fw.leaves if leaf.kind_impl.manual]  # scored by a person
    mw.append([f"{EXAMPLE}{manual[0].id if manual else '1.1'}", "2,5", "Hội đồng chấm theo biên bản họp ngày …",
               "BB-01/2025; QĐ-05", None, None])
    for leaf in manual:
        mw.append([leaf.id, None, None, None, leaf.title.vi, float(leaf.max_points)])
    for letter, width in zip("ABCDEF", (18, 14, 50, 36, 60, 12)):
        mw.column_dimensions[letter].width = width
    for sheet in (ms, mw):
        for cell in sheet[1]:
            cell.font, cell.fill, cell.alignment = bold, fill, wrap
        for cell in sheet[2]:
            cell.font = example_font
        sheet.freeze_panes = "A2"

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    wb.save(tmp)
    tmp.replace(out)  # nothing half-written
    return [guide.title, ws.title, *written, ms.title, mw.title]
