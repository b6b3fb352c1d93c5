"""Batch rankings, sensitivity levers and sweep tables as terminal tables, CSV, JSON or Excel."""
from __future__ import annotations

import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
from rich.table import Table

from parscore.core.messages import word
from parscore.core.numbers import display, exact_text, fraction, grouped
from parscore.metrics.catalogue import Metric
from parscore.render.terminal import console
from parscore.render.text import counted


def _pct(v: Any, lang: str) -> str:
    return "—" if v is None else display(v, 2, lang) + "%"


def ranking_frame(r: Any) -> pd.DataFrame:
    rows = []
    for e in r.entries:
        row = {"rank": e.rank, "commune": e.commune, "province": e.province, "bundle": e.bundle,
               "index": None if e.index is None else display(e.index, 6), "classification": e.classification,
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


def batch_json(r: Any) -> str:
    data = {"framework": r.framework.id, "scenario": r.scenario,
            "ranking": [{"rank": e.rank, "commune": e.commune, "province": e.province, "bundle": e.bundle,
                         "index": None if e.index is None else exact_text(e.index), "classification": e.classification,
                         "points": exact_text(e.points), "max_points": exact_text(e.max_points),
                         **({"after_index": None if e.after_index is None else exact_text(e.after_index), "after_rank": e.after_rank,
                             "after_classification": e.after_class} if r.scenario else {})} for e in r.entries],
            "distribution": r.distribution,
            "most_lost": [{"leaf": leaf, "communes": n, "points_lost": exact_text(total)} for leaf, n, total in r.most_lost],
            "errors": [{"bundle": b, "error": e} for b, e in r.errors]}
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def batch_bytes(r: Any, out: str) -> bytes:
    """The ranking as CSV, everything as JSON, or an Excel workbook (a sheet each), by the file's suffix."""
    suffix = Path(out).suffix.lower()
    if suffix == ".csv":
        return ranking_frame(r).to_csv(index=False).encode("utf-8")
    if suffix == ".json":
        return batch_json(r).encode("utf-8")
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        ranking_frame(r).to_excel(xl, sheet_name="ranking", index=False)
        pd.DataFrame([{"classification": k, "communes": v} for k, v in r.distribution.items()]).to_excel(
            xl, sheet_name="distribution", index=False)
        pd.DataFrame([{"leaf": leaf, "title": r.framework.get(leaf).title("vi"), "communes": n, "points_lost": display(t, 6)}
                      for leaf, n, t in r.most_lost]).to_excel(xl, sheet_name="most_lost", index=False)
        pd.DataFrame([{"bundle": b, "error": e} for b, e in r.errors], columns=["bundle", "error"]).to_excel(
            xl, sheet_name="errors", index=False)
    return buf.getvalue()


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
        return table.to_json(orient="records", force_ascii=False, indent=1) + "\n"
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


def levers_json(lv: list[Any]) -> str:
    return json.dumps([{"metric": x.metric, "leaves": list(x.leaves), "unit": x.unit, "per_unit": exact_text(x.per_unit),
                        "threshold_amount": None if x.threshold_amount is None else exact_text(x.threshold_amount),
                        "threshold_gain": None if x.threshold_gain is None else exact_text(x.threshold_gain),
                        "best_per_unit": exact_text(x.best_per_unit)} for x in lv], ensure_ascii=False, indent=2) + "\n"
