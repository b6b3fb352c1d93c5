"""`ratio`: a rate as exact counts (numerator / denominator), or a reported percentage."""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Mapping

import numpy as np

from parscore.core.errors import Collector
from parscore.core.numbers import NotANumber, display, fraction, parse_decimal
from parscore.core.yamlio import Located, where
from parscore.metrics.columns import col
from parscore.metrics.units.base import Unit, exact, na_or_none, read_int

if TYPE_CHECKING:
    from parscore.metrics.values import MetricValue


def percent_as_counts(value: Decimal) -> tuple[int, int]:
    """A reported percentage as exact integer counts: 97.35 -> 9735/10000."""
    exp = -value.as_tuple().exponent if value.as_tuple().exponent < 0 else 0  # type: ignore[operator]
    scale = 10 ** int(exp)
    return int(value * scale), 100 * scale


class Ratio(Unit):
    name = "ratio"
    percent = True

    def columns(self, metric: str, keys: tuple[str, ...] = ()) -> list[str]:
        return [col(metric, "num"), col(metric, "den"), col(metric, "state"), col(metric, "counted")]

    def absent(self, metric: str, keys: tuple[str, ...] = ()) -> dict[str, Any]:
        return {col(metric, "num"): 0, col(metric, "den"): 0, col(metric, "counted"): True}

    def cells(self, value: MetricValue, keys: tuple[str, ...] = ()) -> dict[str, Any]:
        return {col(value.name, "num"): value.num, col(value.name, "den"): value.den,
                col(value.name, "counted"): value.counted}

    def parse(self, c: Collector, doc: Located, path: tuple[object, ...], name: str, raw: Mapping[str, Any],
              loc: Mapping[str, Any], over_100: bool = False) -> dict[str, Any] | None:
        if "numerator" in raw or "denominator" in raw:
            if "numerator" not in raw or "denominator" not in raw:
                c.add("metric_value_shape", metric=name, unit=self.name, wanted="numerator + denominator", **loc)
                return None
            num = read_int(c, doc, path + ("numerator",), raw["numerator"])
            den = read_int(c, doc, path + ("denominator",), raw["denominator"])
            if num is None or den is None:
                return None
            if num > den and not over_100:
                c.add("num_over_den", numerator=num, denominator=den, **loc)
                return None
            return {"num": num, "den": den, "counted": True}
        if "value" not in raw:
            c.add("metric_value_shape", metric=name, unit=self.name, wanted="value (%) or numerator + denominator", **loc)
            return None
        vpath = path + ("value",)
        vloc = {"file": doc.file, "line": doc.line(vpath), "where": where(vpath)}
        if na_or_none(raw["value"]):
            c.add("nan", **vloc)
            return None
        try:
            d = parse_decimal(raw["value"], percent=True)
        except NotANumber as exc:
            c.add(exc.code, **exc.params, **vloc)
            return None
        if d < 0:
            c.add("negative", value=str(raw["value"]), **vloc)
            return None
        if d > 100 and not over_100:
            c.add("percent_over_100", value=str(raw["value"]), **vloc)
            return None
        num, den = percent_as_counts(d)
        return {"num": num, "den": den, "counted": False}

    def entry(self, value: MetricValue) -> dict[str, Any]:
        if value.counted:
            return {"numerator": value.num, "denominator": value.den}
        # a reported percentage was kept as counts over a power of ten (percent_as_counts): its decimals are exact
        return {"value": str(Decimal(100 * value.num) / Decimal(value.den))}

    def observed(self, value: MetricValue) -> Any:
        out: dict[str, Any] = {"rate_percent": Fraction(100 * value.num, value.den) if value.den else None}
        if value.counted:
            out.update(numerator=value.num, denominator=value.den)
        return out

    def text(self, value: MetricValue, lang: str) -> str:
        rate = display(Fraction(100 * value.num, value.den), 2, lang) + "%" if value.den else "—"
        return f"{rate} ({value.num}/{value.den})" if value.counted else rate

    def differs(self, reported: MetricValue, derived: MetricValue, tolerance_pp: Fraction) -> bool:
        if not reported.den or not derived.den:
            return bool(reported.den) != bool(derived.den)
        return abs(Fraction(100 * reported.num, reported.den) - Fraction(100 * derived.num, derived.den)) > tolerance_pp

    def add(self, value: MetricValue, inc: Mapping[str, Any]) -> dict[str, Any]:
        if "value" in inc:  # percentage points on a rate
            step = exact(inc["value"], percent=True)
            if step == 0:
                return {}  # nothing added: the value and how it was counted stay as they were
            rate = Fraction(100 * value.num, value.den) if value.den else Fraction(0)
            new = min(Fraction(100), max(Fraction(0), rate + step))
            return {"num": new.numerator, "den": 100 * new.denominator, "counted": False}  # exact counts
        den = value.den + int(exact(inc.get("denominator", 0)))
        return {"num": min(den, max(0, value.num + int(exact(inc.get("numerator", 0))))), "den": max(den, 0)}

    def step(self, value: MetricValue) -> str | None:
        if value.den == 0 or value.num >= value.den:
            return None  # nothing to count, or already at 100 %
        return "records" if value.counted else "percent"

    def sweep_range_ok(self, lo: Decimal, hi: Decimal, step: Decimal) -> bool:
        return 0 <= lo <= hi <= 100 and step > 0

    def sweep_cells(self, metric: str, values: tuple[Decimal, ...], idx: np.ndarray) -> dict[str, Any]:
        # every grid value over one common power-of-ten denominator, so each row is exact counts
        scale = max((-v.as_tuple().exponent for v in values if v.as_tuple().exponent < 0), default=0)  # type: ignore[operator]
        nums = np.array([percent_as_counts(v.quantize(Decimal(1).scaleb(-scale)) if scale else v)[0] for v in values],
                        dtype=np.int64)
        return {col(metric, "num"): nums[idx], col(metric, "den"): np.int64(100 * 10 ** scale),
                col(metric, "counted"): False}

    def threshold(self, value: Any) -> Fraction:
        return fraction(value, percent=True) / 100
