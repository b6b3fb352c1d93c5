"""Batch rankings, sensitivity levers and sweep tables as terminal tables, CSV, JSON or Excel."""
from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pandas as pd
from rich.table import Table

from parscore.core.messages import word
from parscore.core.numbers import display, exact_text
from parscore.render.terminal import console


def _pct(v: Any, lang: str) -> str:
    return "—" if v is None else display(v, 2, lang) + "%"


# A spreadsheet runs a cell that starts with one of these as a formula ("=HYPERLINK(…)" in a commune's
# name would run when the ranking is opened); text cells of exports get a leading apostrophe (OWASP advice).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def cell_text(value: Any) -> Any:
    """A text cell made inert for spreadsheets; other values unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


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
        pd.DataFrame([{"classification": cell_text(k), "communes": v} for k, v in r.distribution.items()]).to_excel(
            xl, sheet_name="distribution", index=False)
        pd.DataFrame([{"leaf": cell_text(leaf), "title": cell_text(r.framework.get(leaf).title("vi")), "communes": n,
                       "points_lost": display(t, 6)}
                      for leaf, n, t in r.most_lost]).to_excel(xl, sheet_name="most_lost", index=False)
        pd.DataFrame([{"bundle": cell_text(b), "error": cell_text(e)} for b, e in r.errors], columns=["bundle", "error"]).to_excel(
            xl, sheet_name="errors", index=False)
    return buf.getvalue()


def batch_summary_line(r: Any, out: str, lang: str) -> str:
    return word("batch_written", lang, out=out, ranked=len(r.entries), skipped=len(r.errors))


def sweep_text(table: pd.DataFrame, out: str | None) -> str:
    if out and out.lower().endswith(".json"):
        return table.to_json(orient="records", force_ascii=False, indent=1) + "\n"
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


def levers_json(lv: list[Any]) -> str:
    return json.dumps([{"metric": x.metric, "leaves": list(x.leaves), "unit": x.unit, "per_unit": exact_text(x.per_unit),
                        "threshold_amount": None if x.threshold_amount is None else exact_text(x.threshold_amount),
                        "threshold_gain": None if x.threshold_gain is None else exact_text(x.threshold_gain),
                        "best_per_unit": exact_text(x.best_per_unit)} for x in lv], ensure_ascii=False, indent=2) + "\n"
