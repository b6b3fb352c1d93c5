"""The Biểu tự chấm điểm as a workbook: the same rows as the .docx table, points as numbers with 0.00 formats."""
from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from parscore.core.messages import word
from parscore.render.assessment import table_rows
from parscore.scoring.result import Result

HEADS = ("doc_col_no", "doc_col_item", "doc_col_max", "doc_col_self", "doc_col_computed", "doc_col_evidence", "doc_col_note")
WIDTHS = (10, 60, 11, 11, 13, 40, 70)
THIN = Side(style="thin", color="999999")


def number_format(decimals: int) -> str:
    return "0" if decimals <= 0 else "0." + "0" * decimals


def render_xlsx(results: Sequence[Result], lang: str = "vi") -> bytes:
    result = results[0]
    fmt = number_format(result.decimals)
    wb = Workbook()
    ws = wb.active
    ws.title = word("doc_table_title", lang)[:31]
    body = word("doc_body", lang, commune=str(result.subject.get("commune", "")).upper())
    ws.append([f"{word('doc_table_title', lang)} — {body}"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    ws.append([word(h, lang) for h in HEADS])
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEEEEE")
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for row in table_rows(result, lang):
        ws.append([row.id, ("  " * row.depth) + row.title, float(row.max_points),
                   None if row.self_points is None else float(row.self_points), float(row.points), row.evidence, row.note])
        if not row.leaf:
            for cell in ws[ws.max_row]:
                cell.font = Font(bold=True)
    t = result.total
    ws.append(["", word("doc_total_row", lang), float(t.max_points), None, float(t.points), "", ""])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for r in ws.iter_rows(min_row=4, max_row=ws.max_row):
        for k, cell in enumerate(r):
            cell.border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
            cell.alignment = Alignment(wrap_text=k in (1, 5, 6), vertical="top")
            if k in (2, 3, 4):
                cell.number_format = fmt
    for k, width in enumerate(WIDTHS):
        ws.column_dimensions[chr(ord("A") + k)].width = width
    ws.freeze_panes = "C4"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
