"""The metric frame: one row per subject (commune or scenario), one column per metric part.

This is the engine's only input, so a province's communes, a what-if grid and
a single bundle all run through the same vectorised code. `frame_columns`
says which columns a framework reads; absent columns mean absent metrics.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from parscore.core.errors import Collector
from parscore.criteria.framework import Framework, Leaf
from parscore.core import dates, reportcalendar
from parscore.evidence.bundle import Bundle
from parscore.metrics.columns import (ABSENT, NO_DAY, NO_DUE, PERIOD_START, PRESENT, REPORT_CALENDAR, REPORT_CALENDAR_BORROWED,
                                      SURVEY_NOT_HELD, calendar_col, col)
from parscore.metrics.units import UNITS
from parscore.kinds.manual import manual_metric
from parscore.metrics.values import ManualScore, MetricValue


@dataclass(frozen=True)
class Subject:
    """One row's inputs with their provenance."""

    label: str
    metrics: Mapping[str, MetricValue]
    manual: Mapping[str, ManualScore] = field(default_factory=dict)
    period_start: int | None = None  # day number: due dates before it do not apply
    survey_not_held: bool = False  # the bundle declares that no survey was run
    province: str | None = None  # whose report calendar dates the calendar deadline leaves (None: the framework's)
    year: int | None = None  # the calendar year: the period's start year (None: the framework's year)


def bundle_subject(bundle: Bundle, label: str | None = None, metrics: Mapping[str, MetricValue] | None = None) -> Subject:
    """A bundle as a frame row: its metrics and manual scores, its period start and its survey declaration."""
    return Subject(bundle.name if label is None else label, bundle.metrics if metrics is None else metrics, bundle.manual,
                   dates.day(bundle.period_start), bundle.survey == "not_held", bundle.province, bundle.period_start.year)


def _calendar_keys(fw: Framework) -> dict[str, tuple[str, ...]]:
    keys: dict[str, list[str]] = {}
    for leaf in fw.leaves:
        for series, leaf_keys in leaf.kind_impl.calendar_keys(leaf.view).items():
            known = keys.setdefault(series, [])
            known.extend(k for k in leaf_keys if k not in known)
    return {s: tuple(k) for s, k in keys.items()}


def calendar_leaves(fw: Framework) -> list[str]:
    """The leaves whose due dates come from the province's report calendar."""
    return [leaf.id for leaf in fw.leaves if leaf.kind_impl.calendar_keys(leaf.view)]


def report_calendar(fw: Framework, province: str | None, year: int | None) -> tuple[reportcalendar.ReportCalendar | None, bool]:
    """The calendar dating `province`'s reports in `year`: its own, else the one the framework names as borrowed
    (True), else none. A subject without a province (a leaf case) uses the framework's named or own province."""
    cals = reportcalendar.load()
    y = fw.year if year is None else year
    own = cals.find(province if province is not None else (fw.report_calendar or fw.province), [y])
    if own:
        return own[0], False
    if fw.report_calendar:
        borrowed = cals.find(fw.report_calendar, [y])
        if borrowed:
            return borrowed[0], True
    return None, False


def _calendar_cells(fw: Framework, keys: Mapping[str, tuple[str, ...]], s: Subject) -> dict[str, Any]:
    cal, borrowed = report_calendar(fw, s.province, s.year)
    out: dict[str, Any] = {REPORT_CALENDAR: -1 if cal is None else reportcalendar.load().index(cal),
                           REPORT_CALENDAR_BORROWED: int(borrowed)}
    for series, series_keys in keys.items():
        for key in series_keys:
            due = cal.due(series, key) if cal is not None else None
            out[calendar_col(series, key)] = NO_DUE if due is None else dates.day(due.on)
    return out


def _series_keys(fw: Framework) -> dict[str, tuple[str, ...]]:
    keys: dict[str, list[str]] = {}
    for leaf in fw.leaves:
        for metric, leaf_keys in leaf.kind_impl.series_keys(leaf.view).items():
            known = keys.setdefault(metric, [])
            known.extend(k for k in leaf_keys if k not in known)
    return {m: tuple(k) for m, k in keys.items()}


def frame_columns(fw: Framework) -> dict[str, Any]:
    """Every column the framework reads, with the value an absent metric has."""
    out: dict[str, Any] = {PERIOD_START: NO_DAY, SURVEY_NOT_HELD: 0}
    calendar = _calendar_keys(fw)
    if calendar:
        out.update({REPORT_CALENDAR: -1, REPORT_CALENDAR_BORROWED: 0})
        out.update({calendar_col(s, k): NO_DUE for s, keys in calendar.items() for k in keys})
    series = _series_keys(fw)
    units = {m.name: m.unit for leaf in fw.leaves for m in leaf.view.metrics.values()}
    for name in fw.metrics_read():
        out.update(UNITS[units[name]].absent(name, series.get(name, ())))
        out[col(name, "state")] = ABSENT
    for leaf in fw.leaves:
        if leaf.kind_impl.manual:
            m = manual_metric(leaf.id)
            out.update({col(m, "num"): 0, col(m, "den"): 1, col(m, "state"): ABSENT})
    return out


def _cells(value: MetricValue, series_keys: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {col(value.name, "state"): value.state}
    if value.state == PRESENT:
        out.update(UNITS[value.unit].cells(value, series_keys))
    return out


def build_frame(fw: Framework, subjects: Sequence[Subject]) -> pd.DataFrame:
    """The frame for `subjects`; manual points above a leaf's maximum are reported, located."""
    defaults = frame_columns(fw)
    series = _series_keys(fw)
    calendar = _calendar_keys(fw)
    leaves = {leaf.id: leaf for leaf in fw.leaves if leaf.kind_impl.manual}
    rows: list[dict[str, Any]] = []
    errors = Collector()
    for s in subjects:
        row = dict(defaults)
        row[PERIOD_START] = NO_DAY if s.period_start is None else s.period_start
        row[SURVEY_NOT_HELD] = int(s.survey_not_held)
        if calendar:
            row.update(_calendar_cells(fw, calendar, s))
        for value in s.metrics.values():
            if col(value.name, "state") in defaults:
                row.update(_cells(value, series.get(value.name, ())))
        for leaf_id, score in s.manual.items():
            leaf: Leaf | None = leaves.get(leaf_id)
            if leaf is None:
                continue
            if score.points > leaf.max_points:
                errors.add("manual_points", file=score.provenance.file, line=score.provenance.line,
                           where=f"manual.{leaf_id}.points", value=str(score.points), max=str(leaf.max_points))
                continue
            m = manual_metric(leaf_id)
            row.update({col(m, "num"): score.points.numerator, col(m, "den"): score.points.denominator,
                        col(m, "state"): PRESENT})
        rows.append(row)
    errors.raise_if_any()
    # Column by column straight into numpy: the same values and dtypes as `typed` gives a frame of these rows,
    # without building an object frame first (for one bundle that was half the time of a what-if re-score).
    return pd.DataFrame({name: np.array([row[name] for row in rows], dtype=_dtype(name)) for name in defaults},
                        index=pd.RangeIndex(len(rows)), copy=False)


def _dtype(name: str) -> type:
    if name.endswith(":counted"):
        return np.bool_
    return np.int8 if name.endswith(":state") else np.int64


def typed(frame: pd.DataFrame, defaults: Mapping[str, Any]) -> pd.DataFrame:
    """Fill absent columns and fix dtypes so that the engine gets plain numpy arrays."""
    out = {}
    for name, default in defaults.items():
        series = frame[name] if name in frame.columns else pd.Series([default] * len(frame), index=frame.index)
        out[name] = series.astype(_dtype(name)).to_numpy()
    return pd.DataFrame(out, index=frame.index)
