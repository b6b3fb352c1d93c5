"""Two frameworks compared: their leaf changes and, with a bundle, its score under both."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Callable

from parscore.criteria.diff import LeafChange, diff_frameworks
from parscore.criteria.framework import Framework
from parscore.evidence.bundle import Bundle
from parscore.scoring.result import Result


@dataclass(frozen=True)
class ScoreChange:
    id: str
    before: Fraction | None
    after: Fraction | None


@dataclass(frozen=True)
class FrameworkDiff:
    a: Framework
    b: Framework
    changes: tuple[LeafChange, ...]
    bundle: str | None = None  # the bundle's name, when one was scored under both
    before: Result | None = None
    after: Result | None = None
    scores: tuple[ScoreChange, ...] = ()


def diff_scores(a: Result, b: Result) -> list[ScoreChange]:
    left = {x.id: x.points for x in a.leaves}
    right = {x.id: x.points for x in b.leaves}
    ids = [x.id for x in a.leaves] + [x.id for x in b.leaves if x.id not in left]
    return [ScoreChange(i, left.get(i), right.get(i)) for i in ids if left.get(i) != right.get(i)]


def compare(a: Framework, b: Framework, bundle: Bundle | None, score: Callable[[Framework, Bundle], Result],
            lang: str = "vi") -> FrameworkDiff:
    changes = tuple(diff_frameworks(a, b, lang))
    if bundle is None:
        return FrameworkDiff(a, b, changes)
    ra, rb = score(a, bundle), score(b, bundle)
    return FrameworkDiff(a, b, changes, bundle.name, ra, rb, tuple(diff_scores(ra, rb)))
