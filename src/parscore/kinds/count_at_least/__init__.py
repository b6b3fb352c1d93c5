"""`count_at_least`: at least N events (recognised initiatives, dialogues held)."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, Mapping

import numpy as np

from parscore.kinds.base import BY_POINTS, Kind, LeafView, Outcome, Recovery, absent_status, col, register
from parscore.core.text import Text


@dataclass(frozen=True)
class Params:
    metric: str
    at_least: int


@register
class CountAtLeast(Kind):
    name = "count_at_least"
    metric_params = {"metric": ("count",)}
    clauses = ("met", "not_met")
    fields = ("count", "at_least", "points", "max", "metric_title")
    templates = {
        "met": Text("{metric_title}: {count} (yêu cầu tối thiểu {at_least}) → đủ {max} điểm.",
                    "{metric_title}: {count} (at least {at_least} required) → full {max} points."),
        "not_met": Text("{metric_title}: {count}, chưa đạt tối thiểu {at_least} → 0 điểm.",
                        "{metric_title}: {count}, short of the required {at_least} → 0 points."),
    }

    def prepare(self, raw: Mapping[str, Any], max_points: Fraction, units: Mapping[str, str],
                report: Callable[..., None]) -> Params:
        return Params(raw["metric"], int(raw["at_least"]))

    def evaluate(self, leaf: LeafView, cols: Mapping[str, np.ndarray], n: int) -> Outcome:
        p: Params = leaf.params
        count = cols[col(p.metric, "n")]
        ok = count >= p.at_least
        mx = leaf.max_points
        status = absent_status(cols[col(p.metric, "state")], np.full(n, BY_POINTS, dtype=np.int8))
        return Outcome(np.where(ok, mx.numerator, 0).astype(np.int64), np.full(n, mx.denominator, dtype=np.int64),
                       status, np.where(ok, 0, 1).astype(np.int16))

    def facts(self, leaf: LeafView, row: Mapping[str, Any]) -> dict[str, Any]:
        p: Params = leaf.params
        m = leaf.metrics["metric"]
        return {"metric": m.name, "metric_title": m.title, "state": int(row[col(m.name, "state")]),
                "count": int(row[col(m.name, "n")]), "at_least": p.at_least}

    def requirement(self, leaf: LeafView) -> Text:
        p: Params = leaf.params
        m = leaf.metrics["metric"]
        return Text(f"{m.title.vi} — tối thiểu {p.at_least}", f"{m.title.en} — at least {p.at_least}")

    def to_recover(self, leaf: LeafView, facts: Mapping[str, Any], points: Fraction) -> Recovery | None:
        if facts.get("state") != 0 or points >= leaf.max_points:
            return None
        p: Params = leaf.params
        return Recovery("more_events", p.metric, Fraction(p.at_least - facts["count"]), "events",
                        leaf.max_points - points, leaf.max_points)
