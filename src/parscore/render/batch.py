"""Batch rankings, sensitivity levers and sweep tables as terminal tables, CSV, JSON or Excel."""
from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
from rich.table import Table

from parscore.core.messages import word
from parscore.core.numbers import display, fraction, grouped
from parscore.core.portal import document, dumps, portal
from parscore.metrics.catalogue import Metric
from parscore.render.cells import cell_text
from parscore.render.ranking import ranking_html, ranking_xlsx
from parscore.render.terminal import console
from parscore.render.text import counted


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
    con, buf = console()
    t = Table(title=word("batch_title", lang, framework=r.framework.title(lang), communes=counted(len(r.entries), "commune", lang)))
    t.add_column(word("batch_rank", lang), justify="right", no_wrap=True)
    t.add_column(word("batch_commune", lang), overflow="fold")
    t.add_column(word("index", lang), justify="right", no_wrap=True)
    t.add_column(word("class", lang), overflow="fold")
    if r.scenario:
        t.add_column(word("batch_after", lang), justify="right", no_wrap=True)
        t.add_column(word("batch_new_rank", lang), justify="right", no_wrap=True)
    labels = {b.code: b.label(lang) for b in r.framework.classification}
    for e in r.entries:
        row = [str(e.rank), e.commune, _pct(e.index, lang), labels.get(e.classification, "—")]
        if r.scenario:
            change = (e.rank - e.after_rank) if e.after_rank else 0
            row += [_pct(e.after_index, lang), f"{e.after_rank} ({'+' if change > 0 else ''}{change})" if change else str(e.after_rank)]
        t.add_row(*row)
    con.print(t)
    con.print(f"{word('batch_by_class', lang)}: " + ", ".join(f"{labels.get(k, k)} {v}" for k, v in r.distribution.items()))
    if r.most_lost:
        con.print(f"{word('batch_most_lost', lang)}:")
        for leaf_id, n, total in r.most_lost[:10]:
            title = r.framework.get(leaf_id).title(lang)
            lost = word("n_points", lang, n=display(total, 2, lang))
            con.print(f"  {leaf_id} {title}: " + word("batch_lost_line", lang, communes=counted(n, "commune", lang), points=lost))
    if r.errors:
        con.print(word("batch_skipped", lang, bundles=counted(len(r.errors), "bundle", lang)), style="red")
        for bundle, err in r.errors:
            con.print(f"  ✗ {bundle}: {err}", style="red")
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


def sweep_table(table: pd.DataFrame, lang: str, metrics: Mapping[str, Metric], classes: Mapping[str, str]) -> str:
    """The grid for a person: metrics by title, numbers the Vietnamese way, classes by label."""
    con, buf = console()
    t = Table()
    axes = [c for c in table.columns if c not in ("points", "index", "classification")]
    for c in axes:
        t.add_column(metrics[c].title(lang) if c in metrics else str(c), justify="right", overflow="fold")
    t.add_column(word("points", lang), justify="right", no_wrap=True)
    t.add_column(word("index", lang), justify="right", no_wrap=True)
    t.add_column(word("class", lang), overflow="fold")
    for row in table.itertuples(index=False):
        values = row._asdict() if hasattr(row, "_asdict") else dict(zip(table.columns, row))
        cells = [display(fraction(str(values[c])), 2, lang).rstrip("0").rstrip(",.") if values[c] is not None else "—" for c in axes]
        cells += [display(fraction(str(values["points"])), 2, lang), _pct(fraction(str(values["index"])), lang),
                  classes.get(str(values["classification"]), str(values["classification"]))]
        t.add_row(*cells)
    con.print(t)
    return buf.getvalue()


def sweep_text(table: pd.DataFrame, out: str | None) -> str:
    if out and out.lower().endswith(".json"):
        # Grid points are floats already (the sweep is vectorised); they are kept to 6 decimals.
        rows = [{k: (None if math.isnan(v) else round(float(v), 6)) if isinstance(v, float) else (v.item() if hasattr(v, "item") else v)
                 for k, v in row.items()} for row in table.to_dict(orient="records")]
        return dumps(document("sweep", rows))
    return table.to_csv(index=False)


def levers_table(lv: list[Any], baseline: Any, lang: str, metrics: Mapping[str, Metric] | None = None) -> str:
    """The metrics that move the score most, named by their titles."""
    metrics = metrics or {}
    con, buf = console()
    t = Table(title=word("lev_title", lang))
    t.add_column(word("lev_metric", lang), ratio=3, overflow="fold")
    t.add_column(word("lev_leaves", lang), overflow="fold")
    t.add_column(word("lev_plus_one", lang), justify="right", no_wrap=True)
    t.add_column(word("lev_nearest", lang), ratio=2, overflow="fold")
    t.add_column(word("lev_per_unit", lang), justify="right", no_wrap=True)
    for x in lv:
        name = metrics[x.metric].title(lang) if x.metric in metrics else x.metric
        near = "—" if x.threshold_amount is None else \
            f"{_amount(x.threshold_amount, x.unit, lang)} → +{display(x.threshold_gain, 2, lang)}"
        t.add_row(name, ", ".join(x.leaves), "+" + display(x.per_unit, 4, lang), near, display(x.best_per_unit, 4, lang))
    con.print(t)
    return buf.getvalue()


def _amount(amount: Any, unit: str, lang: str) -> str:
    """"3 bản ghi", "1 record", "0,8 điểm %": the amount with its unit, in the right number."""
    whole = fraction(amount).denominator == 1
    number = grouped(int(amount), lang) if whole else display(amount, 2, lang).rstrip("0").rstrip(",.")
    if unit == "percent":
        return f"{number} {word('unit_percent', lang)}"
    noun = {"records": "record", "events": "event"}.get(unit)
    if noun is None:
        return f"{number} {unit}"
    return word(f"n_{noun}" if amount == 1 else f"n_{noun}s", lang, n=number)


def levers_json(lv: list[Any], decimals: int = 4) -> str:
    """Levers as portal JSON; points per unit are small, so they keep 4 decimals (exact values under `exact`)."""
    return dumps(document("sensitivity", portal([{
        "metric": x.metric, "leaves": list(x.leaves), "unit": x.unit, "per_unit": x.per_unit,
        "threshold_amount": x.threshold_amount, "threshold_gain": x.threshold_gain,
        "best_per_unit": x.best_per_unit} for x in lv], decimals)))
