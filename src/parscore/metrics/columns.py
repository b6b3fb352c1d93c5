"""How a metric lives in the metric frame: its columns and the state of its value.

Every metric of a subject is a few integer columns of the frame the engine reads
(`metric:num`, `metric:den`, `metric:state`…), so that a province's communes, a
what-if grid and one bundle are scored by the same array code.
"""
from __future__ import annotations

import numpy as np

# Metric state columns in the frame.
PRESENT, ABSENT, METRIC_NA = 0, 1, 2
NOT_SUBMITTED = np.int64(2**40)  # a day number later than any due date
NO_DAY = np.int64(-(2**40))


# Facts about the bundle that rules read besides its metrics (not metrics themselves).
PERIOD_START = "_bundle:period_start"  # day number of the period's first day; NO_DAY when unknown (every due date applies)
SURVEY_NOT_HELD = "_bundle:survey_not_held"  # 1 when the bundle declares `survey: not_held`
# A deadline leaf that reads the province's report calendar (parscore.core.reportcalendar) finds each due date
# in `_calendar:<series>@<key>` (NO_DUE when the row's province has no calendar dating it), and which calendar
# decided in REPORT_CALENDAR (its index in the loaded calendars; -1 none), borrowed (1) or the province's own (0).
REPORT_CALENDAR = "_bundle:report_calendar"
REPORT_CALENDAR_BORROWED = "_bundle:report_calendar_borrowed"
NO_DUE = np.int64(-(2**41))


def calendar_col(series: str, key: str) -> str:
    """The frame column holding the due day of report `key` of `series` in the row's province calendar."""
    return f"_calendar:{series}@{key}"


def col(metric: str, part: str) -> str:
    """The frame column holding `part` of `metric` (num, den, n, day, state, counted)."""
    return f"{metric}:{part}"
