"""`document`: a required document, optionally with a due date (on time full, late partial, missing zero)."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, Mapping

import numpy as np

from parscore.core import dates
from parscore.kinds.base import (ABSENT, BY_POINTS, Kind, LeafView, Outcome, Recovery, absent_status, col, register,
                                 short)
from parscore.core.numbers import fraction
from parscore.core.text import Text


@dataclass(frozen=True)
class Params:
    metric: str
    due: int | None  # day number
    late_points: Fraction
    document: Text | None


@register
class Document(Kind):
    name = "document"
    metric_params = {"metric": ("date",)}
    clauses = ("on_time", "late", "issued")
    fields = ("document", "issued_on", "due", "days_late", "points", "max", "metric_title")
    templates = {
        "on_time": Text("{document}: ban hành ngày {issued_on}, đúng hạn {due} → đủ {max} điểm.",
                        "{document}: issued {issued_on}, on time for {due} → full {max} points."),
        "late": Text("{document}: ban hành ngày {issued_on}, chậm {days_late} ngày so với hạn {due} → {points}/{max} điểm.",
                     "{document}: issued {issued_on}, {days_late} days after the due date {due} → {points}/{max} points."),
        "issued": Text("{document}: đã ban hành ngày {issued_on} → đủ {max} điểm.",
                       "{document}: issued on {issued_on} → full {max} points."),
        "missing_evidence": Text("Không có {document} trong minh chứng → 0 điểm.",
                                 "No {document} in the evidence → 0 points."),
    }

    def prepare(self, raw: Mapping[str, Any], max_points: Fraction, units: Mapping[str, str],
                report: Callable[..., None]) -> Params:
        late = fraction(raw.get("late_points", 0))
        if late > max_points:
            report("points_over_max", ("late_points",), value=str(late), max=str(max_points))
        due = dates.day(dates.parse_date(raw["due"])) if "due" in raw else None
        return Params(raw["metric"], due, late, Text.of(raw.get("document")))

    def evaluate(self, leaf: LeafView, cols: Mapping[str, np.ndarray], n: int) -> Outcome:
        p: Params = leaf.params
        m = leaf.metrics["metric"].name
        issued, state = cols[col(m, "day")], cols[col(m, "state")]
        mx = leaf.max_points
        den = mx.denominator * p.late_points.denominator
        full_n = mx.numerator * p.late_points.denominator
        late_n = p.late_points.numerator * mx.denominator
        if p.due is None:
            clause = np.full(n, 2, dtype=np.int16)
            pts = np.full(n, full_n, dtype=np.int64)
        else:
            on_time = issued <= p.due
            clause = np.where(on_time, 0, 1).astype(np.int16)
            pts = np.where(on_time, full_n, late_n).astype(np.int64)
        pts = np.where(state == ABSENT, 0, pts)
        status = absent_status(state, np.full(n, BY_POINTS, dtype=np.int8))
        return Outcome(pts, np.full(n, den, dtype=np.int64), status, clause)

    def _name(self, leaf: LeafView) -> Text:
        p: Params = leaf.params
        return p.document or leaf.metrics["metric"].title

    def facts(self, leaf: LeafView, row: Mapping[str, Any]) -> dict[str, Any]:
        p: Params = leaf.params
        m = leaf.metrics["metric"]
        state = int(row[col(m.name, "state")])
        facts: dict[str, Any] = {"metric": m.name, "metric_title": m.title, "state": state, "document": self._name(leaf)}
        if p.due is not None:
            facts["due"] = dates.from_day(p.due)
        if state == 0:
            issued = int(row[col(m.name, "day")])
            facts["issued_on"] = dates.from_day(issued)
            if p.due is not None:
                facts["days_late"] = max(0, issued - p.due)
        return facts

    def requirement(self, leaf: LeafView) -> Text:
        p: Params = leaf.params
        name = self._name(leaf)
        if p.due is None:
            return Text(f"Có {name.vi}", f"{name.en} issued")
        due = dates.from_day(p.due)
        return Text(f"{name.vi} ban hành chậm nhất ngày {dates.text(due, 'vi')}; chậm: {short(p.late_points, 'vi')} điểm",
                    f"{name.en} issued by {dates.text(due, 'en')}; late: {short(p.late_points, 'en')} points")

    def to_recover(self, leaf: LeafView, facts: Mapping[str, Any], points: Fraction) -> Recovery | None:
        p: Params = leaf.params
        if facts.get("state") != ABSENT:
            return None  # an issued document cannot be re-dated within the period
        gain = leaf.max_points if p.due is None else p.late_points
        if gain <= 0:
            return None
        return Recovery("issue_document", leaf.metrics["metric"].name, Fraction(1), "document", gain, gain,
                        {"late": p.due is not None})
