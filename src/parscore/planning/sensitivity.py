"""Sensitivity: which metrics move the score most, near the commune's current values.

For every metric the framework reads, two changes are scored in one vectorised call:
one more unit (a record, a percentage point for a reported rate, an event), and the
change that reaches the nearest threshold within reach (from the leaves' `to_recover`).
Metrics are ranked by points per unit of the better of the two.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from parscore.evidence.bundle import Bundle
from parscore.scoring.engine import score_frame
from parscore.scoring.frame import Subject, build_frame
from parscore.criteria.framework import Framework
from parscore.kinds.actions import improvement
from parscore.metrics.units import UNITS
from parscore.metrics.columns import PRESENT
from parscore.planning.plan import Option, _change
from parscore.scoring.result import Result


@dataclass(frozen=True)
class Lever:
    metric: str
    unit: str  # records | percent | events
    leaves: tuple[str, ...]
    per_unit: Fraction  # points for one more unit
    threshold_amount: Fraction | None  # units to the nearest threshold within reach
    threshold_gain: Fraction | None
    best_per_unit: Fraction


def levers(fw: Framework, bundle: Bundle, baseline: Result) -> list[Lever]:
    units = {m.name: m.unit for leaf in fw.leaves for m in leaf.view.metrics.values()}
    rows: list[tuple[str, str, Fraction, str]] = []
    for name, unit in units.items():
        value = bundle.metrics.get(name)
        if value is None or value.state != PRESENT:
            continue
        step = improvement(UNITS[unit].step(value))
        if step is None:
            continue
        kind, u = step
        rows.append((name, kind, Fraction(1), u))
        recs = [leaf.to_recover for leaf in baseline.leaves if leaf.to_recover and leaf.to_recover.metric == name and leaf.to_recover.amount]
        if recs:
            nearest = min(recs, key=lambda r: r.amount)  # type: ignore[arg-type, return-value]
            if nearest.amount != 1:
                rows.append((name, kind, nearest.amount, u))  # type: ignore[arg-type]
    subjects = [Subject("baseline", bundle.metrics, bundle.manual)]
    for name, kind, amount, u in rows:
        opt = Option(name, kind, amount, u, Fraction(0), Fraction(0), ())
        subjects.append(Subject(f"{name}+{amount}", {**bundle.metrics, name: _change(bundle.metrics.get(name), opt, bundle, units[name])}, bundle.manual))
    table = score_frame(fw, build_frame(fw, subjects), subjects)
    base = table.exact_total(0)[0]
    found: dict[str, dict[str, object]] = {}
    for i, (name, kind, amount, u) in enumerate(rows, start=1):
        gain = table.exact_total(i)[0] - base
        entry = found.setdefault(name, {"unit": u, "per_unit": Fraction(0), "t_amount": None, "t_gain": None})
        if amount == 1:
            entry["per_unit"] = gain
        else:
            entry["t_amount"], entry["t_gain"] = amount, gain
    out = []
    for name, e in found.items():
        per_unit = e["per_unit"]
        t_amount, t_gain = e["t_amount"], e["t_gain"]
        best: Fraction = max(per_unit, (t_gain / t_amount) if t_amount else Fraction(0))  # type: ignore[call-overload, operator]
        if best <= 0 and not t_gain:
            continue
        leaves = tuple(leaf.id for leaf in fw.leaves if any(m.name == name for m in leaf.view.metrics.values()))
        out.append(Lever(name, e["unit"], leaves, per_unit, t_amount, t_gain, best))  # type: ignore[arg-type]
    return sorted(out, key=lambda lv: (-lv.best_per_unit, lv.metric))
