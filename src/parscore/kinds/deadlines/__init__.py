"""`deadlines`: a series of reports with due dates; points by the share submitted on time."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, Mapping

import numpy as np

from parscore.core import dates
from parscore.kinds.base import (BY_POINTS, NOT_SUBMITTED, Kind, LeafView, Outcome, absent_status, col, register)
from parscore.core.text import Text
from parscore.metrics.units import UNITS


@dataclass(frozen=True)
class Params:
    metric: str
    due: tuple[tuple[str, int], ...]  # (key, day number)
    grace_days: int


@register
class Deadlines(Kind):
    name = "deadlines"
    metric_params = {"metric": ("date_series",)}
    clauses = ("all_on_time", "some_on_time", "none_on_time")
    fields = ("on_time", "total", "late", "missing", "points", "max", "metric_title")
    templates = {
        "all_on_time": Text("{metric_title}: {on_time}/{total} báo cáo đúng hạn → đủ {max} điểm.",
                            "{metric_title}: {on_time}/{total} reports on time → full {max} points."),
        "some_on_time": Text("{metric_title}: {on_time}/{total} báo cáo đúng hạn (chậm: {late}; chưa nộp: {missing}) → {points}/{max} điểm.",
                             "{metric_title}: {on_time}/{total} reports on time (late: {late}; not submitted: {missing}) → {points}/{max} points."),
        "none_on_time": Text("{metric_title}: không báo cáo nào đúng hạn (chậm: {late}; chưa nộp: {missing}) → 0 điểm.",
                             "{metric_title}: no report on time (late: {late}; not submitted: {missing}) → 0 points."),
    }

    def prepare(self, raw: Mapping[str, Any], max_points: Fraction, units: Mapping[str, str],
                report: Callable[..., None]) -> Params:
        due = tuple((str(d["key"]), dates.day(dates.parse_date(d["on"]))) for d in raw["due"])
        keys = [k for k, _ in due]
        for k in {k for k in keys if keys.count(k) > 1}:
            report("duplicate_id", ("due",), id=k, other="due")
        return Params(raw["metric"], due, int(raw.get("grace_days", 0)))

    def columns(self, leaf: LeafView) -> list[str]:
        p: Params = leaf.params
        return UNITS["date_series"].columns(p.metric, tuple(k for k, _ in p.due))

    def evaluate(self, leaf: LeafView, cols: Mapping[str, np.ndarray], n: int) -> Outcome:
        p: Params = leaf.params
        on_time = np.zeros(n, dtype=np.int64)
        for key, due in p.due:
            on_time += cols[col(f"{p.metric}@{key}", "day")] <= due + p.grace_days
        total = len(p.due)
        mx = leaf.max_points
        clause = np.where(on_time == total, 0, np.where(on_time == 0, 2, 1)).astype(np.int16)
        status = absent_status(cols[col(p.metric, "state")], np.full(n, BY_POINTS, dtype=np.int8))
        return Outcome(mx.numerator * on_time, np.full(n, mx.denominator * total, dtype=np.int64), status, clause)

    def facts(self, leaf: LeafView, row: Mapping[str, Any]) -> dict[str, Any]:
        p: Params = leaf.params
        m = leaf.metrics["metric"]
        facts: dict[str, Any] = {"metric": m.name, "metric_title": m.title, "state": int(row[col(m.name, "state")]),
                                 "total": len(p.due)}
        late, missing, series = [], [], []
        for key, due in p.due:
            submitted = int(row[col(f"{m.name}@{key}", "day")])
            entry: dict[str, Any] = {"key": key, "due": dates.from_day(due)}
            if submitted >= NOT_SUBMITTED:
                missing.append(key)
            else:
                entry["submitted_on"] = dates.from_day(submitted)
                if submitted > due + p.grace_days:
                    late.append(key)
            series.append(entry)
        facts.update(on_time=len(p.due) - len(late) - len(missing), late=late, missing=missing, series=series)
        return facts

    def requirement(self, leaf: LeafView) -> Text:
        p: Params = leaf.params
        m = leaf.metrics["metric"]
        vi = ", ".join(f"{k}: {dates.text(dates.from_day(d), 'vi')}" for k, d in p.due)
        en = ", ".join(f"{k}: {dates.text(dates.from_day(d), 'en')}" for k, d in p.due)
        return Text(f"{m.title.vi} — hạn nộp {vi}; điểm theo tỷ lệ báo cáo đúng hạn",
                    f"{m.title.en} — due {en}; points by the share on time")

    def series_keys(self, leaf: LeafView) -> dict[str, tuple[str, ...]]:
        return {leaf.params.metric: tuple(k for k, _ in leaf.params.due)}
