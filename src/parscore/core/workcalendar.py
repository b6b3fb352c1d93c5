"""The calendar the state works by: which days count as working days for legal due dates.

A procedure's legal time is counted in working days (Luật/NĐ 61/2018, Điều 19 on
receiving and returning results). Working days are Monday–Friday, except
- the public holidays of the Labour Code 2019 (Art. 112: Tết Dương lịch, Tết Nguyên Đán,
  Giỗ Tổ Hùng Vương, 30/4, 1/5, 2/9) and the substitutions the government announced,
  taken from the `holidays` library (`holidays.country_holidays("VN")`, kept by its
  maintainers with the decisions cited in its source);
- the days off and make-up working days listed in `rules/calendar/<year>.yaml` (a file
  with `province:` applies to that province's bundles only), each with its decision.
Every due date computed with a calendar can say which one decided it (`describe`).
"""
from __future__ import annotations

import datetime as dt
import importlib.util
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from parscore.core import cache, schema, yamlio
from parscore.core.errors import Collector
from parscore.core.paths import data_dir, display

NATIONAL = "holidays:VN"

# Units a procedure's legal time comes in (the portal's DonViTinh: "Giờ, Ngày, Ngày làm việc, tháng").
WORKING_DAYS, DAYS, HOURS, MONTHS = "working_days", "days", "hours", "months"
LEGAL_TIME_UNITS = (WORKING_DAYS, DAYS, HOURS, MONTHS)
OFFICE_OPENS = np.timedelta64(8, "h")  # parscore's model office day: 8 working hours from 08:00
HOURS_PER_DAY = 8  # the normal working day (Bộ luật Lao động 2019, Điều 105)


@dataclass(frozen=True)
class Day:
    date: dt.date
    name: str
    source: str  # "holidays:VN" or the rules file and the decision it cites
    verified: bool = True


@dataclass(frozen=True, eq=False)  # compared by identity: calendars are built once per (years, province)
class WorkCalendar:
    years: tuple[int, ...]
    province: str | None
    days_off: Mapping[dt.date, Day]  # weekdays not worked
    working_days: Mapping[dt.date, Day]  # weekend days worked (make-up days)
    files: tuple[str, ...]  # rules/calendar files that contributed
    workdays: np.ndarray  # every working day of the years, sorted (datetime64[D])

    def is_working(self, day: dt.date) -> bool:
        if day in self.working_days:
            return True
        return day.weekday() < 5 and day not in self.days_off

    def describe(self) -> str:
        """Which calendar decided: the holidays library for Vietnam, plus the rules files used (language-neutral)."""
        return " + ".join((f"{NATIONAL} {self.years[0]}–{self.years[-1]}", *self.files))

    def add_working_days(self, start: np.ndarray, n: np.ndarray) -> np.ndarray:
        """`start` (datetime64[D]) rolled forward to a working day, then `n` working days on; vectorised.

        Same meaning as numpy's busday_offset(roll="forward"), with holidays and make-up days. A date the
        calendar's years do not reach (a typing slip such as 1925) is counted Monday–Friday rather than wrongly.
        """
        work = self.workdays
        start = start.astype("datetime64[D]")
        n = n.astype(np.int64)
        at = np.searchsorted(work, start, side="left") + n
        inside = (start >= work[0]) & (at < len(work)) & (at >= 0)
        out = np.busday_offset(start, n, roll="forward")
        out[inside] = work[at[inside]]
        return out

    def add_legal_time(self, start: np.ndarray, amount: np.ndarray, unit: np.ndarray) -> np.ndarray:
        """The legal due moment: `start` (datetime64[ns]) plus `amount` in each row's `unit`; vectorised.

        Exact semantics (pinned by tests/test_legal_time.py; a port must give the same answers):
        - `working_days` (also any unknown or missing unit): the start's date rolled forward to a working day, then
          `amount` working days on (`add_working_days`); the start's time of day is kept.
        - `days`: calendar days — the start's date plus `amount` days (the first day is not counted, Bộ luật Dân sự
          2015, Điều 147); a last day that is a day off moves to the next working day (Điều 148 khoản 5). Time kept.
        - `months`: the same day of the month `amount` months on, or that month's last day when it has no such day
          (Điều 148 khoản 3: 31/01 + 1 month = 28/02 or 29/02); then rolled forward to a working day. Time kept.
        - `hours`: working hours, 8 to a working day (Bộ luật Lao động 2019, Điều 105), in a model office day that
          opens at 08:00 and closes at 16:00 (no lunch break: on-time judging compares days only). A start before
          08:00 counts from 08:00; after 16:00 or on a day off, from 08:00 of the next working day. The due moment
          is the instant the last hour ends: Friday 10:00 + 8 h is Monday 10:00; Friday 16:00 + 8 h is Monday 16:00.
          An amount of 0 hours is due at the start.
        """
        start = start.astype("datetime64[ns]")
        day = start.astype("datetime64[D]")
        clock = start - day.astype("datetime64[ns]")
        n = amount.astype(np.int64)
        unit = np.asarray(unit, dtype=object)
        out = start.copy()

        def rolled(days: np.ndarray) -> np.ndarray:  # a date moved forward to a working day, back in ns
            return self.add_working_days(days, np.zeros(len(days), np.int64)).astype("datetime64[ns]")

        cal_days = unit == DAYS
        out[cal_days] = rolled(day[cal_days] + n[cal_days]) + clock[cal_days]
        months = unit == MONTHS
        if months.any():
            first = day[months].astype("datetime64[M]")
            target = first + n[months]
            length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(np.int64)
            of_month = (day[months] - first.astype("datetime64[D]")).astype(np.int64)
            out[months] = rolled(target.astype("datetime64[D]") + np.minimum(of_month, length - 1)) + clock[months]
        hours = unit == HOURS
        if hours.any():
            opens = self.add_working_days(day[hours], np.zeros(int(hours.sum()), np.int64))
            into = (clock[hours] - OFFICE_OPENS) / np.timedelta64(1, "h")  # hours since 08:00 on the start day
            into = np.where(opens == day[hours], np.clip(into, 0, HOURS_PER_DAY), 0)
            total = into + n[hours]
            whole = np.ceil(total / HOURS_PER_DAY).astype(np.int64) - 1  # working days after the first one counted
            left = total - whole * HOURS_PER_DAY  # hours into the due day, in (0, 8]
            due = self.add_working_days(opens, np.maximum(whole, 0)).astype("datetime64[ns]") + OFFICE_OPENS
            # Rounded to the microsecond: 5.45 h is 5 h 27 min, not the float's 5 h 26 min 59.999999999 s.
            due = due + np.rint(left * 3_600_000_000).astype(np.int64).astype("timedelta64[us]").astype("timedelta64[ns]")
            out[hours] = np.where(n[hours] > 0, due, start[hours])
        other = ~(cal_days | months | hours)
        out[other] = self.add_working_days(day[other], n[other]).astype("datetime64[ns]") + clock[other]
        return out

    def days_between(self, start: dt.date, end: dt.date) -> list[Day]:
        """The days off and make-up days in [start, end]: what moved a due date in that span."""
        found = [d for d in (*self.days_off.values(), *self.working_days.values()) if start <= d.date <= end]
        return sorted(found, key=lambda d: d.date)


def _working_array(years: tuple[int, ...], off: Mapping[dt.date, Day], work: Mapping[dt.date, Day]) -> np.ndarray:
    first, last = dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31)
    days = np.arange(np.datetime64(first), np.datetime64(last) + 1, dtype="datetime64[D]")
    weekday = ((days.astype(np.int64) + 3) % 7) < 5  # 1970-01-01 was a Thursday
    listed_off = np.isin(days, np.array(sorted(off), dtype="datetime64[D]"))
    listed_work = np.isin(days, np.array(sorted(work), dtype="datetime64[D]"))
    return days[(weekday & ~listed_off) | listed_work]


def calendar_dir() -> Path:
    return data_dir("rules") / "calendar"


def _fold(text: str | None) -> str:
    return " ".join(str(text or "").lower().split())


def calendar_for(years: Iterable[int], province: str | None = None, directory: str | None = None) -> WorkCalendar:
    ys = sorted(set(years))
    return _calendar(tuple(range(ys[0], ys[-1] + 1)), _fold(province) or None, directory)


@lru_cache(maxsize=32)
def _calendar(years: tuple[int, ...], province: str | None, directory: str | None) -> WorkCalendar:
    """Built once, then kept on disk (core/cache) keyed by the rules/calendar files and the holidays library's
    version: building asks `holidays` for Vietnam, which imports every country it knows (~0.2–0.4 s a run)."""
    root = Path(directory) if directory else calendar_dir()
    files = sorted(root.glob("*.yaml")) if root.is_dir() else []
    extra = (repr(years), repr(province), str(root), _holidays_version())
    return cache.cached("calendar", files, lambda: _build_calendar(years, province, directory), extra)


def _holidays_version() -> str:
    """Which `holidays` is installed, without importing it or `importlib.metadata` (~10 ms a run): the path,
    size and mtime of its `__init__.py` (an upgrade or reinstall rewrites it, so a new key)."""
    spec = importlib.util.find_spec("holidays")
    if spec is None or spec.origin is None:
        return "unknown"
    try:
        st = os.stat(spec.origin)
    except OSError:
        return "unknown"
    return f"{spec.origin}:{st.st_size}:{st.st_mtime_ns}"


def _build_calendar(years: tuple[int, ...], province: str | None, directory: str | None) -> WorkCalendar:
    import holidays  # lazily: only a calendar not yet in the disk cache needs the library

    library = holidays.country_holidays("VN", years=years, language="vi")
    off: dict[dt.date, Day] = {d: Day(d, str(name), NATIONAL) for d, name in library.items() if d.weekday() < 5}
    work: dict[dt.date, Day] = {d: Day(d, "Ngày làm bù", NATIONAL) for d in library.weekend_workdays if d.year in years}
    files: list[str] = []
    for entry_file, data in _files(directory):
        if data["year"] not in years or (data.get("province") and _fold(data["province"]) != province):
            continue
        files.append(entry_file)
        for key, target in (("days_off", off), ("working_days", work)):
            for e in data.get(key, []):
                day = e["date"] if isinstance(e["date"], dt.date) else dt.date.fromisoformat(e["date"])
                target[day] = Day(day, e["name"], f"{entry_file}: {e['decision']}", bool(e["verified"]))
    return WorkCalendar(years, province, off, work, tuple(files), _working_array(years, off, work))


@lru_cache(maxsize=4)
def _files(directory: str | None) -> tuple[tuple[str, dict], ...]:
    root = Path(directory) if directory else calendar_dir()
    if not root.is_dir():
        return ()
    c = Collector()
    out = []
    for path in sorted(root.glob("*.yaml")):
        doc = check_file(path, c)
        if doc is not None:
            out.append((doc.file, doc.data))
    c.raise_if_any()
    return tuple(out)


def check_file(path: Path, c: Collector) -> yamlio.Located | None:
    """One rules/calendar file, schema-checked, each date of the right kind and year; None if it has problems."""
    doc = yamlio.load_mapping(path, display=display(path))
    problems = schema.validate(doc, "calendar")
    c.extend(problems)
    if problems:
        return None
    before = len(c.errors)
    for key in ("days_off", "working_days"):
        for i, e in enumerate(doc.data.get(key, [])):
            day = e["date"] if isinstance(e["date"], dt.date) else dt.date.fromisoformat(str(e["date"]))
            weekend = day.weekday() >= 5
            if day.year != doc.data["year"] or weekend != (key == "working_days"):
                c.add("calendar_entry", file=doc.file, line=doc.line((key, i, "date")), where=f"{key}.{i}.date",
                      value=day.isoformat(),
                      problem_vi="ngày làm bù phải là thứ Bảy/Chủ nhật, ngày nghỉ thêm phải là ngày thường, trong đúng năm của tệp",
                      problem_en="a make-up day must be a weekend day and a day off a weekday, in the file's year")
    return doc if len(c.errors) == before else None
