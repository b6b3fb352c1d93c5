"""`count`: a whole number of occurrences (models recognised, dialogues held, misconduct cases)."""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Mapping

import numpy as np

from parscore.core.errors import Collector
from parscore.core.numbers import fraction
from parscore.core.yamlio import Located
from parscore.metrics.columns import col
from parscore.metrics.units.base import Unit, exact, read_int

if TYPE_CHECKING:
    from parscore.metrics.values import MetricValue


class Count(Unit):
    name = "count"
    step_unit = "events"

    def columns(self, metric: str, keys: tuple[str, ...] = ()) -> list[str]:
        return [col(metric, "n"), col(metric, "state")]

    def absent(self, metric: str, keys: tuple[str, ...] = ()) -> dict[str, Any]:
        return {col(metric, "n"): 0}

    def cells(self, value: MetricValue, keys: tuple[str, ...] = ()) -> dict[str, Any]:
        return {col(value.name, "n"): value.n}

    def parse(self, c: Collector, doc: Located, path: tuple[object, ...], name: str, raw: Mapping[str, Any],
              loc: Mapping[str, Any], over_100: bool = False) -> dict[str, Any] | None:
        if "value" not in raw:
            c.add("metric_value_shape", metric=name, unit=self.name, wanted="value", **loc)
            return None
        n = read_int(c, doc, path + ("value",), raw["value"])
        return None if n is None else {"n": n}

    def entry(self, value: MetricValue) -> dict[str, Any]:
        return {"value": value.n}

    def observed(self, value: MetricValue) -> Any:
        return value.n

    def text(self, value: MetricValue, lang: str) -> str:
        return str(value.n)

    def differs(self, reported: MetricValue, derived: MetricValue, tolerance_pp: Fraction) -> bool:
        return reported.n != derived.n

    def add(self, value: MetricValue, inc: Mapping[str, Any]) -> dict[str, Any]:
        return {"n": max(0, value.n + int(exact(inc.get("value", 0))))}

    def step(self, value: MetricValue) -> str | None:
        return "events"

    def sweep_range_ok(self, lo: Decimal, hi: Decimal, step: Decimal) -> bool:
        return 0 <= lo <= hi and step > 0 and step == step.to_integral_value() and lo == lo.to_integral_value()

    def sweep_cells(self, metric: str, values: tuple[Decimal, ...], idx: np.ndarray) -> dict[str, Any]:
        return {col(metric, "n"): np.array([int(v) for v in values], dtype=np.int64)[idx]}

    def threshold(self, value: Any) -> Fraction:
        return fraction(value)
