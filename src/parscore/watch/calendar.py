"""Working days for watch: the scoring path's own calendar (`core.workcalendar`), as numbers the rules compare.

A legal due date, "due within N working days" and "N working days since" all follow the
calendar that scores the commune: Monday–Friday less Vietnam's public holidays and the
announced days off (Tết, 30/4–1/5, 2/9 and their substitutions), plus the make-up working
Saturdays (`rules/calendar/*.yaml`). durable-rules compares whole numbers only, so a day is
turned into its working-day index: the working days in [1970-01-01, day). Two dates'
difference is the working days between them; a Saturday (not a make-up one), a holiday and
the next working day share one index, so "due within 1 working day" read during Tết means
"due by the first working day after it".

One calendar serves a whole run (its index must not move under facts already asserted): it
covers the years around the run's first day (`YEARS_BEFORE`, `YEARS_AFTER`); outside them
days count Monday–Friday, as `WorkCalendar.add_working_days` does for a typing slip.
"""
from __future__ import annotations

import datetime as dt

import numpy as np

from parscore.core import dates
from parscore.core.workcalendar import WorkCalendar, calendar_for

YEARS_BEFORE, YEARS_AFTER = 1, 5  # a run starts at most a year back (a replay) and lasts less than five


def day_index(day: dt.date) -> int:
    """Calendar days since 1970-01-01 (what the rules compare)."""
    return dates.day(day)


def from_day_index(n: int) -> dt.date:
    return dates.from_day(n)


class Calendar:
    """The working calendar of one run, with its days as indices."""

    def __init__(self, work: WorkCalendar) -> None:
        self.work = work
        first, last = dt.date(work.years[0], 1, 1), dt.date(work.years[-1], 12, 31)
        self._first, self._last = day_index(first), day_index(last)
        # Before the covered years days count Monday–Friday; inside, each day's index is that base plus the
        # calendar's working days before it; after them, Monday–Friday again from where the calendar ends.
        self._base = int(np.busday_count(dates.EPOCH, first))
        days = np.arange(np.datetime64(first, "D"), np.datetime64(last, "D") + 1)
        self._inside: list[int] = (self._base + np.searchsorted(work.workdays, days, side="left")).tolist()
        self._end = self._base + len(work.workdays)
        self._added: dict[tuple[int, int], dt.date] = {}

    @classmethod
    def around(cls, day: dt.date, province: str | None = None) -> Calendar:
        """The calendar for a run whose first day is `day` (a province's own days off when it is given)."""
        return cls(calendar_for(range(day.year - YEARS_BEFORE, day.year + YEARS_AFTER + 1), province))

    def describe(self) -> str:
        return self.work.describe()

    def is_working(self, day: dt.date) -> bool:
        n = day_index(day)
        if self._first <= n <= self._last:
            return self.work.is_working(day)
        return day.weekday() < 5

    def working_day_index(self, day: dt.date) -> int:
        """Working days in [1970-01-01, day)."""
        n = day_index(day)
        if n < self._first:
            return int(np.busday_count(dates.EPOCH, day))
        if n <= self._last:
            return self._inside[n - self._first]
        return self._end + int(np.busday_count(from_day_index(self._last + 1), day))

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """`day` rolled forward to a working day, then `n` working days on: the scoring path's legal due date."""
        key = (day_index(day), n)
        out = self._added.get(key)
        if out is None:
            moved = self.work.add_working_days(np.array([day], dtype="datetime64[D]"), np.array([n], dtype=np.int64))
            out = self._added[key] = dt.date.fromisoformat(str(moved[0]))
        return out
