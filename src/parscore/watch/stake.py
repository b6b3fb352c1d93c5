"""What an alert puts at stake, in points, by parscore's own engine.

For a rule's `stake` changes (e.g. "one more late dossier": the on-time numerator − 1),
the commune's current metrics are changed the way the alert's outcome would change them,
both ways (`if_acted`, `if_ignored`), each scored as a scenario through `parscore.api`.
The stake is the exact difference, leaf by leaf. The current metrics are the bundle's:
a commune one dossier above a threshold hears that this dossier costs the whole band.
Results are cached per commune and rule: the baseline does not move during a run.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from parscore import api
from parscore.criteria.framework import Framework
from parscore.evidence.bundle import Bundle
from parscore.metrics.columns import PRESENT
from parscore.metrics.units import UNITS
from parscore.metrics.values import added
from parscore.planning.scenario import Scenario
from parscore.watch.rules import AlertRule


@dataclass(frozen=True)
class Stake:
    framework: str
    points: Fraction  # points the commune keeps by acting rather than ignoring the alert
    leaves: tuple[tuple[str, Fraction], ...]  # (leaf id, points) for each leaf that moves
    index_if_acted: Fraction | None
    index_if_ignored: Fraction | None
    rates: tuple[tuple[str, int, int], ...]  # (metric, numerator, denominator) if the alert is ignored


def _scenario(bundle: Bundle, rule: AlertRule, side: str) -> Scenario | None:
    add = {}
    for ch in rule.stake:
        value = bundle.metrics.get(ch.metric)
        # Only counted records can take "one more record" (the unit says whether its value has a numerator);
        # a reported percentage has no records to move.
        if value is None or value.state != PRESENT or not value.counted or "num" not in UNITS[value.unit].add(value, {}):
            continue
        add[ch.metric] = dict(ch.if_acted if side == "acted" else ch.if_ignored)
    if not add:
        return None
    return Scenario(f"watch:{rule.id}:{side}", None, add=add)


class Stakes:
    """Stakes for the communes that have a bundle, scored under each bundle's primary framework."""

    def __init__(self, bundles: Mapping[str, Bundle], framework: str | None = None) -> None:
        self.bundles = dict(bundles)
        self.framework = framework
        self._cache: dict[tuple[str, str], Stake | None] = {}
        self._frameworks: dict[str, Framework] = {}

    def of(self, rule: AlertRule, commune: str) -> Stake | None:
        key = (rule.id, commune)
        if key not in self._cache:
            bundle = self.bundles.get(commune)
            self._cache[key] = None if bundle is None else self._compute(rule, bundle)
        return self._cache[key]

    def _compute(self, rule: AlertRule, bundle: Bundle) -> Stake | None:
        ignored = _scenario(bundle, rule, "ignored")
        acted = _scenario(bundle, rule, "acted")
        if ignored is None or acted is None:
            return None
        ref = api.framework_refs(bundle, self.framework)[0]
        fw = self._frameworks.get(ref) or self._frameworks.setdefault(ref, api.load_framework(ref))
        r_acted = api.score_scenario(fw, bundle, acted)[0]
        r_ignored = api.score_scenario(fw, bundle, ignored)[0]
        leaves = tuple((leaf.id, leaf.points - r_ignored.leaf(leaf.id).points) for leaf in r_acted.leaves
                       if leaf.points != r_ignored.leaf(leaf.id).points)
        rates = tuple((m, v.num, v.den) for m, v in
                      ((m, added(bundle.metrics[m], inc)) for m, inc in sorted(ignored.add.items())))
        return Stake(fw.id, r_acted.total.points - r_ignored.total.points, leaves, r_acted.total.index,
                     r_ignored.total.index, rates)
