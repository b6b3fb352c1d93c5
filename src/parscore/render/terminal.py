"""Terminal tables, fitted to the screen they are shown on.

The score tables are drawn by `render.grid` (rich's layout computed directly, ~6x faster and
without importing rich) and by rich itself where only rich can draw them exactly (see `grid`);
the explanations are printed by rich. The CLI says which screen (`on_screen`): its width as rich detects it, and whether it
takes colour. A renderer called without one (tests, the API) gets a fixed 120-column,
colourless screen, so its text is deterministic. Tables never exceed the width: rich
wraps long cells inside their column, and below 120 columns the score table folds
points and maximum into one column, drops "points lost" (maximum − points) and puts
the status at the head of its advice: four columns that read at 80.
"""
from __future__ import annotations

import io
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from parscore.core.messages import word
from parscore.core.numbers import grouped
from parscore.metrics.catalogue import Metric
from parscore.render import grid
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

if TYPE_CHECKING:
    from rich.console import Console

FORMAT = "table"

STYLE = {"full": "green", "partial": "yellow", "zero": "red", "missing_evidence": "red", "error": "bold red",
         "not_applicable": "dim", "manual": "cyan"}


def screen() -> Screen:
    return _SCREEN.get()


def render(results: Sequence[Result], lang: str) -> str:
    summaries = [summary_line(r, lang) for r in results]  # one line per framework first: the answer before the long tables
    tables = [score_sheet(r, lang, screen().width >= WIDE) for r in results]
    try:
        return _plain(summaries, tables)
    except grid.Unsupported:  # text or a screen that only rich lays out exactly: let rich draw it all
        con, buf = console()
        for line in summaries:
            con.print(line, style="bold", no_wrap=True, overflow="ellipsis")
        con.print()
        return buf.getvalue() + "\n".join(_rich_sheet(sheet) for sheet in tables)


@dataclass(frozen=True)
class Sheet:
    """One framework's score table as data, drawn by `grid` (plain text, fast) or by rich."""

    title: str
    columns: tuple[grid.Column, ...]
    rows: tuple[tuple[tuple[str, ...], str], ...]  # (cells, row style)
    after: tuple[tuple[str, str], ...]  # (line, style) printed below the table


def score_sheet(result: Result, lang: str, wide: bool) -> Sheet:
    fw = result.framework
    subj = result.subject
    title = fw["title"][lang] if isinstance(fw["title"], dict) else fw["title"](lang)
    period = period_text(subj, lang)
    head = f"{title} — {subj.get('commune', '')}" + (f" ({period})" if period else "")
    columns = [grid.Column(word("id", lang), no_wrap=True), grid.Column(word("criterion", lang), overflow="fold")]
    if wide:
        columns += [grid.Column(word(h, lang), justify="right", no_wrap=True) for h in ("points", "max", "lost")]
        columns += [grid.Column(word("status", lang), no_wrap=True), grid.Column(word("to_recover", lang), overflow="fold")]
    else:  # points/max in one column, the status leading its advice: four columns fit 80
        columns += [grid.Column(word("points", lang), justify="right", no_wrap=True),
                    grid.Column(word("status_advice", lang), overflow="fold")]
    body = []
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
        body.append(((item.id, name, *cells), STYLE.get(leaf.status, "") if leaf else "bold"))
    after = [(total_line(result, lang), "bold")]
    after += [(f"⚠ {w.text(lang)}" + (f" [{w.leaf}]" if w.leaf else ""), "yellow") for w in result.warnings]
    return Sheet(head, tuple(columns), tuple(body), tuple(after))


def score_table(result: Result, lang: str) -> str:
    sheet = score_sheet(result, lang, screen().width >= WIDE)
    try:
        return _plain([], [sheet])
    except grid.Unsupported:
        return _rich_sheet(sheet)


def _plain(summaries: Sequence[str], sheets: Sequence[Sheet]) -> str:
    """The summaries and tables as rich would print them on this screen, drawn by `grid`; Unsupported
    where only rich can (see `grid`): a colour system other than ANSI's, a dumb or legacy Windows terminal."""
    s = screen()
    if s.color_system is not None and (sys.platform == "win32" or os.environ.get("TERM", "").lower() in ("dumb", "unknown")):
        raise grid.Unsupported("terminal")  # rich measures such a terminal itself (80 columns, substituted boxes)
    out = [grid.printed(line, s.width, s.color_system, "bold", no_wrap=True, overflow="ellipsis") for line in summaries]
    if summaries:
        out.append("\n")
    drawn = []
    for sheet in sheets:
        part = [grid.printed(sheet.title, s.width, s.color_system, "bold"),
                grid.table(sheet.columns, sheet.rows, s.width, s.color_system)]
        part += [grid.printed(text, s.width, s.color_system, style) for text, style in sheet.after]
        drawn.append("".join(part))
    return "".join(out) + "\n".join(drawn)


def console(width: int | None = None) -> tuple[Console, io.StringIO]:
    from rich.console import Console  # lazily (~25 ms): the score table is drawn by `grid` unless it needs rich

    buf = io.StringIO()
    s = screen()
    # markup=False: evidence text such as "[reported, metrics.yaml:17]" must print as written
    return Console(file=buf, width=width or s.width, force_terminal=s.color_system is not None,
                   color_system=s.color_system, highlight=False, markup=False, emoji=False), buf  # type: ignore[arg-type]


def _rich_sheet(sheet: Sheet) -> str:
    from rich.table import Table  # lazily, as in console()

    con, buf = console()
    con.print(sheet.title, style="bold")
    table = Table(show_lines=False, expand=False)
    for c in sheet.columns:
        # ratio only matters to an expanding table; kept as the wrapping columns were declared
        table.add_column(c.header, justify=c.justify, no_wrap=c.no_wrap, overflow=c.overflow,
                         ratio=None if c.no_wrap else 1)
    for cells, style in sheet.rows:
        table.add_row(*cells, style=style)
    con.print(table)
    for text, style in sheet.after:
        con.print(text, style=style)
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
