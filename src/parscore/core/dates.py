"""Dates as the commune reads them: local dates in Asia/Ho_Chi_Minh.

Accepts ISO (2025-03-10), Vietnamese day-first dates as offices type them
(10/03/2025, 15-03-2025, 10.03.2025, 10/03/25), times with SA/CH (sáng/chiều, as
Vietnamese Windows writes AM/PM), text dates ("ngày 10 tháng 3 năm 2025"), Excel
serial day numbers, and YAML/Excel date and datetime values; an aware datetime is
converted to Vietnam's local date before its day is taken, so a deadline at 23:30
UTC+7 is not moved a day.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
EPOCH = dt.date(1970, 1, 1)
# day, month, year (4 or 2 digits), then an optional time with an optional SA/CH (AM/PM) mark.
DMY = r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?:[ T,]+(\d{1,2})[:h](\d{2})(?::(\d{2}))?\s*(SA|CH|AM|PM|sáng|chiều)?)?$"
_DMY = re.compile(DMY, re.IGNORECASE)
_TEXT = re.compile(r"^(?:ngày\s+)?(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})$", re.IGNORECASE)
_SERIAL = re.compile(r"^\d{5}(?:[.,]\d+)?$")
EXCEL_EPOCH = dt.datetime(1899, 12, 30)  # Excel's day 0 (its 1900 leap-year bug makes day 60 the fake 29/02/1900)
SERIAL_RANGE = (18264, 73051)  # 01/01/1950 .. 31/12/2099: a number outside is not a date, whatever the cell says
AFTERNOON = ("CH", "PM", "CHIỀU")


def year_of(text: str) -> int:
    """A two-digit year is this century's: '25' is 2025."""
    return 2000 + int(text) if len(text) == 2 else int(text)


def hour_of(hour: int, mark: str | None) -> int:
    """12-hour clock with SA/CH (or AM/PM) to 24-hour."""
    if not mark:
        return hour
    afternoon = mark.upper() in AFTERNOON
    return (hour % 12) + (12 if afternoon else 0)


def from_serial(value: float) -> dt.datetime:
    if not SERIAL_RANGE[0] <= value <= SERIAL_RANGE[1]:
        raise NotADate(value)
    return EXCEL_EPOCH + dt.timedelta(days=float(value))


# Dates a commune's records can plausibly hold; outside them a date is a typo (year 1, 9999), refused in place.
# (Also keeps every date inside pandas' nanosecond range, 1677–2262.)
PLAUSIBLE_LOW = dt.date(1900, 1, 1)
PLAUSIBLE_HIGH = dt.date(2100, 12, 31)


class NotADate(ValueError):
    pass


def parse_datetime(value: Any) -> dt.datetime:
    """A naive local datetime (Asia/Ho_Chi_Minh wall time)."""
    if isinstance(value, dt.datetime):
        return value.astimezone(TZ).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        return parse_datetime(value.to_pydatetime())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return from_serial(value)
    if isinstance(value, str):
        text = " ".join(value.strip().split())
        m = _DMY.match(text)
        t = _TEXT.match(text)
        try:
            if m:
                d, mo, y, hh, mm, ss, mark = m.groups()
                return dt.datetime(year_of(y), int(mo), int(d), hour_of(int(hh or 0), mark), int(mm or 0), int(ss or 0))
            if t:
                return dt.datetime(int(t.group(3)), int(t.group(2)), int(t.group(1)))
            if _SERIAL.match(text):
                return from_serial(float(text.replace(",", ".")))
            return parse_datetime(dt.datetime.fromisoformat(text))
        except ValueError:
            raise NotADate(value) from None
    raise NotADate(value)


def parse_date(value: Any) -> dt.date:
    return parse_datetime(value).date()


def day(value: dt.date) -> int:
    """Days since 1970-01-01: the integer the vectorised engine compares."""
    return (value - EPOCH).days


def from_day(n: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(n))


def text(value: dt.date, lang: str = "en") -> str:
    return value.strftime("%d/%m/%Y") if lang == "vi" else value.isoformat()
