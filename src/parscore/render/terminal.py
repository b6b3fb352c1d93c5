"""Terminal tables with rich, fitted to the screen they are shown on.

The CLI says which screen (`on_screen`): its width as rich detects it, and whether it
takes colour. A renderer called without one (tests, the API) gets a fixed 120-column,
colourless screen, so its text is deterministic. Tables never exceed the width: rich
wraps long cells inside their column, and below 120 columns the score table folds
points and maximum into one column, drops "points lost" (maximum − points) and puts
the status at the head of its advice: four columns that read at 80.
"""
from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

from rich.console import Console
from rich.table import Table

from parscore.core.messages import word
from parscore.core.numbers import grouped
from parscore.metrics.catalogue import Metric
from parscore.render.screen import _SCREEN, WIDE, Screen
from parscore.render.screen import on_screen as on_screen  # re-exported: callers set the screen through this module too
from parscore.render.text import (
    citation,
    period_text,
    pts,
    rows,
    status_word,
    summary_line,
    total_line,
)
from parscore.scoring.explain import fmt
from parscore.scoring.result import LeafResult, Result

FORMAT = "table"

STYLE = {"full": "green", "partial": "yellow", "zero": "red", "missing_evidence": "red", "error": "bold red",
         "not_applicable": "dim", "manual": "cyan"}


def screen() -> Screen:
    return _SCREEN.get()


def render(results: Sequence[Result], lang: str) -> str:
    con, buf = console()
    for r in results:  # one line per framework first: the answer before the long tables
        con.print(summary_line(r, lang), style="bold", no_wrap=True, overflow="ellipsis")
    con.print()
    return buf.getvalue() + "\n".join(score_table(r, lang) for r in results)


def console(width: int | None = None) -> tuple[Console, io.StringIO]:
    buf = io.StringIO()
    s = screen()
    # markup=False: evidence text such as "[reported, metrics.yaml:17]" must print as written
    return Console(file=buf, width=width or s.width, force_terminal=s.color_system is not None,
                   color_system=s.color_system, highlight=False, markup=False, emoji=False), buf  # type: ignore[arg-type]


def score_table(result: Result, lang: str) -> str:
    con, buf = console()
    fw = result.framework
    subj = result.subject
    title = fw["title"][lang] if isinstance(fw["title"], dict) else fw["title"](lang)
    period = period_text(subj, lang)
    con.print(f"{title} — {subj.get('commune', '')}" + (f" ({period})" if period else ""), style="bold")
    wide = con.width >= WIDE
    table = Table(show_lines=False, expand=False)
    table.add_column(word("id", lang), no_wrap=True)
    table.add_column(word("criterion", lang), ratio=1, overflow="fold")
    if wide:
        for head in ("points", "max", "lost"):
            table.add_column(word(head, lang), justify="right", no_wrap=True)
        table.add_column(word("status", lang), no_wrap=True)
        table.add_column(word("to_recover", lang), ratio=1, overflow="fold")
    else:  # points/max in one column, the status leading its advice: four columns fit 80
        table.add_column(word("points", lang), justify="right", no_wrap=True)
        table.add_column(word("status_advice", lang), ratio=1, overflow="fold")
    for depth, item in rows(result):
        leaf = item if isinstance(item, LeafResult) else None
        status = status_word(leaf.status, lang) if leaf else ""
        rec = leaf.to_recover.text(lang) if leaf and leaf.to_recover else ""
        name = ("  " * depth) + item.title(lang)
        if wide:
            cells = [pts(item.points, result, lang), pts(item.max_points, result, lang),
                     pts(item.points_lost, result, lang), status, rec]
        else:
            cells = [f"{pts(item.points, result, lang)}/{pts(item.max_points, result, lang)}",
                     f"{status}: {rec}" if rec else status]
        table.add_row(item.id, name, *cells, style=STYLE.get(leaf.status, "") if leaf else "bold")
    con.print(table)
    con.print(total_line(result, lang), style="bold")
    for w in result.warnings:
        con.print(f"⚠ {w.text(lang)}" + (f" [{w.leaf}]" if w.leaf else ""), style="yellow")
    return buf.getvalue()


def explain(result: Result, leaf_ids: list[str], lang: str, metrics: Mapping[str, Metric] | None = None,
            verbose: bool = False) -> str:
    """Why each leaf scored as it did. `metrics` (the catalogue) names inputs by their titles;
    `verbose` adds the maintainers' provenance notes (seed files, DOMAIN sections, allocations)."""
    con, buf = console()
    metrics = metrics or {}
    leaves = [result.leaf(i) for i in leaf_ids] if leaf_ids else [x for x in result.leaves if x.points_lost > 0 or x.status in ("error", "missing_evidence")]
    for leaf in leaves:
        con.rule(f"{leaf.id} · {leaf.title(lang)}", style="bold")
        con.print(f"{word('status', lang)}: {status_word(leaf.status, lang)} — {pts(leaf.points, result, lang)}/"
                  f"{pts(leaf.max_points, result, lang)}" + ("" if leaf.counts_toward_max else f" ({word('not_counted', lang)})"),
                  style=STYLE.get(leaf.status, ""))
        con.print(f"{word('requires', lang)}: {leaf.requirement(lang)}")
        con.print(f"{word('why', lang)}: {leaf.explanation(lang)}")
        if leaf.to_recover:
            con.print(f"{word('to_recover', lang)}: {leaf.to_recover.text(lang)}")
        con.print(f"{word('evidence', lang)}: {leaf.evidence_required(lang)}")
        for o in leaf.observed:
            metric = metrics.get(o.metric)
            name = metric.title(lang) if metric is not None else o.metric
            where = ":".join(str(x) for x in (o.file, o.line) if x is not None)
            origin = word(o.origin, lang) if o.origin in ("reported", "derived") else o.origin
            tail = [origin] + ([where] if where else []) + ([o.source] if o.source and verbose else [])
            con.print(f"{word('explain_input', lang)}: {name} = {_value(o.value, lang)} [{', '.join(tail)}]")
            if o.failing_records:
                con.print("  " + _records(o, lang))
            if o.calendar:
                con.print("  " + word("calendar_used", lang, calendar=o.calendar))
            for d in o.documents:
                con.print(f"  {word('explain_document', lang)} {d['id']}"
                          + (f": {d['file']} sha256 {d['sha256'][:16]}…" if d.get("sha256") else ""))
        con.print(f"{word('source_decision', lang)}: {citation(leaf.source.get('requirement', ''), decision_of(result), leaf.id, lang)}")
        if verbose:
            con.print(f"{word('source', lang)}: {leaf.source.get('requirement', '')} · {leaf.source.get('points', '')}",
                      style="dim")
    return buf.getvalue()


def decision_of(result: Result) -> str:
    decision = result.framework.get("decision") or {}
    return str(decision.get("number") or result.framework.get("id", ""))


def _value(value, lang: str) -> str:  # type: ignore[no-untyped-def]
    if isinstance(value, dict):
        parts = []
        for k, v in value.items():
            shown = grouped(v, lang) if isinstance(v, int) and not isinstance(v, bool) else \
                fmt(k if k != "rate_percent" else "rate", v, lang, 2)
            parts.append(f"{word(k, lang)} {shown}" if k in ("numerator", "denominator", "rate_percent") else f"{k}: {shown}")
        return ", ".join(parts)
    return fmt("value", value, lang, 2)


def _records(o, lang: str) -> str:  # type: ignore[no-untyped-def]
    shown = o.failing_records[:20]
    more = o.failing_count - len(shown)
    tail = (f" (+{grouped(more, lang)} {word('more_records', lang)})" if more > 0 else "")
    return f"{word('failing_records', lang)} ({grouped(o.failing_count, lang)}): {', '.join(shown)}{tail}"
