"""Batch rankings, sensitivity levers and sweep tables as terminal tables, CSV, JSON or Excel."""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd
from rich.table import Table

from parscore.core.messages import word
from parscore.render.cells import cell_text
from parscore.core.numbers import display
from parscore.core.portal import document, dumps, portal
from parscore.render.ranking import ranking_html, ranking_xlsx
from parscore.render.terminal import console


def _pct(v: Any, lang: str) -> str:
    return "—" if v is None else display(v, 2, lang) + "%"


def ranking_frame(r: Any) -> pd.DataFrame:
    rows = []
    for e in r.entries:
        row = {"rank": e.rank, "commune": cell_text(e.commune), "province": cell_text(e.province), "bundle": cell_text(e.bundle),
               "index": None if e.index is None else display(e.index, 6), "classification": cell_text(e.classification),
               "points": display(e.points, 6), "max_points": display(e.max_points, 6)}
        if r.scenario:
            row.update(after_index=None if e.after_index is None else display(e.after_index, 6), after_rank=e.after_rank,
                       rank_change=(e.rank - e.after_rank) if e.after_rank else None, after_classification=e.after_class)
        rows.append(row)
    return pd.DataFrame(rows)


def batch_table(r: Any, lang: str) -> str:
    con, buf = console(150)
    vi = lang == "vi"
    t = Table(title=f"{r.framework.title(lang)} — {len(r.entries)} {'xã' if vi else 'communes'}")
    heads = ["Hạng" if vi else "Rank", "Xã" if vi else "Commune", "Chỉ số" if vi else "Index", "Xếp loại" if vi else "Class"]
    if r.scenario:
        heads += ["Sau kịch bản" if vi else "After scenario", "Hạng mới" if vi else "New rank"]
    for h in heads:
        t.add_column(h)
    labels = {b.code: b.label(lang) for b in r.framework.classification}
    for e in r.entries:
        row = [str(e.rank), e.commune, _pct(e.index, lang), labels.get(e.classification, "—")]
        if r.scenario:
            change = (e.rank - e.after_rank) if e.after_rank else 0
            row += [_pct(e.after_index, lang), f"{e.after_rank} ({'+' if change > 0 else ''}{change})" if change else str(e.after_rank)]
        t.add_row(*row)
    con.print(t)
    con.print(("Phân bố theo xếp loại: " if vi else "By class: ") + ", ".join(f"{labels.get(k, k)} {v}" for k, v in r.distribution.items()))
    if r.most_lost:
        con.print("Điểm hay bị mất nhất:" if vi else "Points most often lost:")
        for leaf_id, n, total in r.most_lost[:10]:
            title = r.framework.get(leaf_id).title(lang)
            con.print(f"  {leaf_id} {title}: {n} {'xã' if vi else 'communes'}, {display(total, 2, lang)} {'điểm' if vi else 'points'}")
    for bundle, err in r.errors:
        con.print(f"✗ {bundle}: {err}")
    return buf.getvalue()


def batch_data(r: Any) -> dict[str, Any]:
    """The batch as portal JSON data: one result per ranked bundle (see `parscore.core.portal`)."""
    d = r.framework.decimals
    fw = r.framework
    rows = []
    for e in r.entries:
        row: dict[str, Any] = {"rank": e.rank, "commune": e.commune, "province": e.province, "bundle": e.bundle,
                               "index": e.index, "classification": e.classification, "points": e.points,
                               "max_points": e.max_points}
        if r.scenario:
            row |= {"after_index": e.after_index, "after_rank": e.after_rank, "after_classification": e.after_class}
        row |= {"fields": [{"id": f, "points": p, "max_points": m} for f, p, m in e.fields],
                "period": {"start": e.period[0], "end": e.period[1]}, "frameworks": list(e.frameworks)}
        rows.append(row)
    return document("batch", portal(rows, d), framework={"id": fw.id, "version": fw.version, "title": fw.title.to_json()},
                    scenario=r.scenario, distribution=r.distribution,
                    most_lost=portal([{"leaf": leaf, "communes": n, "points_lost": total} for leaf, n, total in r.most_lost], d),
                    skipped=[{"bundle": b, "error": e} for b, e in r.errors],
                    mixed=[{"bundle": b, "reason": code, "detail": detail, "ranked": ranked} for b, code, detail, ranked in r.mixed])


def batch_json(r: Any) -> str:
    return dumps(batch_data(r))


def batch_bytes(r: Any, out: str, lang: str = "vi") -> bytes:
    """The ranking as CSV, everything as JSON, a page (.html) or a workbook (a sheet each), by the file's suffix."""
    suffix = Path(out).suffix.lower()
    if suffix == ".csv":
        return ranking_frame(r).to_csv(index=False).encode("utf-8")
    if suffix == ".json":
        return batch_json(r).encode("utf-8")
    if suffix in (".html", ".htm"):
        return ranking_html(r, lang).encode("utf-8")
    return ranking_xlsx(r, lang)


def mixed_lines(r: Any, lang: str) -> list[str]:
    """One line per bundle of another period or framework: what differs, and whether it was ranked."""
    return [f"⚠ {b}: {word(code, lang, detail=detail)} — {word('batch_mixed_ranked' if ranked else 'batch_mixed_skipped', lang)}"
            for b, code, detail, ranked in r.mixed]


def batch_summary_line(r: Any, out: str, lang: str) -> str:
    return word("batch_written", lang, out=out, ranked=len(r.entries), skipped=len(r.errors))


def sweep_text(table: pd.DataFrame, out: str | None) -> str:
    if out and out.lower().endswith(".json"):
        # Grid points are floats already (the sweep is vectorised); they are kept to 6 decimals.
        rows = [{k: (None if math.isnan(v) else round(float(v), 6)) if isinstance(v, float) else (v.item() if hasattr(v, "item") else v)
                 for k, v in row.items()} for row in table.to_dict(orient="records")]
        return dumps(document("sweep", rows))
    return table.to_csv(index=False)


def levers_table(lv: list[Any], baseline: Any, lang: str) -> str:
    con, buf = console(150)
    vi = lang == "vi"
    t = Table(title=("Đòn bẩy cải thiện (điểm trên một đơn vị)" if vi else "Top levers (points per unit of improvement)"))
    for h in (("Chỉ số", "Metric"), ("Tiêu chí", "Leaves"), ("Đơn vị", "Unit"), ("+1 đơn vị", "+1 unit"), ("Ngưỡng gần nhất", "Nearest threshold"), ("Điểm/đơn vị", "Points/unit")):
        t.add_column(h[0] if vi else h[1])
    unit_words = {"records": ("bản ghi", "record"), "percent": ("điểm %", "pct point"), "events": ("lần", "event")}
    for x in lv:
        uw = unit_words[x.unit][0 if vi else 1]
        near = "—" if x.threshold_amount is None else f"{display(x.threshold_amount, 2, lang).rstrip('0').rstrip(',.')} {uw} → +{display(x.threshold_gain, 2, lang)}"
        t.add_row(x.metric, ", ".join(x.leaves), uw, "+" + display(x.per_unit, 4, lang), near, display(x.best_per_unit, 4, lang))
    con.print(t)
    return buf.getvalue()


def levers_json(lv: list[Any], decimals: int = 4) -> str:
    """Levers as portal JSON; points per unit are small, so they keep 4 decimals (exact values under `exact`)."""
    return dumps(document("sensitivity", portal([{
        "metric": x.metric, "leaves": list(x.leaves), "unit": x.unit, "per_unit": x.per_unit,
        "threshold_amount": x.threshold_amount, "threshold_gain": x.threshold_gain,
        "best_per_unit": x.best_per_unit} for x in lv], decimals)))
