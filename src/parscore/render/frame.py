"""Results as one pandas DataFrame: the analyst's door (`api.score_frame`), and problems as another (`api.validate_frame`).

One row per bundle × framework. Columns: bundle, commune, province, period_start,
period_end, framework, index, class, class_label, points, max_points, points_lost,
then `points:<id>` and `lost:<id>` for every field and every leaf (in document order).
Values are floats of the exact points (rounded only when displayed); an unearned bonus
is not a loss, so its `lost:` is 0.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from parscore.core.errors import InputError
from parscore.render.text import rows, shown_lost
from parscore.scoring.result import LeafResult, Result

PROBLEM_COLUMNS = ["path", "file", "row", "column", "value", "code", "message_vi", "message_en"]


def results_frame(results: Sequence[Result], lang: str = "vi") -> pd.DataFrame:
    records: list[dict[str, Any]] = []
    for r in results:
        t, subj = r.total, r.subject
        period = subj.get("period") or {}
        rec: dict[str, Any] = {
            "bundle": subj.get("bundle", ""), "commune": subj.get("commune", ""), "province": subj.get("province", ""),
            "period_start": str(period.get("start", "")), "period_end": str(period.get("end", "")),
            "framework": r.framework["id"], "index": None if t.index is None else float(t.index),
            "class": t.classification.code, "class_label": t.classification.label(lang),
            "points": float(t.points), "max_points": float(t.max_points), "points_lost": float(t.points_lost)}
        for depth, item in rows(r):
            if depth == 0 or isinstance(item, LeafResult):
                rec[f"points:{item.id}"] = float(item.points)
                rec[f"lost:{item.id}"] = float(shown_lost(r, item))
        records.append(rec)
    return pd.DataFrame.from_records(records)


def problems_frame(found: Sequence[tuple[str, Sequence[InputError]]]) -> pd.DataFrame:
    """(path, errors) pairs as one tidy table: one row per problem, located, in both languages."""
    out = []
    for path, errors in found:
        for e in errors:
            value = getattr(e, "value", None)
            out.append({"path": path, "file": e.file, "row": e.line, "column": e.where,
                        "value": None if value is None or type(value).__name__ == "object" else str(value),
                        "code": e.code, "message_vi": e.render("vi"), "message_en": e.render("en")})
    return pd.DataFrame(out, columns=PROBLEM_COLUMNS)
