"""What every unit answers, and the registry that refuses a unit twice."""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar, Mapping

import numpy as np

from parscore.core import dates
from parscore.core.errors import Collector
from parscore.core.numbers import MAX_INTEGER_DIGITS, NotANumber, fraction, is_nan, parse_decimal
from parscore.core.yamlio import Located, where
from parscore.metrics.columns import col

if TYPE_CHECKING:
    from parscore.metrics.values import MetricValue


class Unit:
    name: ClassVar[str]
    percent: ClassVar[bool] = False  # thresholds and sweeps are written in percent
    step_unit: ClassVar[str | None] = None  # what one step of improvement is: records | percent | events

    def columns(self, metric: str, keys: tuple[str, ...] = ()) -> list[str]:
        """Frame columns holding the metric, its state last."""
        raise NotImplementedError

    def absent(self, metric: str, keys: tuple[str, ...] = ()) -> dict[str, Any]:
        """Frame cells of an absent value (besides its state)."""
        raise NotImplementedError

    def cells(self, value: MetricValue, keys: tuple[str, ...] = ()) -> dict[str, Any]:
        """Frame cells of a present value (besides its state)."""
        raise NotImplementedError

    def parse(self, c: Collector, doc: Located, path: tuple[object, ...], name: str, raw: Mapping[str, Any],
              loc: Mapping[str, Any], over_100: bool = False) -> dict[str, Any] | None:
        """The fields of a `MetricValue` from a `metrics.yaml` entry; problems go to `c`, then None."""
        raise NotImplementedError

    def observed(self, value: MetricValue) -> Any:
        raise NotImplementedError

    def text(self, value: MetricValue, lang: str) -> str:
        raise NotImplementedError

    def differs(self, reported: MetricValue, derived: MetricValue, tolerance_pp: Fraction) -> bool:
        raise NotImplementedError

    def entry(self, value: MetricValue) -> dict[str, Any]:
        """A present value as the `metrics.yaml` entry that `parse` reads back to the same value (a scenario's `set:`)."""
        raise NotImplementedError

    def add(self, value: MetricValue, inc: Mapping[str, Any]) -> dict[str, Any]:
        """The fields that change when `inc` is added (see `metrics.values.added`); {} when nothing can be added."""
        return {}

    def step(self, value: MetricValue) -> str | None:
        """The unit of one more step of improvement of this value, or None when it cannot improve."""
        return None

    def sweep_range_ok(self, lo: Decimal, hi: Decimal, step: Decimal) -> bool:
        return False

    def sweep_cells(self, metric: str, values: tuple[Decimal, ...], idx: np.ndarray) -> dict[str, Any]:
        raise NotImplementedError(self.name)

    def threshold(self, value: Any) -> Fraction:
        """A threshold written in a framework, in the metric's own scale (percent → fraction of one)."""
        raise NotImplementedError(self.name)

    def state_column(self, metric: str) -> str:
        return col(metric, "state")


class UnitRegistry(dict[str, Unit]):
    def register(self, unit: Unit) -> None:
        if unit.name in self:
            raise ValueError(f"unit {unit.name!r} is registered twice")
        self[unit.name] = unit


UNITS = UnitRegistry()
_INT_LIMIT = 10 ** MAX_INTEGER_DIGITS  # parse_decimal refuses a number this large


# ---- reading helpers shared by the units -----------------------------------------------------

def read_int(c: Collector, doc: Located, path: tuple[object, ...], value: Any) -> int | None:
    if type(value) is int and 0 <= value < _INT_LIMIT:
        return value  # what the checks below give a plain count (most of a metrics.yaml), without them
    loc = {"file": doc.file, "line": doc.line(path), "where": where(path)}
    if value is None or is_nan(value):
        c.add("nan", **loc)
        return None
    try:
        d = parse_decimal(value)
    except NotANumber as exc:
        c.add(exc.code, **exc.params, **loc)
        return None
    if d < 0:
        c.add("negative", value=str(value), **loc)
        return None
    if d != d.to_integral_value():
        c.add("not_integer", value=str(value), **loc)
        return None
    return int(d)


def read_day(c: Collector, doc: Located, path: tuple[object, ...], value: Any) -> int | None:
    try:
        day = dates.parse_date(value)
        if not dates.PLAUSIBLE_LOW <= day <= dates.PLAUSIBLE_HIGH:
            c.add("date_out_of_range", value=str(value), file=doc.file, line=doc.line(path), where=where(path),
                  low=dates.PLAUSIBLE_LOW.year, high=dates.PLAUSIBLE_HIGH.year)
            return None
        return dates.day(day)
    except dates.NotADate:
        c.add("bad_date", value=str(value), file=doc.file, line=doc.line(path), where=where(path))
        return None


def day_text(day: int | None, lang: str) -> str:
    return dates.text(dates.from_day(day), lang) if day is not None else "—"


def na_or_none(value: Any) -> bool:
    return value is None or is_nan(value)


def exact(v: Any, percent: bool = False) -> Fraction:
    """An increment as an exact number (a Fraction or int as it is; text through the one number parser,
    which takes a trailing % where `percent`)."""
    return v if isinstance(v, Fraction) else Fraction(v) if isinstance(v, int) else fraction(v, percent=percent)
