"""Metric units, one module each: what a metric's value is, how it lives in the frame, reads and reads back.

A unit owns every question whose answer depends on the kind of figure: its frame
columns and their values, how a reported value is parsed, shown and compared with
the records' own, whether it can be swept and what one step of improvement is.
Nothing outside this package branches on a unit's name (a test checks it).
"""
from __future__ import annotations

from parscore.metrics.units.base import UNITS, Unit
from parscore.metrics.units.count import Count
from parscore.metrics.units.date import Date
from parscore.metrics.units.date_series import DateSeries
from parscore.metrics.units.ratio import Ratio

for _unit in (Ratio(), Count(), Date(), DateSeries()):
    UNITS.register(_unit)

__all__ = ["UNITS", "Unit"]
