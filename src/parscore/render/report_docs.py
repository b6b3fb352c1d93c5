"""The documents of `parscore report`, by format: html (the page), docx (Báo cáo tự đánh giá), xlsx (its table)."""
from __future__ import annotations

from collections.abc import Sequence

from parscore.render import html
from parscore.render.docx_report import render_docx
from parscore.render.xlsx_report import render_xlsx
from parscore.scoring.previous import Previous
from parscore.scoring.result import Result


def render(fmt: str, results: Sequence[Result], previous: Previous | None, lang: str) -> str | bytes:
    if fmt == "html":
        return html.render_html(results, previous, lang)
    if fmt == "docx":
        return render_docx(results, lang)
    if fmt == "xlsx":
        return render_xlsx(results, lang)
    raise ValueError(f"unknown report format {fmt!r}")
