"""`penalty`: points deducted per occurrence, capped, outside the applicable maximum."""
from __future__ import annotations

from fractions import Fraction
from typing import Any, Callable, Mapping

import numpy as np

from parscore.kinds.base import AdjustmentParams as Params
from parscore.kinds.base import capped as _capped
from parscore.kinds.base import (BY_POINTS, Kind, LeafView, Outcome, absent_status, col, register,
                                 short)
from parscore.core.numbers import fraction
from parscore.core.text import Text


@register
class Penalty(Kind):
    name = "penalty"
    metric_params = {"metric": ("count",)}
    adjustment = True
    monotone = False  # more occurrences lower the points
    clauses = ("none", "deducted", "at_cap")
    fields = ("count", "per_occurrence", "cap", "points", "deducted", "metric_title")
    templates = {
        "none": Text("{metric_title}: không có trường hợp nào → không bị trừ điểm.",
                     "{metric_title}: none → no deduction."),
        "deducted": Text("{metric_title}: {count} lần × {per_occurrence} → trừ {deducted} điểm.",
                         "{metric_title}: {count} × {per_occurrence} → {deducted} points deducted."),
        "at_cap": Text("{metric_title}: {count} lần → trừ {deducted} điểm (mức trừ tối đa).",
                       "{metric_title}: {count} occurrences → {deducted} points deducted (the maximum deduction)."),
    }

    def prepare(self, raw: Mapping[str, Any], max_points: Fraction, units: Mapping[str, str],
                report: Callable[..., None]) -> Params:
        if max_points != 0:
            report("points_over_max", ("max_points",), value=str(max_points), max="0")
        return Params(raw["metric"], fraction(raw["per_occurrence"]), fraction(raw["cap"]))

    def evaluate(self, leaf: LeafView, cols: Mapping[str, np.ndarray], n: int) -> Outcome:
        p: Params = leaf.params
        count = cols[col(p.metric, "n")]
        pts, den = _capped(count, p.per_occurrence, p.cap)
        at_cap = pts >= p.cap.numerator * p.per_occurrence.denominator
        clause = np.where(count == 0, 0, np.where(at_cap, 2, 1)).astype(np.int16)
        status = absent_status(cols[col(p.metric, "state")], np.full(n, BY_POINTS, dtype=np.int8))
        pts = np.where(status == BY_POINTS, -pts, 0)
        return Outcome(pts, np.full(n, den, dtype=np.int64), status, clause)

    def facts(self, leaf: LeafView, row: Mapping[str, Any]) -> dict[str, Any]:
        p: Params = leaf.params
        m = leaf.metrics["metric"]
        count = int(row[col(m.name, "n")])
        return {"metric": m.name, "metric_title": m.title, "state": int(row[col(m.name, "state")]), "count": count,
                "per_occurrence": p.per_occurrence, "cap": p.cap, "deducted": min(count * p.per_occurrence, p.cap)}

    def requirement(self, leaf: LeafView) -> Text:
        p: Params = leaf.params
        m = leaf.metrics["metric"]
        return Text(f"{m.title.vi} — trừ {short(p.per_occurrence, 'vi')} điểm mỗi lần, tối đa {short(p.cap, 'vi')}",
                    f"{m.title.en} — −{short(p.per_occurrence, 'en')} points each, at most {short(p.cap, 'en')}")
