"""Running every leaf's example cases (`parscore test`) and measuring their coverage.

All cases of a framework are scored in one vectorised call, one row per case,
through the same engine as a real bundle. A leaf is covered when it has a case
at its threshold and one just below, and the first earns more than the second
(so the pair really straddles the boundary).
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from parscore.scoring.engine import score_frame
from parscore.scoring.frame import Subject, build_frame
from parscore.criteria.framework import Case, Framework, Leaf


@dataclass(frozen=True)
class CaseOutcome:
    leaf: Leaf
    case: Case
    points: Fraction
    status: str

    @property
    def ok(self) -> bool:
        return self.points == self.case.expect_points and self.status == self.case.expect_status


@dataclass(frozen=True)
class CaseReport:
    framework: Framework
    outcomes: tuple[CaseOutcome, ...]
    covered: tuple[str, ...]
    uncovered: tuple[tuple[str, str], ...]  # (leaf id, reason code: no_at_threshold | no_below_threshold | threshold_not_above)

    @property
    def failures(self) -> list[CaseOutcome]:
        return [o for o in self.outcomes if not o.ok]

    @property
    def coverage(self) -> Fraction:
        total = len(self.covered) + len(self.uncovered)
        return Fraction(len(self.covered), total) if total else Fraction(1)


def run_cases(fw: Framework) -> CaseReport:
    pairs = [(leaf, case) for leaf in fw.leaves for case in leaf.cases]
    subjects = [Subject(f"{leaf.id}:{case.name}", case.metrics, case.manual) for leaf, case in pairs]
    table = score_frame(fw, build_frame(fw, subjects), subjects)
    outcomes = []
    for i, (leaf, case) in enumerate(pairs):
        outcomes.append(CaseOutcome(leaf, case, table.leaf_points(leaf.id, i), table.status(leaf.id, i)))
    covered, uncovered = [], []
    for leaf in fw.leaves:
        mine = [o for o in outcomes if o.leaf.id == leaf.id]
        at = [o for o in mine if o.case.tag == "at_threshold"]
        below = [o for o in mine if o.case.tag == "below_threshold"]
        if not at or not below:
            uncovered.append((leaf.id, "no_at_threshold" if not at else "no_below_threshold"))
        elif not min(o.points for o in at) > max(o.points for o in below):
            uncovered.append((leaf.id, "threshold_not_above"))
        else:
            covered.append(leaf.id)
    return CaseReport(fw, tuple(outcomes), tuple(covered), tuple(uncovered))
