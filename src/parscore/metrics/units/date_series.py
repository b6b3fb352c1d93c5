"""`date_series`: the days a series of reports was submitted (Q1…Q4), by key; a missing key was not submitted."""
from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any, Mapping

from parscore.core import dates
from parscore.core.errors import Collector
from parscore.core.yamlio import Located
from parscore.metrics.columns import NOT_SUBMITTED, col
from parscore.metrics.units.base import Unit, day_text, read_day

if TYPE_CHECKING:
    from parscore.metrics.values import MetricValue


class DateSeries(Unit):
    name = "date_series"

    def columns(self, metric: str, keys: tuple[str, ...] = ()) -> list[str]:
        return [col(f"{metric}@{k}", "day") for k in keys] + [col(metric, "state")]

    def absent(self, metric: str, keys: tuple[str, ...] = ()) -> dict[str, Any]:
        return {col(f"{metric}@{k}", "day"): NOT_SUBMITTED for k in keys}

    def cells(self, value: MetricValue, keys: tuple[str, ...] = ()) -> dict[str, Any]:
        out = {}
        for k in keys:
            day = value.series.get(k)
            out[col(f"{value.name}@{k}", "day")] = NOT_SUBMITTED if day is None else day
        return out

    def parse(self, c: Collector, doc: Located, path: tuple[object, ...], name: str, raw: Mapping[str, Any],
              loc: Mapping[str, Any], over_100: bool = False) -> dict[str, Any] | None:
        value = raw.get("value")
        if not isinstance(value, Mapping):
            c.add("metric_value_shape", metric=name, unit=self.name, wanted="value: {key: date or null}", **loc)
            return None
        vpath = path + ("value",)
        series: dict[str, int | None] = {}
        for key, v in value.items():
            series[str(key)] = None if v is None else read_day(c, doc, vpath + (key,), v)
        return {"series": series}

    def entry(self, value: MetricValue) -> dict[str, Any]:
        return {"value": {k: (None if d is None else dates.from_day(d).isoformat()) for k, d in sorted(value.series.items())}}

    def observed(self, value: MetricValue) -> Any:
        return {k: (dates.from_day(v) if v is not None else None) for k, v in sorted(value.series.items())}

    def text(self, value: MetricValue, lang: str) -> str:
        return ", ".join(f"{k}: {day_text(d, lang)}" for k, d in sorted(value.series.items()))

    def differs(self, reported: MetricValue, derived: MetricValue, tolerance_pp: Fraction) -> bool:
        return dict(reported.series) != dict(derived.series)
