"""`bands`: a metric against ordered thresholds (e.g. on-time ≥ 99.9 % full, ≥ 95 % half, else 0)."""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, Mapping

import numpy as np

from parscore.kinds.base import (BY_POINTS, Kind, LeafView, Outcome, Recovery, absent_status, at_least, col,
                                 constant_points, ratio_facts, register, short, when_empty)
from parscore.core.numbers import exact_text, fraction
from parscore.core.text import Text
from parscore.metrics.units import UNITS


@dataclass(frozen=True)
class Band:
    at_least: Fraction  # a fraction of one for ratios, a count for counts
    points: Fraction
    strict: bool = False  # "trên 90%": the value must exceed the threshold

    def passed_by(self, value: Fraction) -> bool:
        return value > self.at_least if self.strict else value >= self.at_least

    @property
    def sign(self) -> str:
        return ">" if self.strict else "≥"


@dataclass(frozen=True)
class Params:
    metric: str
    bands: tuple[Band, ...]


@register
class Bands(Kind):
    name = "bands"
    metric_params = {"metric": ("ratio", "count")}
    fields = ("rate", "numerator", "denominator", "count", "threshold", "points", "max", "counts", "good", "metric_title")
    templates = {
        "ratio": Text("{metric_title}: {rate} ({numerator}/{denominator} {counts} {good}); mức {threshold} → {points}/{max} điểm.",
                      "{metric_title}: {rate} ({numerator}/{denominator} {counts} {good}); band {threshold} → {points}/{max} points."),
        "ratio_reported": Text("{metric_title}: {rate} (số báo cáo); mức {threshold} → {points}/{max} điểm.",
                               "{metric_title}: {rate} (reported); band {threshold} → {points}/{max} points."),
        "count": Text("{metric_title}: {count}; mức {threshold} → {points}/{max} điểm.",
                      "{metric_title}: {count}; band {threshold} → {points}/{max} points."),
    }

    def prepare(self, raw: Mapping[str, Any], max_points: Fraction, units: Mapping[str, str],
                report: Callable[..., None]) -> Params:
        unit = units["metric"]
        def threshold(b: Mapping[str, Any]) -> Fraction:
            value = b["above"] if "above" in b else b["at_least"]
            return UNITS[unit].threshold(value)
        bands = tuple(Band(threshold(b), fraction(b["points"]), "above" in b) for b in raw["bands"])
        for i, b in enumerate(bands):
            if b.points > max_points:
                report("points_over_max", ("bands", i, "points"), value=str(b.points), max=str(max_points))
            if UNITS[unit].percent and (b.at_least > 1 or (b.strict and b.at_least >= 1)):  # a rate never exceeds 100 %
                report("band_unreachable", ("bands", i), value=exact_text(100 * b.at_least))
        if any(a.at_least <= b.at_least or a.points <= b.points for a, b in zip(bands, bands[1:])):
            report("band_order", ("bands",))
        return Params(raw["metric"], bands)

    def _passes(self, leaf: LeafView, cols: Mapping[str, np.ndarray], band: Band) -> np.ndarray:
        m = leaf.metrics["metric"]
        t = band.at_least
        if UNITS[m.unit].percent:
            num, den = when_empty(m, cols[col(m.name, "num")], cols[col(m.name, "den")], cols[col(m.name, "state")])
            if band.strict:
                return (num * t.denominator > t.numerator * den) & (den > 0)
            return at_least(num, den, t) & (den > 0)
        n = cols[col(m.name, "n")]
        return n * t.denominator > t.numerator if band.strict else n * t.denominator >= t.numerator

    def evaluate(self, leaf: LeafView, cols: Mapping[str, np.ndarray], n: int) -> Outcome:
        p: Params = leaf.params
        m = leaf.metrics["metric"]
        clause = np.full(n, len(p.bands), dtype=np.int16)
        for i in range(len(p.bands) - 1, -1, -1):
            clause = np.where(self._passes(leaf, cols, p.bands[i]), np.int16(i), clause)
        table, den = constant_points([b.points for b in p.bands] + [Fraction(0)])
        state = cols[col(m.name, "state")]
        na = when_empty(m, cols[col(m.name, "num")], cols[col(m.name, "den")], state)[1] == 0 if UNITS[m.unit].percent else None
        status = absent_status(state, np.full(n, BY_POINTS, dtype=np.int8), na)
        return Outcome(table[clause], np.full(n, den, dtype=np.int64), status, clause)

    def facts(self, leaf: LeafView, row: Mapping[str, Any]) -> dict[str, Any]:
        p: Params = leaf.params
        m = leaf.metrics["metric"]
        if UNITS[m.unit].percent:
            facts = ratio_facts(leaf, row)
            value = facts.get("rate")
            value = None if value is None else value / 100
            facts["template"] = "ratio" if facts.get("counted", True) else "ratio_reported"
        else:
            facts = {"metric": m.name, "metric_title": m.title, "state": int(row[col(m.name, "state")]),
                     "count": int(row[col(m.name, "n")]), "template": "count"}
            value = Fraction(facts["count"])
        reached = [b for b in p.bands if value is not None and b.passed_by(value)]
        band = reached[0] if reached else None
        scale = 100 if UNITS[m.unit].percent else 1
        facts["band"] = band
        cut = band.at_least if band else p.bands[-1].at_least
        sign = f"{band.sign} " if band else ("≤ " if p.bands[-1].strict else "< ")
        facts["threshold"] = Text(sign + short(cut * scale, "vi", m.unit), sign + short(cut * scale, "en", m.unit))
        facts["unit"] = m.unit
        return facts

    def requirement(self, leaf: LeafView) -> Text:
        p: Params = leaf.params
        m = leaf.metrics["metric"]
        scale = 100 if UNITS[m.unit].percent else 1
        vi = "; ".join(f"{b.sign} {short(b.at_least * scale, 'vi', m.unit)}: {short(b.points, 'vi')} điểm" for b in p.bands)
        en = "; ".join(f"{b.sign} {short(b.at_least * scale, 'en', m.unit)}: {short(b.points, 'en')} points" for b in p.bands)
        return Text(f"{m.title.vi} — {vi}; thấp hơn: 0 điểm", f"{m.title.en} — {en}; below: 0 points")

    def to_recover(self, leaf: LeafView, facts: Mapping[str, Any], points: Fraction) -> Recovery | None:
        p: Params = leaf.params
        better = [b for b in p.bands if b.points > points]
        if not better or facts.get("state") != 0:
            return None
        target = better[-1]  # the nearest band above the current one
        m = leaf.metrics["metric"]
        if not UNITS[m.unit].percent:
            need = math.floor(target.at_least) + 1 if target.strict else math.ceil(target.at_least)
            return Recovery("more_events", m.name, Fraction(need - facts["count"]), "events", target.points - points, target.points)
        num, den = facts.get("numerator"), facts.get("denominator")
        if not den or num is None:
            return None
        if facts.get("counted"):
            need = target.at_least * den
            k = (math.floor(need) + 1 if target.strict else math.ceil(need)) - num
            return Recovery("more_good", m.name, Fraction(k), "records", target.points - points, target.points)
        return Recovery("raise_rate", m.name, target.at_least * 100 - Fraction(100 * num, den), "percent",
                        target.points - points, target.points)

    def steps(self, leaf: LeafView, facts: Mapping[str, Any], points: Fraction, rec: Any) -> list[Fraction]:
        # the bands above the next one: step k is the amount that reaches band k
        out = [rec.amount or Fraction(1)]
        for band in leaf.params.bands:
            if band.points > points and facts.get("denominator"):
                if rec.unit == "records":
                    need = band.at_least * facts["denominator"]
                    out.append(Fraction((math.floor(need) + 1 if band.strict else math.ceil(need)) - facts["numerator"]))
                elif rec.unit == "percent":
                    out.append(band.at_least * 100 - Fraction(100 * facts["numerator"], facts["denominator"]))
        return out
