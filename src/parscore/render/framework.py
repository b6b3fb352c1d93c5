"""Frameworks as a person reads them: the list parscore holds, and what one requires."""
from __future__ import annotations

from typing import Sequence

from rich.table import Table

from parscore.core.messages import word
from parscore.core.numbers import display
from parscore.criteria.framework import Framework, Leaf
from parscore.criteria.trace import Trace
from parscore.render.terminal import console


def frameworks_table(fws: Sequence[Framework], lang: str) -> str:
    con, buf = console()
    table = Table()
    for head in ("fw_id", "fw_version", "fw_province", "fw_year", "fw_decision", "fw_title"):
        table.add_column(word(head, lang))
    for fw in fws:
        table.add_row(fw.id, fw.version, fw.province, str(fw.year),
                      f"{fw.decision['number']} ({fw.decision['status']})", fw.title(lang))
    con.print(table)
    return buf.getvalue()


def show_framework(fw: Framework, node_id: str | None, lang: str) -> str:
    nodes = [fw.get(node_id)] if node_id else list(fw.nodes())
    lines = [] if node_id else [f"{fw.id} — {fw.title(lang)} · {fw.decision['number']} ({fw.decision['status']})"]
    for node in nodes:
        pad = "  " * len(node.parents)
        lines.append(f"{pad}{node.id} {node.title(lang)} [{display(node.max_points, fw.decimals, lang)}]")
        if isinstance(node, Leaf):
            lines.append(f"{pad}  {word('requires', lang)}: {node.requirement()(lang)}")
            lines.append(f"{pad}  {word('evidence', lang)}: {node.evidence(lang)}")
            lines.append(f"{pad}  {word('source', lang)}: {node.source['requirement']} · {node.source['points']}")
            if node_id:
                metrics = ", ".join(m.name for m in node.view.metrics.values()) or "—"
                lines.append(f"{pad}  {word('rule_kind', lang)}: {node.kind}; {word('metrics', lang)}: {metrics}")
    return "\n".join(lines)


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
