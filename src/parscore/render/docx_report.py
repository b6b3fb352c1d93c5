"""Báo cáo tự đánh giá (.docx), laid out as NĐ 30/2020/NĐ-CP lays out an administrative document.

A4 portrait, Times New Roman 13–14 pt, margins 20/20/30/15 mm; the issuing body
and số/ký hiệu on the left, Quốc hiệu and Tiêu ngữ on the right, place and date,
the kind and title of the document, the body, recipients and the signature
block. The Biểu tự chấm điểm follows in a landscape section, its header row
repeated on every page. Plain Word structures only (paragraphs, tables, sections),
so that Word and LibreOffice both edit it.
"""
from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from parscore.core.messages import word
from parscore.core.numbers import display
from parscore.render.assessment import Row, narrative, table_rows
from parscore.scoring.result import Result

FONT = "Times New Roman"
# Column widths of the scoring table on landscape A4 (267 mm between margins).
WIDTHS_MM = (16, 86, 17, 17, 19, 50, 62)


def _run(paragraph, text: str, size: float = 13, bold: bool = False, italic: bool = False, underline: bool = False):  # type: ignore[no-untyped-def]
    run = paragraph.add_run(text)
    run.font.name, run.font.size, run.bold, run.italic, run.underline = FONT, Pt(size), bold, italic, underline
    run._element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    return run


def _para(container, text: str = "", size: float = 13, bold: bool = False, italic: bool = False,  # type: ignore[no-untyped-def]
          align: WD_ALIGN_PARAGRAPH | None = None, underline: bool = False, indent: bool = False, after: float = 3):
    p = container.add_paragraph()
    if text:
        _run(p, text, size, bold, italic, underline)
    if align is not None:
        p.alignment = align
    fmt = p.paragraph_format
    fmt.space_after, fmt.space_before = Pt(after), Pt(0)
    if indent:
        fmt.first_line_indent = Mm(10)
    return p


def _cell_text(cell, text: str, size: float = 12, bold: bool = False, italic: bool = False,  # type: ignore[no-untyped-def]
               align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER) -> None:
    lines = text.split("\n")
    first = cell.paragraphs[0]
    for k, line in enumerate(lines):
        p = first if k == 0 else cell.add_paragraph()
        p.alignment = align
        p.paragraph_format.space_after = Pt(0)
        _run(p, line, size, bold, italic)


def _repeat_header(row) -> None:  # type: ignore[no-untyped-def]
    tr_pr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def _no_split(row) -> None:  # type: ignore[no-untyped-def]
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def _upper(text: str) -> str:
    return text.upper()


def _place(commune: str) -> str:
    for prefix in ("Xã ", "Phường ", "Thị trấn ", "xã ", "phường "):
        if commune.startswith(prefix):
            return commune[len(prefix):]
    return commune


def _setup(doc) -> None:  # type: ignore[no-untyped-def]
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(13)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = Mm(20), Mm(20), Mm(30), Mm(15)


def _heading_block(doc, result: Result, lang: str, on: dt.date) -> None:  # type: ignore[no-untyped-def]
    subj = result.subject
    commune, province = str(subj.get("commune", "")), str(subj.get("province", ""))
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.width, right.width = Mm(70), Mm(95)
    _cell_text(left, word("doc_parent_body", lang, province=_upper(province)), 12)
    _para(left, word("doc_body", lang, commune=_upper(commune)), 12, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
    _para(left, word("doc_number", lang), 13, align=WD_ALIGN_PARAGRAPH.CENTER)
    _cell_text(right, word("doc_nation", lang), 12, bold=True)
    _para(right, word("doc_motto", lang), 13, bold=True, underline=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
    date = word("doc_place_date", lang, place=_place(commune), day=f"{on.day:02d}", month=f"{on.month:02d}", year=on.year)
    _para(right, date, 13, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)


def _framework_title(result: Result, lang: str) -> str:
    title = result.framework["title"]
    return str(title(lang) if callable(title) else title[lang])


def _body(doc, result: Result, lang: str) -> None:  # type: ignore[no-untyped-def]
    subj, fw = result.subject, result.framework
    decision = fw.get("decision") or {}
    period = subj.get("period") or {}
    _para(doc, "", after=6)
    _para(doc, word("doc_kind", lang), 14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _para(doc, word("doc_title", lang, framework=_framework_title(result, lang)), 14, bold=True,
          align=WD_ALIGN_PARAGRAPH.CENTER, after=12)
    basis = f"{decision.get('number', '')} ({decision.get('date', '')}) — {decision.get('title', '')}".strip(" —()")
    _para(doc, word("doc_basis", lang, decision=basis or fw["id"], commune=subj.get("commune", ""),
                    start=period.get("start", ""), end=period.get("end", "")), indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    parts = narrative(result, lang)
    for heading, key in (("doc_part_result", "overall"), ("doc_part_fields", "fields"), ("doc_part_causes", "causes")):
        _para(doc, word(heading, lang), bold=True, after=3)
        for line in parts[key]:
            _para(doc, line, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _para(doc, word("doc_part_table", lang), bold=True, after=3)
    _para(doc, word("doc_table_see", lang), italic=True, indent=True)


def _signature(doc, result: Result, lang: str) -> None:  # type: ignore[no-untyped-def]
    table = doc.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.width, right.width = Mm(80), Mm(85)
    _cell_text(left, word("doc_recipients", lang), 12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    for line in (word("doc_recipient_province", lang, province=result.subject.get("province", "")),
                 word("doc_recipient_archive", lang)):
        _para(left, line, 11, align=WD_ALIGN_PARAGRAPH.LEFT, after=0)
    _cell_text(right, word("doc_sign_for", lang), 13, bold=True)
    _para(right, word("doc_sign_title", lang), 13, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _para(right, word("doc_sign_hint", lang), 12, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)


def _pts(value, decimals: int, lang: str) -> str:  # type: ignore[no-untyped-def]
    return "" if value is None else display(value, decimals, lang)


def _scoring_table(doc, result: Result, rows: Sequence[Row], lang: str) -> None:  # type: ignore[no-untyped-def]
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = Mm(15), Mm(15), Mm(15), Mm(15)
    body = word("doc_body", lang, commune=_upper(str(result.subject.get("commune", ""))))
    _para(doc, word("doc_table_title", lang), 14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _para(doc, word("doc_table_sub", lang, body=body), 13, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
    d = result.decimals
    table = doc.add_table(rows=1, cols=7)
    table.style = "Table Grid"
    heads = ("doc_col_no", "doc_col_item", "doc_col_max", "doc_col_self", "doc_col_computed", "doc_col_evidence", "doc_col_note")
    for cell, head, width in zip(table.rows[0].cells, heads, WIDTHS_MM):
        cell.width = Mm(width)
        _cell_text(cell, word(head, lang), 11, bold=True)
    _repeat_header(table.rows[0])
    for row in rows:
        cells = table.add_row().cells
        _no_split(table.rows[-1])
        bold = not row.leaf
        values = (row.id, ("    " * row.depth) + row.title, _pts(row.max_points, d, lang), _pts(row.self_points, d, lang),
                  _pts(row.points, d, lang), row.evidence, row.note)
        aligns = (WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, *([WD_ALIGN_PARAGRAPH.RIGHT] * 3),
                  WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.LEFT)
        for cell, value, align, width in zip(cells, values, aligns, WIDTHS_MM):
            cell.width = Mm(width)
            _cell_text(cell, value, 11, bold=bold, align=align)
    t = result.total
    cells = table.add_row().cells
    for cell, value, width in zip(cells, ("", word("doc_total_row", lang), _pts(t.max_points, d, lang), "",
                                          _pts(t.points, d, lang), "", ""), WIDTHS_MM):
        cell.width = Mm(width)
        _cell_text(cell, value, 11, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT if value and value[0].isdigit() else WD_ALIGN_PARAGRAPH.CENTER)


def render_docx(results: Sequence[Result], lang: str = "vi", generated_on: dt.date | None = None) -> bytes:
    """The report of the bundle's first framework (the one its self-assessment is compared with)."""
    result = results[0]
    on = generated_on or dt.date.today()
    doc = Document()
    _setup(doc)
    props = doc.core_properties
    props.title = f"{word('doc_kind', lang)} — {_framework_title(result, lang)} — {result.subject.get('commune', '')}"
    props.author = str(result.subject.get("commune", ""))
    props.comments = word("doc_made_by", lang, bundle=result.subject.get("bundle", ""),
                          hash=result.manifest.get("framework", ""))
    props.created = props.modified = dt.datetime(on.year, on.month, on.day)
    props.last_modified_by = "parscore"
    props.revision = 1
    _heading_block(doc, result, lang, on)
    _body(doc, result, lang)
    _signature(doc, result, lang)
    _scoring_table(doc, result, table_rows(result, lang), lang)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
