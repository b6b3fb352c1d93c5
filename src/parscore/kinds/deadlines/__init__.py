"""`deadlines`: a series of reports with due dates; points by the share submitted on time.

The due dates are the source document's own (`due`), or, where they are a province's rather than one
plan's, read from the report calendar of the bundle's province (`calendar` + `keys`; see
`parscore.core.reportcalendar`): the frame then carries each row's due days, so one framework scores
the communes of several provinces each by its own calendar."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, Mapping

import numpy as np

from parscore.core import dates, reportcalendar
from parscore.kinds.base import (BY_POINTS, MISSING, NO_DAY, NOT_APPLICABLE, NOT_SUBMITTED, PERIOD_START, Kind, LeafView, Outcome,
                                 absent_status, before_period, col, period_start, register)
from parscore.core.text import Text
from parscore.metrics.columns import NO_DUE, REPORT_CALENDAR, REPORT_CALENDAR_BORROWED, calendar_col
from parscore.metrics.units import UNITS


@dataclass(frozen=True)
class Params:
    metric: str
    due: tuple[tuple[str, int], ...]  # (key, day number); day 0 when the calendar gives it per row
    grace_days: int
    calendar: str | None = None  # a report series of the province calendars, or None: the source's own dates


@register
class Deadlines(Kind):
    name = "deadlines"
    metric_params = {"metric": ("date_series",)}
    # Clauses 3–5: some due dates fell before the bundle's period and do not count; the last: no calendar dates them.
    clauses = ("all_on_time", "some_on_time", "none_on_time", "all_on_time_in_period", "some_on_time_in_period",
               "none_on_time_in_period", "no_calendar")
    fields = ("on_time", "total", "late", "missing", "before_period", "points", "max", "metric_title", "calendar")
    templates = {
        "all_on_time": Text("{metric_title}: {on_time}/{total} báo cáo đúng hạn → đủ {max} điểm.",
                            "{metric_title}: {on_time}/{total} reports on time → full {max} points."),
        "some_on_time": Text("{metric_title}: {on_time}/{total} báo cáo đúng hạn (chậm: {late}; chưa nộp: {missing}) → {points}/{max} điểm.",
                             "{metric_title}: {on_time}/{total} reports on time (late: {late}; not submitted: {missing}) → {points}/{max} points."),
        "none_on_time": Text("{metric_title}: không báo cáo nào đúng hạn (chậm: {late}; chưa nộp: {missing}) → 0 điểm.",
                             "{metric_title}: no report on time (late: {late}; not submitted: {missing}) → 0 points."),
        "all_on_time_in_period": Text("{metric_title}: {on_time}/{total} báo cáo đến hạn trong kỳ đúng hạn (trước kỳ, không áp dụng: "
                                      "{before_period}) → đủ {max} điểm.",
                                      "{metric_title}: {on_time}/{total} reports due in the period on time (before the period, "
                                      "not applicable: {before_period}) → full {max} points."),
        "some_on_time_in_period": Text("{metric_title}: {on_time}/{total} báo cáo đến hạn trong kỳ đúng hạn (chậm: {late}; chưa nộp: "
                                       "{missing}; trước kỳ, không áp dụng: {before_period}) → {points}/{max} điểm.",
                                       "{metric_title}: {on_time}/{total} reports due in the period on time (late: {late}; not "
                                       "submitted: {missing}; before the period, not applicable: {before_period}) → {points}/{max} points."),
        "none_on_time_in_period": Text("{metric_title}: không báo cáo nào đến hạn trong kỳ đúng hạn (chậm: {late}; chưa nộp: "
                                       "{missing}; trước kỳ, không áp dụng: {before_period}) → 0 điểm.",
                                       "{metric_title}: no report due in the period on time (late: {late}; not submitted: "
                                       "{missing}; before the period, not applicable: {before_period}) → 0 points."),
        "missing_evidence:no_calendar": Text("{metric_title}: không có lịch báo cáo của tỉnh ({calendar}) nên không xác định được hạn nộp → "
                            "thiếu minh chứng, 0 điểm.",
                            "{metric_title}: no report calendar of the province ({calendar}), so the due dates are unknown "
                            "→ missing evidence, 0 points."),
    }

    def prepare(self, raw: Mapping[str, Any], max_points: Fraction, units: Mapping[str, str],
                report: Callable[..., None]) -> Params:
        if ("due" in raw) == ("calendar" in raw) or ("calendar" in raw) != ("keys" in raw):
            report("deadlines_due_or_calendar", ())
            return Params(raw["metric"], (), int(raw.get("grace_days", 0)))
        if "calendar" in raw:
            series = reportcalendar.load().series
            name = str(raw["calendar"])
            if name not in series:
                report("report_series_unknown", ("calendar",), series=name, known=", ".join(sorted(series)))
                return Params(raw["metric"], (), int(raw.get("grace_days", 0)), name)
            for i, k in enumerate(raw["keys"]):
                if str(k) not in series[name][1]:
                    report("report_key_unknown", ("keys", i), key=str(k), series=name, known=", ".join(series[name][1]))
            return Params(raw["metric"], tuple((str(k), 0) for k in raw["keys"]), int(raw.get("grace_days", 0)), name)
        due = tuple((str(d["key"]), dates.day(dates.parse_date(d["on"]))) for d in raw["due"])
        keys = [k for k, _ in due]
        for k in {k for k in keys if keys.count(k) > 1}:
            report("duplicate_id", ("due",), id=k, other="due")
        return Params(raw["metric"], due, int(raw.get("grace_days", 0)))

    def columns(self, leaf: LeafView) -> list[str]:
        p: Params = leaf.params
        extra = [calendar_col(p.calendar, k) for k, _ in p.due] + [REPORT_CALENDAR, REPORT_CALENDAR_BORROWED] \
            if p.calendar else []
        return UNITS["date_series"].columns(p.metric, tuple(k for k, _ in p.due)) + [PERIOD_START] + extra

    def calendar_keys(self, leaf: LeafView) -> dict[str, tuple[str, ...]]:
        """The report series and keys whose due dates this leaf reads from the province's calendar."""
        p: Params = leaf.params
        return {p.calendar: tuple(k for k, _ in p.due)} if p.calendar else {}

    def _dues(self, p: Params, cols: Mapping[str, np.ndarray], n: int) -> list[tuple[str, np.ndarray]]:
        if p.calendar:
            return [(k, cols.get(calendar_col(p.calendar, k), np.full(n, NO_DUE, dtype=np.int64))) for k, _ in p.due]
        return [(k, np.full(n, d, dtype=np.int64)) for k, d in p.due]

    def evaluate(self, leaf: LeafView, cols: Mapping[str, np.ndarray], n: int) -> Outcome:
        p: Params = leaf.params
        start = period_start(cols, n)
        on_time = np.zeros(n, dtype=np.int64)
        total = np.zeros(n, dtype=np.int64)
        undated = np.zeros(n, dtype=bool)  # the row's province calendar does not date some report
        for key, due in self._dues(p, cols, n):
            undated |= due == NO_DUE
            applies = (due >= start) & (due != NO_DUE)  # a due date before the period (a commune formed mid-year) is not the bundle's to meet
            total += applies
            on_time += applies & (cols[col(f"{p.metric}@{key}", "day")] <= due + p.grace_days)
        mx = leaf.max_points
        clause = np.where(on_time == total, 0, np.where(on_time == 0, 2, 1)) + np.where(total < len(p.due), 3, 0)
        status = absent_status(cols[col(p.metric, "state")], np.full(n, BY_POINTS, dtype=np.int8))
        status = np.where(total == 0, NOT_APPLICABLE, status)
        # No calendar, no judgement: missing evidence, never "not applicable" (which would pay under `shrink`).
        status = np.where(undated, MISSING, status).astype(np.int8)
        clause = np.where(undated, self.clauses.index("no_calendar"), clause)
        on_time = np.where(undated, 0, on_time)
        return Outcome(mx.numerator * on_time, mx.denominator * np.maximum(total, 1), status, clause.astype(np.int16))

    def facts(self, leaf: LeafView, row: Mapping[str, Any]) -> dict[str, Any]:
        p: Params = leaf.params
        m = leaf.metrics["metric"]
        facts: dict[str, Any] = {"metric": m.name, "metric_title": m.title, "state": int(row[col(m.name, "state")]),
                                 "total": len(p.due)}
        dues = [(k, int(row.get(calendar_col(p.calendar, k), NO_DUE)) if p.calendar else d) for k, d in p.due]
        if p.calendar:
            facts.update(calendar_facts(p.calendar, dues, row))
            if any(d == NO_DUE for _, d in dues):
                facts.update(on_time=0, late=[], missing=[], before_period=[], series=[],
                             undated=[k for k, d in dues if d == NO_DUE])
                return facts
        start = int(row.get(PERIOD_START, NO_DAY))
        late, missing, skipped, series = [], [], [], []
        for key, due in dues:
            submitted = int(row[col(f"{m.name}@{key}", "day")])
            entry: dict[str, Any] = {"key": key, "due": dates.from_day(due)}
            if p.calendar:
                entry["due_source"] = facts["calendar_sources"].get(key, "")
            if due < start:
                skipped.append(key)
                entry["not_applicable"] = before_period(due, start)
            elif submitted >= NOT_SUBMITTED:
                missing.append(key)
            else:
                entry["submitted_on"] = dates.from_day(submitted)
                if submitted > due + p.grace_days:
                    late.append(key)
            series.append(entry)
        total = len(p.due) - len(skipped)
        facts.update(on_time=total - len(late) - len(missing), total=total, late=late, missing=missing,
                     before_period=skipped, series=series)
        if skipped and not total:
            facts["reason"] = before_period(max(d for _, d in dues), start)
        return facts

    def requirement(self, leaf: LeafView) -> Text:
        p: Params = leaf.params
        m = leaf.metrics["metric"]
        if p.calendar:
            keys = ", ".join(k for k, _ in p.due)
            title = reportcalendar.load().series[p.calendar][0]
            return Text(f"{m.title.vi} — kỳ {keys}, hạn nộp theo lịch báo cáo của tỉnh ({title.vi}, "
                        "rules/report_calendars/); điểm theo tỷ lệ báo cáo đúng hạn",
                        f"{m.title.en} — reports {keys}, due as the province's report calendar says ({title.en}, "
                        "rules/report_calendars/); points by the share on time")
        vi = ", ".join(f"{k}: {dates.text(dates.from_day(d), 'vi')}" for k, d in p.due)
        en = ", ".join(f"{k}: {dates.text(dates.from_day(d), 'en')}" for k, d in p.due)
        return Text(f"{m.title.vi} — hạn nộp {vi}; điểm theo tỷ lệ báo cáo đúng hạn",
                    f"{m.title.en} — due {en}; points by the share on time")

    def series_keys(self, leaf: LeafView) -> dict[str, tuple[str, ...]]:
        return {leaf.params.metric: tuple(k for k, _ in leaf.params.due)}


def calendar_facts(series: str, dues: list[tuple[str, int]], row: Mapping[str, Any]) -> dict[str, Any]:
    """Which province calendar dated the row's reports, whether it is borrowed, and each date's source."""
    index = int(row.get(REPORT_CALENDAR, -1))
    calendars = reportcalendar.load().calendars
    if index < 0 or index >= len(calendars):
        return {"calendar": Text("tỉnh chưa có tệp lịch trong rules/report_calendars/",
                                 "the province has no file in rules/report_calendars/"), "calendar_sources": {}}
    cal = calendars[index]
    borrowed = bool(row.get(REPORT_CALENDAR_BORROWED, 0))
    sources = {}
    for key, due in dues:
        found = cal.due(series, key)
        if found is not None and due != NO_DUE:
            sources[key] = found.source
    label = Text(f"lịch của {cal.province} {cal.year}" + (" (mượn, không phải lịch của tỉnh)" if borrowed else ""),
                 f"{cal.province}'s {cal.year} calendar" + (" (borrowed, not the province's own)" if borrowed else ""))
    return {"calendar": label, "calendar_file": cal.file, "calendar_borrowed": borrowed, "calendar_sources": sources}
