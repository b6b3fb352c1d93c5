"""A fill-in workbook for a framework: the sheets and columns it needs, ready for a commune office.

Headers read "Ngày tiếp nhận (received_at)": Vietnamese for the person, the key
for parscore. Dates, yes/no columns and enumerations carry Excel data
validation, so most typing mistakes are caught while filling in.
`parscore score` reads the filled workbook back (see `bundle._load_workbook`).
"""
from __future__ import annotations

from pathlib import Path

from parscore.metrics.catalogue import Catalogue
from parscore.evidence.tables import table_specs
from parscore.criteria.framework import Framework

ROWS = 5000  # rows covered by data validation


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


def write_template(fw: Framework, catalogue: Catalogue, out: Path) -> list[str]:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    wb = Workbook()
    ws = wb.active
    ws.title = "bundle"
    ws.append(["Thông tin (key)", "Giá trị / value"])
    for label, value in (("Tên xã (commune)", ""), ("Tỉnh, thành phố (province)", fw.province),
                         ("Từ ngày (period_start)", f"01/01/{fw.year}"), ("Đến ngày (period_end)", f"31/12/{fw.year}"),
                         ("Khung đánh giá (framework)", fw.id), ("Số liệu minh họa (illustrative)", "không")):
        ws.append([label, value])
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 40
    for cell in ws[1]:
        cell.font, cell.fill = bold, fill

    specs = table_specs()
    tables = tables_needed(fw, catalogue)
    for t in tables:
        spec = specs[t]
        sheet = wb.create_sheet(t)
        sheet.append([c.template_header() for c in spec.columns])
        for i, col in enumerate(spec.columns):
            letter = sheet.cell(row=1, column=i + 1).column_letter
            sheet.column_dimensions[letter].width = max(14, min(40, len(col.template_header()) + 2))
            cell = sheet.cell(row=1, column=i + 1)
            cell.font, cell.fill = Font(bold=True, color="C00000" if col.required else "000000"), fill
            rng = f"{letter}2:{letter}{ROWS}"
            dv = None
            if col.type in ("date", "datetime"):
                dv = DataValidation(type="date", operator="greaterThan", formula1="DATE(2000,1,1)", allow_blank=True,
                                    error="Ngày dạng dd/mm/yyyy / a date", errorTitle=col.name)
            elif col.type == "enum":
                dv = DataValidation(type="list", formula1='"' + ",".join(col.values) + '"', allow_blank=True,
                                    error="Chọn trong danh sách / pick from the list", errorTitle=col.name)
            elif col.type == "bool":
                dv = DataValidation(type="list", formula1='"x,có,không"', allow_blank=True, errorTitle=col.name)
            elif col.type == "int":
                low = int(col.min) if col.min is not None else 0
                high = int(col.max) if col.max is not None else 10**9
                dv = DataValidation(type="whole", operator="between", formula1=str(low), formula2=str(high), allow_blank=True,
                                    error=f"Số nguyên {low}–{high} / a whole number", errorTitle=col.name)
            if dv is not None:
                sheet.add_data_validation(dv)
                dv.add(rng)
        sheet.freeze_panes = "A2"
        if t == "self_assessment":
            for leaf in fw.leaves:
                sheet.append([leaf.id])

    reported = [name for name in fw.metrics_read()
                if not (derive := catalogue[name].derive) or derive["table"] not in tables]
    ms = wb.create_sheet("metrics")
    ms.append(["Chỉ số (metric)", "Giá trị % hoặc số (value)", "Tử số (numerator)", "Mẫu số (denominator)",
               "Không áp dụng vì (not_applicable)", "Nguồn (source)", "Diễn giải / definition"])
    for cell in ms[1]:
        cell.font, cell.fill = bold, fill
    for name in reported:
        m = catalogue[name]
        ms.append([name, None, None, None, None, None, f"{m.title.vi}: {m.definition.vi}"])
    for letter, width in zip("ABCDEFG", (38, 18, 14, 14, 26, 30, 80)):
        ms.column_dimensions[letter].width = width
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    wb.save(tmp)
    tmp.replace(out)  # nothing half-written
    return tables + ["metrics"]
