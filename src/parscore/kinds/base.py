"""What every rule kind provides, and the closed registry of kinds.

A kind is a small pure piece of code: a parameter schema (shipped JSON file),
a vectorised evaluator over metric columns, the facts it observed for one row,
the requirement it states from its parameters alone, and `to_recover`, the
smallest change that earns the next points. Explanations are rendered from the
facts by `parscore.scoring.explain`, never inside the kind.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable, ClassVar, Mapping

import numpy as np

from parscore.core import dates
from parscore.core.errors import InputError, did_you_mean
from parscore.core.messages import word
from parscore.core.numbers import display, fraction
from parscore.core.text import Text
from parscore.metrics.columns import (ABSENT, METRIC_NA, NO_DAY, NOT_SUBMITTED, PERIOD_START, PRESENT,  # noqa: F401 (re-exported)
                                      col)
from parscore.metrics.catalogue import Metric
from parscore.metrics.units import UNITS

STATUSES = ("full", "partial", "zero", "not_applicable", "missing_evidence", "manual", "error")
FULL, PARTIAL, ZERO, NOT_APPLICABLE, MISSING, MANUAL, ERROR = range(7)
BY_POINTS = -1  # the engine derives full / partial / zero from the points

@dataclass(frozen=True)
class Outcome:
    """A kind's answer for every row: exact points as num/den and how it decided."""

    num: np.ndarray  # int64 numerators of points
    den: np.ndarray  # int64 denominators (> 0), same shape
    status: np.ndarray  # int8: BY_POINTS, NOT_APPLICABLE, MISSING or MANUAL
    clause: np.ndarray  # int16, index into the kind's clause names


@dataclass(frozen=True)
class Recovery:
    """The smallest change that earns the next points of a leaf."""

    action: str  # a stable code: more_good, issue_document, more_events, manual_review, none
    metric: str | None
    amount: Fraction | None  # how many units of the change (records, events, percentage points)
    unit: str  # records | events | percent | document | none
    gain: Fraction  # points gained by the change
    target_points: Fraction  # the leaf's points after it
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class LeafView:
    """What a kind sees of a leaf: its prepared parameters and the metrics they name."""

    id: str
    max_points: Fraction
    params: Any
    metrics: Mapping[str, Any]  # param name -> catalogue Metric


class Kind:
    """Base of the rule kinds. Subclasses set the class attributes and override the methods."""

    name: ClassVar[str]
    metric_params: ClassVar[Mapping[str, tuple[str, ...]]] = {"metric": ("ratio",)}
    clauses: ClassVar[tuple[str, ...]] = ()
    monotone: ClassVar[bool] = True  # more of the metric never lowers the points
    adjustment: ClassVar[bool] = False  # bonus / penalty: outside the maximum
    manual: ClassVar[bool] = False  # scored by a person: points come from the subject's manual scores
    fields: ClassVar[tuple[str, ...]] = ()  # facts an explanation template may use
    templates: ClassVar[Mapping[str, Text]] = {}  # status or clause -> default explanation

    @property
    def schema_name(self) -> str:
        """The JSON Schema of this kind's parameters, in its folder (see `parscore.core.schema`)."""
        return f"kinds/{self.name}/params"

    def prepare(self, raw: Mapping[str, Any], max_points: Fraction, units: Mapping[str, str],
                report: Callable[..., None]) -> Any:
        """Parameters as exact frozen values; load-time problems go to `report(code, path, **params)`.

        `units` maps each metric parameter to its metric's unit in the catalogue.
        """
        return raw

    def columns(self, leaf: LeafView) -> list[str]:
        """Frame columns this leaf reads."""
        out = []
        for param, metric in leaf.metrics.items():
            out += UNITS[metric.unit].columns(metric.name)
        return out

    def evaluate(self, leaf: LeafView, cols: Mapping[str, np.ndarray], n: int) -> Outcome:
        raise NotImplementedError

    def facts(self, leaf: LeafView, row: Mapping[str, Any]) -> dict[str, Any]:
        """Exact observed values for one row (`row` maps column -> scalar)."""
        raise NotImplementedError

    def requirement(self, leaf: LeafView) -> Text:
        raise NotImplementedError

    def to_recover(self, leaf: LeafView, facts: Mapping[str, Any], points: Fraction) -> Recovery | None:
        return None

    def steps(self, leaf: LeafView, facts: Mapping[str, Any], points: Fraction, rec: Any) -> list[Fraction]:
        """Amounts of the recovery's change worth pricing in a plan: its next step, and for some kinds
        the steps beyond it (`rec` carries `amount` and `unit`)."""
        return [rec.amount or Fraction(1)]

    def series_keys(self, leaf: LeafView) -> dict[str, tuple[str, ...]]:
        """For date-series metrics: the keys (e.g. Q1…Q4) this leaf reads, per metric."""
        return {}

    def calendar_keys(self, leaf: LeafView) -> dict[str, tuple[str, ...]]:
        """The report series (and their keys) whose due dates this leaf reads from the province's report calendar."""
        return {}


# ---- helpers shared by kinds -------------------------------------------------------------

def constant_points(values: list[Fraction]) -> tuple[np.ndarray, int]:
    """Fractions as integer numerators over one common denominator, for table look-ups."""
    den = 1
    for v in values:
        den = den * v.denominator // np.gcd(den, v.denominator)
    return np.array([int(v * den) for v in values], dtype=np.int64), den


def at_least(num: np.ndarray, den: np.ndarray, threshold: Fraction) -> np.ndarray:
    """Exact num/den >= threshold on integer counts: num * q >= p * den."""
    return num * threshold.denominator >= threshold.numerator * den


def short(value: Fraction, lang: str = "en", unit: str | None = None) -> str:
    """A threshold or points figure without trailing zeros: 99,9% / 99.9% / 1,5 / 2."""
    text = display(value, 2, lang)
    text = text.rstrip("0").rstrip(",.") if ("," in text or "." in text) else text
    return text + "%" if unit is not None and UNITS[unit].percent else text


def percent(value: Any) -> Fraction:
    """A threshold written in percent, as a fraction of one."""
    return fraction(value, percent=True) / 100


def ratio_state(leaf: LeafView, cols: Mapping[str, np.ndarray], name: str = "metric") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A ratio's counts and state, with the metric's zero-denominator policy applied (`when_empty` in rules/)."""
    metric = leaf.metrics[name]
    m = metric.name
    num, den, state = cols[col(m, "num")], cols[col(m, "den")], cols[col(m, "state")]
    return (*when_empty(metric, num, den, state), state)


def when_empty(metric: Metric, num: np.ndarray, den: np.ndarray, state: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A present ratio with nothing in its denominator read as its metric says: 0/1 (zero), 1/1 (full), or left at 0/0
    (not applicable: the kinds mark the leaf so)."""
    policy = metric.when_empty
    if policy == "not_applicable":
        return num, den
    empty = (den == 0) & (state == PRESENT)
    if not empty.any():
        return num, den
    return np.where(empty, 1 if policy == "full" else 0, num), np.where(empty, 1, den)


def period_start(cols: Mapping[str, np.ndarray], n: int) -> np.ndarray:
    """Each row's period start (day number); NO_DAY where the frame does not say, so every due date applies."""
    return cols.get(PERIOD_START, np.full(n, NO_DAY, dtype=np.int64))


def before_period(due: int, start: int) -> Text:
    """Why a due date does not apply: it falls before the bundle's period (e.g. a commune formed on 1/7/2025)."""
    d, s = dates.from_day(due), dates.from_day(start)
    return Text(word("before_period", "vi", due=dates.text(d, "vi"), start=dates.text(s, "vi")),
                word("before_period", "en", due=dates.text(d, "en"), start=dates.text(s, "en")))


def absent_status(state: np.ndarray, status: np.ndarray, na_mask: np.ndarray | None = None) -> np.ndarray:
    """Mark rows whose metric is absent (missing evidence) or declared not applicable."""
    if len(state) and state.max() == PRESENT and (na_mask is None or not na_mask.any()):
        return status  # the common case: every row has the figure; three array passes saved per leaf
    status = np.where(state == ABSENT, MISSING, status)
    status = np.where(state == METRIC_NA, NOT_APPLICABLE, status)
    if na_mask is not None:
        status = np.where((state == PRESENT) & na_mask, NOT_APPLICABLE, status)
    return status.astype(np.int8)


def ratio_facts(leaf: LeafView, row: Mapping[str, Any], name: str = "metric") -> dict[str, Any]:
    metric = leaf.metrics[name]
    m = metric.name
    state = int(row[col(m, "state")])
    num, den = int(row[col(m, "num")]), int(row[col(m, "den")])
    facts: dict[str, Any] = {"metric": m, "metric_title": metric.title, "state": state,
                             "counts": metric.counts or Text("", ""), "good": metric.good or Text("", "")}
    if state == PRESENT:
        facts.update(numerator=num, denominator=den, counted=bool(row[col(m, "counted")]),
                     rate=Fraction(100 * num, den) if den else None)
        if not den and metric.when_empty != "not_applicable":
            facts["rate"] = Fraction(100) if metric.when_empty == "full" else Fraction(0)  # the metric's stated reading
            facts["when_empty"] = metric.when_empty
    return facts


# ---- the registry --------------------------------------------------------------------------

class KindRegistry:
    """A closed registry: a second kind of the same name is refused, an unknown name gets "did you mean"."""

    def __init__(self) -> None:
        self._kinds: dict[str, Kind] = {}

    def register(self, cls: type[Kind]) -> type[Kind]:
        if cls.name in self._kinds:
            raise ValueError(f"rule kind {cls.name!r} is registered twice "
                             f"({type(self._kinds[cls.name]).__module__} and {cls.__module__})")
        self._kinds[cls.name] = cls()
        return cls

    def get(self, name: str) -> Kind:
        return self._kinds[name]

    def lookup(self, name: str, **where: Any) -> Kind | InputError:
        if name in self._kinds:
            return self._kinds[name]
        return InputError("unknown_kind", params={
            "kind": name, "allowed": ", ".join(sorted(self._kinds)),
            "hint": lambda lang: did_you_mean(name, self._kinds, lang)}, **where)

    def names(self) -> list[str]:
        return sorted(self._kinds)

    def __contains__(self, name: object) -> bool:
        return name in self._kinds


REGISTRY = KindRegistry()
register = REGISTRY.register


# ---- shared by the adjustment kinds (bonus, penalty) ----------------------------------------

@dataclass(frozen=True)
class AdjustmentParams:
    metric: str
    per_occurrence: Fraction
    cap: Fraction


def capped(count: np.ndarray, per: Fraction, cap: Fraction) -> tuple[np.ndarray, int]:
    """min(count × per, cap) as numerators over one denominator."""
    den = per.denominator * cap.denominator
    raw = count * (per.numerator * cap.denominator)
    return np.minimum(raw, cap.numerator * per.denominator), den


