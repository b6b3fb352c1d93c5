"""Working days for watch, in one place so that a holidays calendar can replace it.

Today this is the same rule the scoring path uses (`add_working_days` in the
derive vocabulary: Monday–Friday, `numpy.busday_*`); public holidays are not yet
known to parscore. Only `working_day_index` has to change when they are.
"""
from __future__ import annotations

import datetime as dt

import numpy as np

from parscore.core import dates


def day_index(day: dt.date) -> int:
    """Calendar days since 1970-01-01 (what the rules compare)."""
    return dates.day(day)


def working_day_index(day: dt.date) -> int:
    """Working days in [1970-01-01, day): two dates' difference counts the working days between them.

    A Saturday and the Monday after it have the same index, so "due within 1 working day"
    read on a Saturday means "due by Monday"."""
    return int(np.busday_count(dates.EPOCH, day))


def add_working_days(day: dt.date, n: int) -> dt.date:
    """`day` moved by `n` working days, rolled forward from a weekend (as derive does)."""
    out = np.busday_offset(np.datetime64(day, "D"), n, roll="forward")
    return dt.date.fromisoformat(str(out))


def from_day_index(n: int) -> dt.date:
    return dates.from_day(n)
