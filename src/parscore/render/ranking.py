"""The province's ranking, as a workbook (`batch --out ranking.xlsx`) and as a self-contained page (`ranking.html`).

Both read one plain table model made here from the batch result, so the two say the
same thing: the ranking, the commune × field matrix with the fields' maxima, the class
distribution, the points most lost (by points, then communes) and the skipped bundles
(with their errors, and bundles of another period or framework).
"""
from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from parscore.render.cells import cell_text
from parscore.core.messages import word
from parscore.core.numbers import display
from parscore.render import charts
from parscore.render.html import templates


@dataclass(frozen=True)
class Sheet:
    """One table: its name, headers, rows (numbers stay Fractions until written), and which columns are points."""

    key: str
    name: str
    heads: list[str]
    rows: list[list[Any]]
    numeric: frozenset[int]


def _labels(r: Any, lang: str) -> dict[str | None, str]:
    out: dict[str | None, str] = {b.code: b.label(lang) for b in r.framework.classification}
    out[None] = word("rank_unclassified", lang)
    out["—"] = out[None]
    return out


def title_lines(r: Any, lang: str, generated_on: str) -> tuple[str, str]:
    fw = r.framework
    decision = getattr(fw, "decision", None) or {}
    number = decision.get("number", "") if isinstance(decision, dict) else str(decision)
    periods = Counter(e.period for e in r.entries)
    period = " … ".join(periods.most_common(1)[0][0]) if periods else "—"
    return (word("rank_title", lang, framework=fw.title(lang)),
            word("rank_subtitle", lang, decision=number or fw.id, period=period, date=generated_on, n=len(r.entries)))


def sheets(r: Any, lang: str) -> list[Sheet]:
    labels = _labels(r, lang)
    fw = r.framework

    def w(code: str) -> str:  # a short alias keeps the header lists readable
        return word(code, lang)
    heads = [w("rank_col_rank"), w("rank_col_commune"), w("rank_col_province"), w("rank_col_index"), w("rank_col_class"),
             w("rank_col_points"), w("rank_col_max")]
    if r.scenario:
        heads += [w("rank_col_after_index"), w("rank_col_after_rank"), w("rank_col_rank_change")]
    heads.append(w("rank_col_bundle"))
    ranking = []
    for e in r.entries:
        row: list[Any] = [e.rank, e.commune, e.province, e.index, labels.get(e.classification, e.classification or ""),
                          e.points, e.max_points]
        if r.scenario:
            row += [e.after_index, e.after_rank, (e.rank - e.after_rank) if e.rank and e.after_rank else None]
        ranking.append([*row, e.bundle])
    numeric = frozenset({3, 5, 6} | ({7} if r.scenario else set()))

    field_ids = [f for f, _, _ in r.entries[0].fields] if r.entries else []
    field_heads = [f"{f}. {fw.get(f).title(lang)}" for f in field_ids]
    maxima = [max((m for e in r.entries for g, _, m in e.fields if g == f), default=Fraction(0)) for f in field_ids]
    matrix = [[w("rank_row_max"), *maxima, sum(maxima, Fraction(0))]]
    matrix += [[e.commune, *[p for _, p, _ in e.fields], e.points] for e in r.entries]

    total = sum(r.distribution.values()) or 1
    distribution = [[labels.get(code, code), code, n, Fraction(100 * n, total)] for code, n in r.distribution.items()]
    lost = sorted(r.most_lost, key=lambda x: (-x[2], -x[1], x[0]))
    most_lost = [[leaf, fw.get(leaf).title(lang), n, pts] for leaf, n, pts in lost]
    skipped = [[b, e] for b, e in r.errors]
    skipped += [[b, f"{word(code, lang, detail=detail)} — {word('batch_mixed_ranked' if ranked else 'batch_mixed_skipped', lang)}"]
                for b, code, detail, ranked in r.mixed]
    return [
        Sheet("ranking", w("rank_sheet_ranking"), heads, ranking, numeric),
        Sheet("matrix", w("rank_sheet_matrix"), [w("rank_col_commune"), *field_heads, w("rank_col_total")], matrix,
              frozenset(range(1, len(field_ids) + 2))),
        Sheet("distribution", w("rank_sheet_distribution"),
              [w("rank_col_class"), w("rank_col_code"), w("rank_col_communes"), w("rank_col_share")], distribution, frozenset({3})),
        Sheet("most_lost", w("rank_sheet_lost"),
              [w("rank_col_leaf"), w("rank_col_title"), w("rank_col_losing"), w("rank_col_lost")], most_lost, frozenset({3})),
        Sheet("skipped", w("rank_sheet_skipped"), [w("rank_col_bundle"), w("rank_col_error")], skipped, frozenset()),
    ]


def _cell(value: Any) -> Any:
    # openpyxl writes a text starting with "=" as a formula: every text cell is made inert first
    return float(value) if isinstance(value, Fraction) else cell_text(value)


def ranking_xlsx(r: Any, lang: str = "vi", generated_on: str | None = None) -> bytes:
    """The workbook: a title row and a date on every sheet, numbers as numbers (0.00), fitted columns, a bar chart."""
    on = generated_on or dt.date.today().isoformat()
    title, subtitle = title_lines(r, lang, on)
    fmt = "0." + "0" * r.framework.decimals if r.framework.decimals > 0 else "0"
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets(r, lang):
        ws = wb.create_sheet(sheet.name[:31])
        ws.append([cell_text(title)])
        ws.append([cell_text(subtitle)])
        ws.append([])
        ws.append(sheet.heads)
        ws["A1"].font = Font(bold=True, size=14)
        ws["A2"].font = Font(italic=True)
        for cell in ws[4]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        for row in sheet.rows:
            ws.append([_cell(v) for v in row])
            for k in sheet.numeric:
                ws.cell(row=ws.max_row, column=k + 1).number_format = fmt
        if sheet.key == "matrix" and sheet.rows:
            for cell in ws[5]:
                cell.font = Font(italic=True, bold=True)
        for k, head in enumerate(sheet.heads, start=1):
            longest = max([len(str(head))] + [len(display(v, 2) if isinstance(v, Fraction) else str(v or ""))
                                                for v in (row[k - 1] for row in sheet.rows)])
            ws.column_dimensions[get_column_letter(k)].width = min(60, max(8, longest + 2))
        ws.freeze_panes = "A5"
        if sheet.key == "ranking" and sheet.rows:
            chart = BarChart()
            chart.type = "bar"
            chart.title = word("rank_chart", lang)
            chart.y_axis.title = word("rank_col_index", lang)
            chart.legend = None
            n = len(sheet.rows)
            chart.add_data(Reference(ws, min_col=4, min_row=4, max_row=4 + n), titles_from_data=True)
            chart.set_categories(Reference(ws, min_col=2, min_row=5, max_row=4 + n))
            chart.height, chart.width = max(7.5, 0.6 * n + 3), 18
            ws.add_chart(chart, f"{get_column_letter(len(sheet.heads) + 2)}4")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def ranking_html(r: Any, lang: str = "vi", generated_on: str | None = None) -> str:
    """The same tables as one self-contained page, with the index per commune drawn inline."""
    on = generated_on or dt.date.today().isoformat()
    title, subtitle = title_lines(r, lang, on)
    d = r.framework.decimals
    tables = []
    for sheet in sheets(r, lang):
        tables.append({"key": sheet.key, "name": sheet.name, "heads": sheet.heads, "numeric": sorted(sheet.numeric),
                       "rows": [[display(v, d, lang) if isinstance(v, Fraction) else ("" if v is None else str(v)) for v in row]
                                for row in sheet.rows]})
    chart = charts.bars("ranking", [e.commune for e in r.entries],
                        [(word("rank_col_index", lang), [float(e.index or 0) for e in r.entries])], d) if r.entries else ""
    return templates().get_template("ranking.html").render(lang=lang, title=title, subtitle=subtitle, tables=tables,
                                                          chart=chart, chart_title=word("rank_chart", lang))
