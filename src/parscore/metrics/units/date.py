"""`date`: the day something was done (a plan issued), as a day number in Vietnam's calendar."""
from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any, Mapping

from parscore.core import dates
from parscore.core.errors import Collector
from parscore.core.yamlio import Located
from parscore.metrics.columns import NO_DAY, col
from parscore.metrics.units.base import Unit, day_text, read_day

if TYPE_CHECKING:
    from parscore.metrics.values import MetricValue


class Date(Unit):
    name = "date"

    def columns(self, metric: str, keys: tuple[str, ...] = ()) -> list[str]:
        return [col(metric, "day"), col(metric, "state")]

    def absent(self, metric: str, keys: tuple[str, ...] = ()) -> dict[str, Any]:
        return {col(metric, "day"): NO_DAY}

    def cells(self, value: MetricValue, keys: tuple[str, ...] = ()) -> dict[str, Any]:
        return {col(value.name, "day"): value.day}

    def parse(self, c: Collector, doc: Located, path: tuple[object, ...], name: str, raw: Mapping[str, Any],
              loc: Mapping[str, Any], over_100: bool = False) -> dict[str, Any] | None:
        if "value" not in raw:
            c.add("metric_value_shape", metric=name, unit=self.name, wanted="value", **loc)
            return None
        day = read_day(c, doc, path + ("value",), raw["value"])
        return None if day is None else {"day": day}

    def entry(self, value: MetricValue) -> dict[str, Any]:
        return {"value": None if value.day is None else dates.from_day(value.day).isoformat()}

    def observed(self, value: MetricValue) -> Any:
        return dates.from_day(value.day) if value.day is not None else None

    def text(self, value: MetricValue, lang: str) -> str:
        return day_text(value.day, lang)

    def differs(self, reported: MetricValue, derived: MetricValue, tolerance_pp: Fraction) -> bool:
        return reported.day != derived.day
