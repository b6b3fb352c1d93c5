"""Baseline and scenarios side by side."""
from __future__ import annotations

from typing import Any

from rich.table import Table

from parscore.core.messages import word
from parscore.core.numbers import display
from parscore.core.portal import document, dumps, portal
from parscore.render.terminal import console
from parscore.scoring.result import to_dict


def _delta(after: Any, before: Any, lang: str) -> str:
    d = after - before
    return "" if d == 0 else (" (+" if d > 0 else " (") + display(d, 2, lang) + ")"


def whatif_table(w: Any, lang: str) -> str:
    con, buf = console(160)
    base = w.baseline
    table = Table(title=f"{base.framework['title'](lang)} — {base.subject.get('commune', '')}")
    table.add_column(word("id", lang))
    table.add_column(word("criterion", lang))
    table.add_column("Hiện tại" if lang == "vi" else "Baseline", justify="right")
    for sc, _, _ in w.runs:
        table.add_column(sc.name, justify="right")
    results = [r for _, r, _ in w.runs]
    for leaf in base.leaves:
        others = [r.leaf(leaf.id) for r in results]
        if all(o.points == leaf.points for o in others) and leaf.points_lost == 0:
            continue  # unchanged leaves at full points: not worth a row
        table.add_row(leaf.id, leaf.title(lang), display(leaf.points, 2, lang),
                      *[display(o.points, 2, lang) + _delta(o.points, leaf.points, lang) for o in others])
    def idx(r: Any) -> str:
        return display(r.total.index, 2, lang) + "%" if r.total.index is not None else "—"
    table.add_row("", word("total", lang), display(base.total.points, 2, lang),
                  *[display(r.total.points, 2, lang) + _delta(r.total.points, base.total.points, lang) for r in results], style="bold")
    table.add_row("", word("index", lang), idx(base), *[idx(r) + (_delta(r.total.index, base.total.index, lang) if r.total.index is not None and base.total.index is not None else "") for r in results], style="bold")
    table.add_row("", word("class", lang), base.total.classification.label(lang),
                  *[r.total.classification.label(lang) + ("" if r.total.classification.code == base.total.classification.code else " ←") for r in results], style="bold")
    con.print(table)
    for sc, _, notes in w.runs:
        for n in notes:
            con.print(f"⚠ {sc.name}: {n(lang)}")
    return buf.getvalue()


def whatif_json(w: Any) -> str:
    """One result per scenario (its result, its changes from the baseline); the baseline beside them."""
    base = w.baseline
    d = base.decimals
    runs = []
    for sc, r, notes in w.runs:
        deltas = {leaf.id: r.leaf(leaf.id).points - leaf.points for leaf in base.leaves if r.leaf(leaf.id).points != leaf.points}
        runs.append({"scenario": sc.name, "file": sc.file, "result": to_dict(r), "leaf_deltas": portal(deltas, d),
                     **portal({"total_delta": r.total.points - base.total.points,
                               "index_delta": r.total.index - base.total.index
                               if r.total.index is not None and base.total.index is not None else None}, d),
                     "class_before": base.total.classification.code, "class_after": r.total.classification.code,
                     "notes": [n.to_json() for n in notes]})
    return dumps(document("whatif", runs, baseline=to_dict(base)))
