"""`pro_rata`: full points from a threshold; below it rate × max / threshold (QĐ 766/QĐ-TTg style)."""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, Mapping

import numpy as np

from parscore.kinds.base import (BY_POINTS, Kind, LeafView, Outcome, Recovery, absent_status, at_least, percent,
                                 ratio_facts, ratio_state, register, short)
from parscore.core.text import Text


@dataclass(frozen=True)
class Params:
    metric: str
    full_from: Fraction  # fraction of one
    floor: Fraction | None


@register
class ProRata(Kind):
    name = "pro_rata"
    clauses = ("full", "pro_rata", "below_floor")
    fields = ("rate", "numerator", "denominator", "full_from", "points", "max", "counts", "good", "metric_title")
    templates = {
        "full": Text("{metric_title}: {rate} ({numerator}/{denominator} {counts} {good}) ≥ {full_from} → đủ {max} điểm.",
                     "{metric_title}: {rate} ({numerator}/{denominator} {counts} {good}) ≥ {full_from} → full {max} points."),
        "pro_rata": Text("{metric_title}: {rate} ({numerator}/{denominator} {counts} {good}) < {full_from} → tính tỷ lệ: {rate} × {max} / {full_from} = {points} điểm.",
                         "{metric_title}: {rate} ({numerator}/{denominator} {counts} {good}) < {full_from} → pro rata: {rate} × {max} / {full_from} = {points} points."),
        "full_reported": Text("{metric_title}: {rate} (số báo cáo) ≥ {full_from} → đủ {max} điểm.",
                              "{metric_title}: {rate} (reported) ≥ {full_from} → full {max} points."),
        "pro_rata_reported": Text("{metric_title}: {rate} (số báo cáo) < {full_from} → tính tỷ lệ: {rate} × {max} / {full_from} = {points} điểm.",
                                  "{metric_title}: {rate} (reported) < {full_from} → pro rata: {rate} × {max} / {full_from} = {points} points."),
        "below_floor": Text("{metric_title}: {rate} dưới mức sàn {floor} → 0 điểm.",
                            "{metric_title}: {rate} is below the floor {floor} → 0 points."),
    }

    def prepare(self, raw: Mapping[str, Any], max_points: Fraction, units: Mapping[str, str],
                report: Callable[..., None]) -> Params:
        floor = percent(raw["floor"]) if "floor" in raw else None
        full = percent(raw["full_from"])
        if not 0 < full <= 1:
            report("percent_over_100", ("full_from",), value=str(raw["full_from"]))
        return Params(raw["metric"], full, floor)

    def evaluate(self, leaf: LeafView, cols: Mapping[str, np.ndarray], n: int) -> Outcome:
        p: Params = leaf.params
        num, den, state = ratio_state(leaf, cols)
        mx, t = leaf.max_points, p.full_from
        full = at_least(num, den, t)
        zero_den = den == 0
        safe_den = np.where(zero_den, 1, den) if zero_den.any() else den
        # points = max * (num/den) / t, exact: (mx.n * num * t.d) / (mx.d * den * t.n)
        pn = mx.numerator * t.denominator * num
        pd = mx.denominator * t.numerator * safe_den
        clause = (~full).astype(np.int16)
        if p.floor is not None:
            clause = np.where(~full & ~at_least(num, den, p.floor), np.int16(2), clause)
        # Left unreduced on purpose: np.gcd is the slowest step here, and Fraction reduces when a record is built.
        # Over the common denominator pd = max.d * t.n * den, full points are max.n * t.n * den.
        pts_n = np.where(full, mx.numerator * t.numerator * safe_den, pn)
        if p.floor is not None:
            pts_n = np.where(clause == 2, 0, pts_n)
        status = absent_status(state, np.full(n, BY_POINTS, dtype=np.int8), zero_den)
        return Outcome(pts_n, pd, status, clause)

    def facts(self, leaf: LeafView, row: Mapping[str, Any]) -> dict[str, Any]:
        p: Params = leaf.params
        facts = ratio_facts(leaf, row)
        facts["full_from"] = Text(short(p.full_from * 100, "vi", "ratio"), short(p.full_from * 100, "en", "ratio"))
        if p.floor is not None:
            facts["floor"] = Text(short(p.floor * 100, "vi", "ratio"), short(p.floor * 100, "en", "ratio"))
        return facts

    def requirement(self, leaf: LeafView) -> Text:
        p: Params = leaf.params
        m = leaf.metrics["metric"]
        vi = (f"{m.title.vi} — từ {short(p.full_from * 100, 'vi', 'ratio')}: đủ điểm; thấp hơn: tỷ lệ × điểm tối đa / "
              f"{short(p.full_from * 100, 'vi', 'ratio')}")
        en = (f"{m.title.en} — from {short(p.full_from * 100, 'en', 'ratio')}: full points; below: rate × max / "
              f"{short(p.full_from * 100, 'en', 'ratio')}")
        if p.floor is not None:
            vi += f"; dưới {short(p.floor * 100, 'vi', 'ratio')}: 0 điểm"
            en += f"; below {short(p.floor * 100, 'en', 'ratio')}: 0 points"
        return Text(vi, en)

    def to_recover(self, leaf: LeafView, facts: Mapping[str, Any], points: Fraction) -> Recovery | None:
        p: Params = leaf.params
        if facts.get("state") != 0 or points >= leaf.max_points or not facts.get("denominator"):
            return None
        num, den = facts["numerator"], facts["denominator"]
        per_record = leaf.max_points / (p.full_from * den)
        if facts.get("counted"):
            k = math.ceil(p.full_from * den - num)
            return Recovery("more_good", leaf.metrics["metric"].name, Fraction(k), "records", leaf.max_points - points,
                            leaf.max_points, {"per_unit": per_record})
        gap = p.full_from * 100 - Fraction(100 * num, den)
        return Recovery("raise_rate", leaf.metrics["metric"].name, gap, "percent", leaf.max_points - points,
                        leaf.max_points, {"per_unit": leaf.max_points / (p.full_from * 100)})

    def steps(self, leaf: LeafView, facts: Mapping[str, Any], points: Fraction, rec: Any) -> list[Fraction]:
        # pro rata earns along the way: offer quarter steps of the way to full points too
        out = [rec.amount or Fraction(1)]
        if rec.amount and rec.amount > 1:
            out += [Fraction(math.ceil(rec.amount * q)) if rec.unit != "percent" else rec.amount * q
                    for q in (Fraction(1, 4), Fraction(1, 2), Fraction(3, 4))]
        return out
