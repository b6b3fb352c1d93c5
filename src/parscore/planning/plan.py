"""Goal seeking: the cheapest set of improvements that reaches a target index or class.

Candidate actions come from every leaf's `to_recover` (the smallest change that earns
its next points) and from the steps beyond it, grouped by metric, since one metric
can feed several leaves. Each candidate is scored in one vectorised call, so its gain
is the exact change of the whole framework's total. Then:

- exact: every combination (at most one level per metric) is tried when there are few;
- greedy otherwise: the best points-per-cost increment first. When each metric's
  increments have non-increasing points per cost, the greedy plan costs at most the
  optimum plus the cost of its last increment (the covering-knapsack bound); the
  result says whether that condition held.

The plan is then applied as a scenario and scored again: the index it announces is
the one the engine computes, not an estimate.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Mapping, Sequence

from parscore.core import dates
from parscore.evidence.bundle import Bundle
from parscore.scoring.engine import score_frame
from parscore.scoring.frame import build_frame, bundle_subject
from parscore.criteria.framework import Framework, Leaf
from parscore.metrics.columns import PRESENT
from parscore.scoring.result import Result
from parscore.kinds.actions import ACTIONS
from parscore.planning.scenario import Scenario, apply_to_bundle
from parscore.scoring.assemble import score_loaded
from parscore.metrics.catalogue import Catalogue
from parscore.core.text import Text
from parscore.metrics.values import MetricValue, Provenance

EXACT_LIMIT = 50_000  # combinations tried exhaustively at most
DEFAULT_COSTS = ACTIONS.default_costs()


@dataclass(frozen=True)
class Option:
    metric: str
    action: str
    amount: Fraction
    unit: str
    gain: Fraction  # exact change of the framework's total points
    cost: Fraction
    leaves: tuple[str, ...]


@dataclass(frozen=True)
class Step:
    option: Option
    gain: Fraction  # this step's own gain (the increment over the metric's previous level)
    cost: Fraction
    running_points: Fraction
    running_index: Fraction | None
    text: Text


@dataclass(frozen=True)
class Plan:
    target_index: Fraction
    reached: bool
    method: str  # exact | greedy
    bound_holds: bool | None  # greedy only: whether the stated bound applies
    steps: tuple[Step, ...]
    total_cost: Fraction
    baseline: Result
    final: Result  # the plan applied as a scenario and scored
    best_reachable_index: Fraction | None
    scenario: Scenario | None = None  # the plan as the scenario `final` was scored with (`scenario_document` writes it)


def _change(value: MetricValue | None, option: Option, bundle: Bundle, unit: str) -> MetricValue:
    base = value or MetricValue(option.metric, unit, state=PRESENT, provenance=Provenance("scenario"))
    apply = ACTIONS[option.action].apply
    assert apply is not None, option.action  # only plannable actions become options
    return apply(base, option.amount, dates.day(bundle.period_end))


def _candidates(fw: Framework, result: Result, excluded: set[str]) -> dict[str, list[tuple[str, Fraction, str]]]:
    """(action, amount, unit) levels per metric, from every leaf's next step and, for rates, the steps beyond."""
    levels: dict[str, list[tuple[str, Fraction, str]]] = {}
    for leaf in result.leaves:
        rec = leaf.to_recover
        if rec is None or rec.metric is None or rec.action in excluded or rec.metric in excluded or not ACTIONS[rec.action].plannable:
            continue
        fw_leaf = fw.get(leaf.id)
        assert isinstance(fw_leaf, Leaf)
        amounts = fw_leaf.kind_impl.steps(fw_leaf.view, leaf.facts, leaf.points, rec)
        for a in amounts:
            if a > 0 and (rec.action, a, rec.unit) not in levels.setdefault(rec.metric, []):
                levels[rec.metric].append((rec.action, a, rec.unit))
    return {m: sorted(v, key=lambda x: x[1]) for m, v in levels.items()}


def _cost(costs: Mapping[str, Any], option_action: str, metric: str, amount: Fraction) -> Fraction:
    per = costs.get("metrics", {}).get(metric)
    if per is None:
        per = costs.get("actions", {}).get(option_action, DEFAULT_COSTS[option_action])
    return Fraction(per) * (amount if ACTIONS[option_action].per_unit else 1)


def make_plan(fw: Framework, bundle: Bundle, target_index: Fraction, catalogue: Catalogue,
              costs: Mapping[str, Any] | None = None, score: Any = None) -> Plan:
    """The cheapest improvements found that reach `target_index` (percent)."""
    costs = costs or {}
    excluded = set(costs.get("exclude", ()))
    score = score or (lambda b: score_loaded(fw, b))
    baseline = score(bundle)
    levels = _candidates(fw, baseline, excluded)
    units = {leaf.view.metrics[p].name: leaf.view.metrics[p].unit for leaf in fw.leaves for p in leaf.view.metrics}
    # Score every single-metric level in one vectorised call: row 0 is the baseline.
    flat = [(m, a, amt, u) for m, opts in levels.items() for a, amt, u in opts]
    subjects = [bundle_subject(bundle, "baseline")]
    for m, a, amt, u in flat:
        opt = Option(m, a, amt, u, Fraction(0), Fraction(0), ())
        subjects.append(bundle_subject(bundle, f"{m}+{amt}", {**bundle.metrics, m: _change(bundle.metrics.get(m), opt, bundle, units[m])}))
    table = score_frame(fw, build_frame(fw, subjects), subjects)
    base_points, base_max, _ = table.exact_total(0)
    options: dict[str, list[Option]] = {}
    for i, (m, a, amt, u) in enumerate(flat, start=1):
        gain = table.exact_total(i)[0] - base_points
        if gain > 0:
            leaves = tuple(leaf.id for leaf in fw.leaves if any(x.name == m for x in leaf.view.metrics.values()))
            options.setdefault(m, []).append(Option(m, a, amt, u, gain, _cost(costs, a, m, amt), leaves))
    for m in options:  # keep only levels that gain more than every cheaper level
        kept: list[Option] = []
        for o in sorted(options[m], key=lambda o: (o.cost, -o.gain)):
            if not kept or o.gain > kept[-1].gain:
                kept.append(o)
        options[m] = kept
    need = target_index * base_max / 100 - base_points if base_max else Fraction(0)
    metrics = sorted(options)
    combos = 1
    for m in metrics:
        combos *= len(options[m]) + 1
    chosen: dict[str, Option] = {}
    bound: bool | None = None
    if need <= 0:
        method = "exact"
    elif combos <= EXACT_LIMIT:
        method = "exact"
        best: tuple[Fraction, Fraction] | None = None
        for pick in itertools.product(*[[None, *options[m]] for m in metrics]):
            sel = [o for o in pick if o is not None]
            gain = sum((o.gain for o in sel), Fraction(0))
            if gain < need:
                continue
            key = (sum((o.cost for o in sel), Fraction(0)), -gain)
            if best is None or key < best:
                best, chosen = key, {o.metric: o for o in sel}
    else:
        method = "greedy"
        bound = True
        level = {m: 0 for m in metrics}
        gained = Fraction(0)
        while gained < need:
            incs = []
            for m in metrics:
                opts = options[m]
                if level[m] < len(opts):
                    prev = opts[level[m] - 1] if level[m] else None
                    dg = opts[level[m]].gain - (prev.gain if prev else 0)
                    dc = opts[level[m]].cost - (prev.cost if prev else 0)
                    incs.append((dg / dc if dc else Fraction(10**9), m))
            if not incs:
                break
            _, m = max(incs)
            level[m] += 1
            chosen[m] = options[m][level[m] - 1]
            gained = sum((o.gain for o in chosen.values()), Fraction(0))
        for m in metrics:  # the bound needs each metric's increments to have non-increasing points per cost
            opts = options[m]
            ratios = [(o.gain - (p.gain if p else 0)) / ((o.cost - (p.cost if p else 0)) or 1) for p, o in zip([None, *opts], opts)]
            if any(b > a for a, b in zip(ratios, ratios[1:])):
                bound = False
    if not chosen and need > 0:  # nothing reaches the target: take the best of every metric
        chosen = {m: max(opts, key=lambda o: o.gain) for m, opts in options.items()}
    ordered = sorted(chosen.values(), key=lambda o: (-(o.gain / o.cost if o.cost else o.gain), o.metric))
    scenario = plan_scenario(ordered, bundle, units)
    changed, _ = apply_to_bundle(bundle, scenario, catalogue)
    final = score(changed)
    steps, running = [], base_points
    for o in ordered:
        running += o.gain
        steps.append(Step(o, o.gain, o.cost, running, 100 * running / base_max if base_max else None, _text(o, baseline)))
    reached = final.total.index is not None and final.total.index >= target_index
    return Plan(target_index, reached, method, bound, tuple(steps), sum((o.cost for o in ordered), Fraction(0)), baseline, final,
                None if reached else final.total.index, scenario)


def plan_scenario(options: Sequence[Option], bundle: Bundle, units: Mapping[str, str]) -> Scenario:
    """The plan as a scenario that `whatif` or `score_scenario` can apply."""
    sets = {o.metric: _change(bundle.metrics.get(o.metric), o, bundle, units[o.metric]) for o in options}
    return Scenario("plan", Text("Kế hoạch cải thiện", "Improvement plan"), set=sets)


def _text(o: Option, result: Result) -> Text:
    leaf = next((x for x in result.leaves if x.to_recover and x.to_recover.metric == o.metric), None)
    facts = leaf.facts if leaf else {}
    counts, good = facts.get("counts") or Text("", ""), facts.get("good") or Text("", "")
    name = facts.get("metric_title") or Text(o.metric, o.metric)
    return ACTIONS[o.action].planned(o.amount, name, counts, good, facts.get("document") or name)
