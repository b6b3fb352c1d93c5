"""Dates as the commune reads them: local dates in Asia/Ho_Chi_Minh.

Accepts ISO (2025-03-10), Vietnamese dd/mm/yyyy (10/03/2025), YAML/Excel date
and datetime values; an aware datetime is converted to Vietnam's local date
before its day is taken, so a deadline at 23:30 UTC+7 is not moved a day.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
EPOCH = dt.date(1970, 1, 1)
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


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
    if isinstance(value, str):
        text = value.strip()
        m = _DMY.match(text)
        try:
            if m:
                d, mo, y, hh, mm, ss = m.groups()
                return dt.datetime(int(y), int(mo), int(d), int(hh or 0), int(mm or 0), int(ss or 0))
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
