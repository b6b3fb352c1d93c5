"""Terminal tables with rich."""
from __future__ import annotations

import io
from typing import Sequence

from rich.console import Console
from rich.table import Table

from parscore.core.messages import word
from parscore.scoring.explain import fmt
from parscore.render.text import pts, rows, status_word, total_line
from parscore.scoring.result import LeafResult, Result

FORMAT = "table"

STYLE = {"full": "green", "partial": "yellow", "zero": "red", "missing_evidence": "red", "error": "bold red",
         "not_applicable": "dim", "manual": "cyan"}


def render(results: Sequence[Result], lang: str) -> str:
    return "\n".join(score_table(r, lang) for r in results)


def console(width: int = 140) -> tuple[Console, io.StringIO]:
    buf = io.StringIO()
    # markup=False: evidence text such as "[reported, metrics.yaml:17]" must print as written
    return Console(file=buf, width=width, force_terminal=False, color_system=None, highlight=False, markup=False), buf


def score_table(result: Result, lang: str, width: int = 140) -> str:
    con, buf = console(width)
    fw = result.framework
    subj = result.subject
    con.print(f"{fw['title'][lang] if isinstance(fw['title'], dict) else fw['title'](lang)} — {subj.get('commune', '')} "
              f"({subj.get('period', {}).get('start', '')} … {subj.get('period', {}).get('end', '')})")
    table = Table(show_lines=False, expand=False)
    for head, justify in (("id", "left"), ("criterion", "left"), ("points", "right"), ("max", "right"),
                          ("lost", "right"), ("status", "left"), ("to_recover", "left")):
        table.add_column(word(head, lang), justify=justify)  # type: ignore[arg-type]
    for depth, item in rows(result):
        status = status_word(item.status, lang) if isinstance(item, LeafResult) else ""
        rec = item.to_recover.text(lang) if isinstance(item, LeafResult) and item.to_recover else ""
        title = ("  " * depth) + item.title(lang)
        table.add_row(item.id, title, pts(item.points, result, lang), pts(item.max_points, result, lang),
                      pts(item.points_lost, result, lang), status, rec,
                      style=STYLE.get(item.status, "") if isinstance(item, LeafResult) else "bold")
    con.print(table)
    con.print(total_line(result, lang))
    for w in result.warnings:
        con.print(f"⚠ {w.text(lang)}" + (f" [{w.leaf}]" if w.leaf else ""))
    return buf.getvalue()


def explain(result: Result, leaf_ids: list[str], lang: str, width: int = 140) -> str:
    con, buf = console(width)
    leaves = [result.leaf(i) for i in leaf_ids] if leaf_ids else [x for x in result.leaves if x.points_lost > 0 or x.status in ("error", "missing_evidence")]
    for leaf in leaves:
        con.rule(f"{leaf.id} · {leaf.title(lang)}")
        con.print(f"{word('status', lang)}: {status_word(leaf.status, lang)} — {pts(leaf.points, result, lang)}/"
                  f"{pts(leaf.max_points, result, lang)}" + ("" if leaf.counts_toward_max else f" ({word('not_counted', lang)})"))
        con.print(f"{word('requires', lang)}: {leaf.requirement(lang)}")
        con.print(f"{word('why', lang)}: {leaf.explanation(lang)}")
        if leaf.to_recover:
            con.print(f"{word('to_recover', lang)}: {leaf.to_recover.text(lang)}")
        con.print(f"{word('evidence', lang)}: {leaf.evidence_required(lang)}")
        for o in leaf.observed:
            where = ":".join(str(x) for x in (o.file, o.line) if x is not None)
            con.print(f"{word('inputs', lang)}: {o.metric} = {_value(o.value, lang)} [{word(o.origin, lang) if o.origin in ('reported', 'derived') else o.origin}"
                      + (f", {where}" if where else "") + (f", {o.source}" if o.source else "") + "]")
            if o.failing_records:
                con.print("  " + _records(o, lang))
            if o.calendar:
                con.print("  " + word("calendar_used", lang, calendar=o.calendar))
            for d in o.documents:
                con.print(f"  {'văn bản' if lang == 'vi' else 'document'} {d['id']}"
                          + (f": {d['file']} sha256 {d['sha256'][:16]}…" if d.get("sha256") else ""))
        con.print(f"{word('source', lang)}: {leaf.source.get('requirement', '')} · {leaf.source.get('points', '')}")
    return buf.getvalue()


def _value(value, lang: str) -> str:  # type: ignore[no-untyped-def]
    if isinstance(value, dict):
        return ", ".join(f"{k}={fmt(k if k != 'rate_percent' else 'rate', v, lang, 2)}" for k, v in value.items())
    return fmt("value", value, lang, 2)


def _records(o, lang: str) -> str:  # type: ignore[no-untyped-def]
    head = "bản ghi làm mất điểm" if lang == "vi" else "records that cost points"
    shown = o.failing_records[:20]
    more = o.failing_count - len(shown)
    tail = (f" (+{more} {'bản ghi khác' if lang == 'vi' else 'more'})" if more > 0 else "")
    return f"{head} ({o.failing_count}): {', '.join(shown)}{tail}"
