"""`ratio_between`: a rate that must stay inside a band, e.g. budget revenue above 100 % of the estimate
(and, where a plan says so, no more than 110 %). Full points inside the band, zero outside.

The band's ends are written as in the plans: `low: {at_least: 100}` or `low: {above: 100}` ("vượt", "trên"),
`high: {at_most: 110}` or `high: {below: 110}`; either end may be absent. The rate may exceed 100 % when its
metric allows it (`may_exceed_100` in the catalogue).
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, Mapping

import numpy as np

from parscore.core import messages
from parscore.core.numbers import fraction
from parscore.core.text import Text
from parscore.kinds.base import (BY_POINTS, Kind, LeafView, Outcome, Recovery, absent_status, ratio_facts, ratio_state,
                                 register, short)


messages.add(owner=__name__, errors={
    "band_needs_an_end": (
        "cần ít nhất một đầu khoảng: low hoặc high", "thêm 'low: {{at_least: 100}}' hoặc 'high: {{at_most: 110}}'",
        "the band needs at least one end: low or high", "add 'low: {{at_least: 100}}' or 'high: {{at_most: 110}}'"),
    "band_empty": (
        "khoảng rỗng: đầu trên {high}% không lớn hơn đầu dưới {low}%", "đặt đầu trên lớn hơn đầu dưới",
        "the band is empty: its upper end {high}% is not above its lower end {low}%", "make the upper end exceed the lower"),
})


@dataclass(frozen=True)
class End:
    percent: Fraction
    strict: bool  # "above" / "below": the rate may not equal it

    def sign(self, low: bool) -> str:
        return (">" if self.strict else "≥") if low else ("<" if self.strict else "≤")


@dataclass(frozen=True)
class Params:
    metric: str
    low: End | None
    high: End | None


def _end(raw: Mapping[str, Any] | None, strict_key: str, plain_key: str) -> End | None:
    if not raw:
        return None
    strict = strict_key in raw
    return End(fraction(raw[strict_key if strict else plain_key]), strict)


@register
class RatioBetween(Kind):
    name = "ratio_between"
    clauses = ("inside", "below_low", "above_high")
    monotone = False  # more of the rate can leave the band through its upper end
    fields = ("rate", "numerator", "denominator", "low", "high", "points", "max", "metric_title")
    templates = {
        "inside": Text("{metric_title}: {rate}, trong khoảng yêu cầu → đủ {max} điểm.",
                       "{metric_title}: {rate}, inside the required band → full {max} points."),
        "below_low": Text("{metric_title}: {rate}, chưa đạt mức {low} → 0 điểm.",
                          "{metric_title}: {rate}, short of {low} → 0 points."),
        "above_high": Text("{metric_title}: {rate}, vượt mức trên {high} → 0 điểm.",
                           "{metric_title}: {rate}, beyond the upper end {high} → 0 points."),
        "not_applicable": Text("{metric_title}: không áp dụng trong kỳ.", "{metric_title}: not applicable in the period."),
    }

    def prepare(self, raw: Mapping[str, Any], max_points: Fraction, units: Mapping[str, str],
                report: Callable[..., None]) -> Params:
        low, high = _end(raw.get("low"), "above", "at_least"), _end(raw.get("high"), "below", "at_most")
        if low is None and high is None:
            report("band_needs_an_end", ())
        elif low is not None and high is not None and (high.percent < low.percent or
                                                       (high.percent == low.percent and (low.strict or high.strict))):
            report("band_empty", ("high",), low=str(low.percent), high=str(high.percent))
        return Params(raw["metric"], low, high)

    def evaluate(self, leaf: LeafView, cols: Mapping[str, np.ndarray], n: int) -> Outcome:
        p: Params = leaf.params
        num, den, state = ratio_state(leaf, cols)
        # Exact comparisons on integer counts: num/den against percent/100, as num*100*q (op) p*den.
        below = np.zeros(n, dtype=bool)
        above = np.zeros(n, dtype=bool)
        if p.low is not None:
            lhs, rhs = num * 100 * p.low.percent.denominator, p.low.percent.numerator * den
            below = lhs <= rhs if p.low.strict else lhs < rhs
        if p.high is not None:
            lhs, rhs = num * 100 * p.high.percent.denominator, p.high.percent.numerator * den
            above = lhs >= rhs if p.high.strict else lhs > rhs
        inside = ~below & ~above & (den > 0)
        mx = leaf.max_points
        status = absent_status(state, np.full(n, BY_POINTS, dtype=np.int8), den == 0)
        clause = np.where(inside, 0, np.where(below, 1, 2)).astype(np.int16)
        return Outcome(np.where(inside, mx.numerator, 0).astype(np.int64), np.full(n, mx.denominator, dtype=np.int64),
                       status, clause)

    def facts(self, leaf: LeafView, row: Mapping[str, Any]) -> dict[str, Any]:
        p: Params = leaf.params
        facts = ratio_facts(leaf, row)
        facts["low"] = "—" if p.low is None else f"{p.low.sign(True)} {short(p.low.percent, 'vi')}%"
        facts["high"] = "—" if p.high is None else f"{p.high.sign(False)} {short(p.high.percent, 'vi')}%"
        return facts

    def requirement(self, leaf: LeafView) -> Text:
        p: Params = leaf.params
        m = leaf.metrics["metric"]
        parts_vi, parts_en = [], []
        if p.low is not None:
            parts_vi.append(f"{'trên' if p.low.strict else 'từ'} {short(p.low.percent, 'vi')}%")
            parts_en.append(f"{'above' if p.low.strict else 'at least'} {short(p.low.percent, 'en')}%")
        if p.high is not None:
            parts_vi.append(f"{'dưới' if p.high.strict else 'không quá'} {short(p.high.percent, 'vi')}%")
            parts_en.append(f"{'below' if p.high.strict else 'at most'} {short(p.high.percent, 'en')}%")
        return Text(f"{m.title.vi} — {' và '.join(parts_vi)}: đủ điểm; ngoài khoảng: 0",
                    f"{m.title.en} — {' and '.join(parts_en)}: full points; outside: 0")

    def to_recover(self, leaf: LeafView, facts: Mapping[str, Any], points: Fraction) -> Recovery | None:
        p: Params = leaf.params
        if facts.get("state") != 0 or points >= leaf.max_points or not facts.get("denominator") or p.low is None:
            return None
        rate = facts["rate"]
        if rate > p.low.percent or (rate == p.low.percent and not p.low.strict):
            return None  # above the band: there is no recovery by improving the rate
        # the smallest rise into the band: to the lower end (just past it when strict, by a hundredth of a point)
        amount = p.low.percent - rate + (Fraction(1, 100) if p.low.strict else 0)
        return Recovery("raise_rate", leaf.metrics["metric"].name, amount, "percent", leaf.max_points - points,
                        leaf.max_points)
