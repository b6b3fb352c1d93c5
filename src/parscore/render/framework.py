"""Frameworks as a person reads them: the list parscore holds, and what one requires."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.table import Table

from parscore.core.dates import parse_date
from parscore.core.dates import text as date_text
from parscore.core.messages import word
from parscore.core.numbers import display
from parscore.criteria.framework import STRENGTHS, Framework, Leaf, node_strength, strength_marks
from parscore.criteria.trace import Trace
from parscore.metrics.catalogue import Metric
from parscore.render.terminal import console
from parscore.render.text import citation


def decision_text(fw: Framework, lang: str) -> str:
    """"538/QĐ-UBND, 30/12/2024 (chính thức)": number, date, and whether parscore's reading is official."""
    d = fw.decision
    status = d.get("status", "")
    shown = word(f"fw_status_{status}", lang) if f"fw_status_{status}" in _STATUS else status
    date = ""
    if d.get("date"):
        try:
            date = ", " + date_text(parse_date(d["date"]), lang)
        except (ValueError, TypeError):
            date = ""
    return f"{d['number']}{date} ({shown})"


_STATUS = {"fw_status_official", "fw_status_illustrative"}


def frameworks_table(fws: Sequence[Framework], lang: str) -> str:
    con, buf = console()
    table = Table()
    table.add_column(word("fw_id", lang), no_wrap=True)
    table.add_column(word("fw_title", lang), ratio=2, overflow="fold")
    table.add_column(word("fw_province", lang), ratio=1, overflow="fold")
    table.add_column(word("fw_year", lang), no_wrap=True)
    table.add_column(word("fw_decision", lang), ratio=2, overflow="fold")
    if con.width >= 120:  # the version is for maintainers: shown when there is room
        table.add_column(word("fw_version", lang), no_wrap=True)
    for fw in fws:
        cells = [fw.id, fw.title(lang), fw.province, str(fw.year), decision_text(fw, lang)]
        if con.width >= 120:
            cells.append(fw.version)
        table.add_row(*cells)
    con.print(table)
    return buf.getvalue()


def show_framework(fw: Framework, node_id: str | None, lang: str, metrics: Mapping[str, Metric] | None = None,
                   verbose: bool = False) -> str:
    """The tree, or one node, with what each leaf requires and where that comes from.

    `verbose` adds what maintainers need: the rule kind, the metric ids and the full provenance note."""
    metrics = metrics or {}
    nodes = [fw.get(node_id)] if node_id else list(fw.nodes())
    lines = [] if node_id else [f"{fw.id} — {fw.title(lang)} · {decision_text(fw, lang)}", *_manifest_strengths(fw, lang)]
    for node in nodes:
        pad = "  " * len(node.parents)
        lines.append(f"{pad}{node.id} {node.title(lang)} [{display(node.max_points, fw.decimals, lang)}]")
        strength = node_strength(node)
        if strength:
            lines.append(f"{pad}  " + word("strength_line", lang, points=word(f"strength_{strength['points']}", lang),
                                           requirement=word(f"strength_{strength['requirement']}", lang)))
        if isinstance(node, Leaf):
            lines.append(f"{pad}  {word('requires', lang)}: {node.requirement()(lang)}")
            lines.append(f"{pad}  {word('evidence', lang)}: {node.evidence(lang)}")
            lines.append(f"{pad}  {word('source_decision', lang)}: "
                         f"{citation(node.source['requirement'], fw.decision['number'], node.id, lang)}")
            if node_id:
                titles = ", ".join(metrics[m.name].title(lang) if m.name in metrics else m.name
                                   for m in node.view.metrics.values()) or "—"
                lines.append(f"{pad}  {word('metrics', lang)}: {titles}")
                for m in node.view.metrics.values():
                    if m.name in metrics and metrics[m.name].when_empty_source:  # only ratios say what 0/0 means
                        why = f" ({metrics[m.name].when_empty_source})" if verbose else ""  # the reason is a citation
                        lines.append(f"{pad}  {word('when_empty_' + metrics[m.name].when_empty, lang)}{why}")
            if verbose:
                lines.append(f"{pad}  {word('source', lang)}: {node.source['requirement']} · {node.source['points']}")
                ids = ", ".join(m.name for m in node.view.metrics.values()) or "—"
                lines.append(f"{pad}  {word('rule_kind', lang)}: {node.kind}; {ids}")
    return "\n".join(lines)


def _manifest_strengths(fw: Framework, lang: str) -> list[str]:
    """The source strength of the manifest's own figures (blocks, classes) and the count of every mark, if any."""
    counts = strength_marks(fw)
    if not any(counts.values()):
        return []
    lines = [f"  {b.title(lang)} [{display(b.max_points, fw.decimals, lang)}]: "
             + word("strength_of", lang, strength=word(f"strength_{b.strength}", lang)) for b in fw.blocks if b.strength]
    lines += [f"  {c.code} ≥ {display(c.min_index, fw.decimals, lang)}: "
              + word("strength_of", lang, strength=word(f"strength_{c.strength}", lang)) for c in fw.classification if c.strength]
    shown = " · ".join(f"{word('strength_' + s, lang)} {counts[s]}" for s in STRENGTHS)
    return [*lines, "  " + word("strength_counts", lang, counts=shown)]


def show_trace(fw: Framework, trace: Trace, node_id: str | None, lang: str) -> str:
    """Each item of the source document and the leaves that encode it (only those naming `node_id` when given)."""
    lines = [word("trace_header", lang, framework=fw.id, document=trace.document)]
    for it in trace.items:
        if node_id and not any(leaf == node_id or leaf.startswith(node_id + ".") for leaf in it.leaves):
            continue
        target = ", ".join(it.leaves) if it.leaves else f"{word('trace_not_encoded', lang)}: {it.not_encoded}"
        lines.append(f"{it.item} [{trace.source_file}:{it.line}] «{it.quote}» → {target}")
        if it.reading:
            lines.append(f"    {word('trace_reading', lang)}: {it.reading}")
    lines.append(word("trace_counts", lang, **trace.counts()))
    return "\n".join(lines)
