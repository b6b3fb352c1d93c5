"""`bonus`: points per occurrence, capped, outside the applicable maximum."""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Callable, Mapping

import numpy as np

from parscore.kinds.base import AdjustmentParams as Params
from parscore.kinds.base import capped as _capped
from parscore.kinds.base import (BY_POINTS, Kind, LeafView, Outcome, Recovery, absent_status, col, register,
                                 short)
from parscore.core.numbers import fraction
from parscore.core.text import Text


@register
class Bonus(Kind):
    name = "bonus"
    metric_params = {"metric": ("count",)}
    adjustment = True
    clauses = ("below_cap", "at_cap")
    fields = ("count", "per_occurrence", "cap", "points", "metric_title")
    templates = {
        "below_cap": Text("{metric_title}: {count} lần × {per_occurrence} = +{points} điểm (tối đa {cap}).",
                          "{metric_title}: {count} × {per_occurrence} = +{points} points (cap {cap})."),
        "at_cap": Text("{metric_title}: {count} lần → +{points} điểm, đạt mức trần {cap}.",
                       "{metric_title}: {count} occurrences → +{points} points, at the cap {cap}."),
    }

    def prepare(self, raw: Mapping[str, Any], max_points: Fraction, units: Mapping[str, str],
                report: Callable[..., None]) -> Params:
        return Params(raw["metric"], fraction(raw["per_occurrence"]), max_points)

    def evaluate(self, leaf: LeafView, cols: Mapping[str, np.ndarray], n: int) -> Outcome:
        p: Params = leaf.params
        pts, den = _capped(cols[col(p.metric, "n")], p.per_occurrence, p.cap)
        at_cap = pts * p.cap.denominator * p.per_occurrence.denominator >= p.cap.numerator * den * p.per_occurrence.denominator
        status = absent_status(cols[col(p.metric, "state")], np.full(n, BY_POINTS, dtype=np.int8))
        pts = np.where(status == BY_POINTS, pts, 0)
        return Outcome(pts, np.full(n, den, dtype=np.int64), status, np.where(at_cap, 1, 0).astype(np.int16))

    def facts(self, leaf: LeafView, row: Mapping[str, Any]) -> dict[str, Any]:
        p: Params = leaf.params
        m = leaf.metrics["metric"]
        return {"metric": m.name, "metric_title": m.title, "state": int(row[col(m.name, "state")]),
                "count": int(row[col(m.name, "n")]), "per_occurrence": p.per_occurrence, "cap": p.cap}

    def requirement(self, leaf: LeafView) -> Text:
        p: Params = leaf.params
        m = leaf.metrics["metric"]
        return Text(f"{m.title.vi} — cộng {short(p.per_occurrence, 'vi')} điểm mỗi lần, tối đa {short(p.cap, 'vi')}",
                    f"{m.title.en} — +{short(p.per_occurrence, 'en')} points each, at most {short(p.cap, 'en')}")

    def to_recover(self, leaf: LeafView, facts: Mapping[str, Any], points: Fraction) -> Recovery | None:
        p: Params = leaf.params
        if facts.get("state") != 0 or points >= p.cap:
            return None
        k = math.ceil((p.cap - points) / p.per_occurrence)
        return Recovery("more_events", p.metric, Fraction(k), "events", p.cap - points, p.cap)


