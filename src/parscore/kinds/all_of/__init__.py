"""`all_of`: a ratio that must reach 100 % (e.g. late dossiers that have an apology letter)."""
from __future__ import annotations

from fractions import Fraction
from typing import Any, Mapping

import numpy as np

from parscore.kinds.base import (BY_POINTS, Kind, LeafView, Outcome, Recovery, absent_status, ratio_facts, ratio_state,
                                 register)
from parscore.core.text import Text


@register
class AllOf(Kind):
    name = "all_of"
    clauses = ("all", "not_all")
    fields = ("rate", "numerator", "denominator", "missing", "points", "max", "counts", "good", "metric_title")
    templates = {
        "all": Text("{metric_title}: {numerator}/{denominator} {counts} {good} (100%) → đủ {max} điểm.",
                    "{metric_title}: {numerator}/{denominator} {counts} {good} (100%) → full {max} points."),
        "not_all": Text("{metric_title}: chỉ {numerator}/{denominator} {counts} {good} ({rate}); còn {missing} chưa đạt → 0 điểm.",
                        "{metric_title}: only {numerator}/{denominator} {counts} {good} ({rate}); {missing} short → 0 points."),
        "all_reported": Text("{metric_title}: {rate} (số báo cáo) → đủ {max} điểm.",
                             "{metric_title}: {rate} (reported) → full {max} points."),
        "not_all_reported": Text("{metric_title}: {rate} (số báo cáo), chưa đạt 100% → 0 điểm.",
                                 "{metric_title}: {rate} (reported), short of 100% → 0 points."),
        "not_applicable": Text("{metric_title}: không phát sinh trường hợp nào trong kỳ.",
                               "{metric_title}: no case arose in the period."),
    }

    def evaluate(self, leaf: LeafView, cols: Mapping[str, np.ndarray], n: int) -> Outcome:
        num, den, state = ratio_state(leaf, cols)
        ok = (num == den) & (den > 0)
        mx = leaf.max_points
        status = absent_status(state, np.full(n, BY_POINTS, dtype=np.int8), den == 0)
        return Outcome(np.where(ok, mx.numerator, 0).astype(np.int64), np.full(n, mx.denominator, dtype=np.int64),
                       status, np.where(ok, 0, 1).astype(np.int16))

    def facts(self, leaf: LeafView, row: Mapping[str, Any]) -> dict[str, Any]:
        facts = ratio_facts(leaf, row)
        if "denominator" in facts:
            facts["missing"] = facts["denominator"] - facts["numerator"]
        return facts

    def requirement(self, leaf: LeafView) -> Text:
        m = leaf.metrics["metric"]
        return Text(f"{m.title.vi} — phải đạt 100%; không phát sinh: không áp dụng",
                    f"{m.title.en} — must reach 100%; none arose: not applicable")

    def to_recover(self, leaf: LeafView, facts: Mapping[str, Any], points: Fraction) -> Recovery | None:
        if facts.get("state") != 0 or points >= leaf.max_points or not facts.get("denominator"):
            return None
        unit = "records" if facts.get("counted") else "percent"
        amount = Fraction(facts["missing"]) if facts.get("counted") else 100 - facts["rate"]
        return Recovery("more_good", leaf.metrics["metric"].name, amount, unit, leaf.max_points - points, leaf.max_points)
