"""Results as small frozen records, and their deterministic JSON form.

Points are exact `Fraction`s; JSON carries them as numbers rounded to the
framework's decimals, with the exact text ("1.5", or "148/113" when the decimal
does not terminate) under each object's `exact` key (`parscore.core.portal`).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from parscore.core.portal import document, dumps, portal
from parscore.core.text import Text


@dataclass(frozen=True)
class Observed:
    metric: str
    value: Any
    origin: str  # reported | derived | case | table | scenario
    file: str | None = None
    line: int | None = None
    source: str | None = None
    document: str | None = None
    failing_records: tuple[str, ...] = ()
    failing_count: int = 0
    records: tuple[str, ...] = ()
    records_count: int = 0
    documents: tuple[Mapping[str, Any], ...] = ()
    calendar: str | None = None  # the working calendar behind a computed legal due date (core.workcalendar)


@dataclass(frozen=True)
class RecoveryResult:
    action: str
    metric: str | None
    amount: Fraction | None
    unit: str
    gain: Fraction
    target_points: Fraction
    text: Text


@dataclass(frozen=True)
class LeafResult:
    id: str
    title: Text
    kind: str
    block: str
    parents: tuple[str, ...]
    status: str
    points: Fraction
    max_points: Fraction  # applicable maximum: 0 when not applicable and the maximum shrinks
    declared_max_points: Fraction
    points_lost: Fraction
    counts_toward_max: bool
    clause: str
    requirement: Text
    evidence_required: Text
    explanation: Text
    observed: tuple[Observed, ...]
    source: Mapping[str, str]
    to_recover: RecoveryResult | None = None
    error: str | None = None
    facts: Mapping[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class NodeResult:
    id: str
    title: Text
    block: str
    parents: tuple[str, ...]
    points: Fraction
    max_points: Fraction
    declared_max_points: Fraction
    points_lost: Fraction
    children: tuple[str, ...]


@dataclass(frozen=True)
class BlockResult:
    id: str
    role: str
    title: Text
    points: Fraction  # after the cap adjustment
    max_points: Fraction
    cap_adjustment: Fraction
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Classification:
    code: str | None
    label: Text


@dataclass(frozen=True)
class Total:
    points: Fraction
    max_points: Fraction
    points_lost: Fraction
    index: Fraction | None  # percent
    classification: Classification
    survey: str  # present | rescaled | zero | none


@dataclass(frozen=True)
class Warning:
    code: str
    text: Text
    leaf: str | None = None


@dataclass(frozen=True)
class SelfCheck:
    """The commune's own points for one criterion against the computed ones."""

    id: str
    self_points: Fraction
    computed_points: Fraction | None  # None when the id is not in the framework
    difference: Fraction | None  # self − computed
    evidence: tuple[str, ...]
    flags: tuple[str, ...]  # over_claimed | no_evidence | unknown_id
    file: str
    row: int
    note: str = ""  # the commune's own explanation (giải trình), if it wrote one


@dataclass(frozen=True)
class Result:
    framework: Mapping[str, Any]
    subject: Mapping[str, Any]
    leaves: tuple[LeafResult, ...]
    nodes: tuple[NodeResult, ...]
    blocks: tuple[BlockResult, ...]
    total: Total
    warnings: tuple[Warning, ...]
    manifest: Mapping[str, Any]
    decimals: int = 2
    self_assessment: tuple[SelfCheck, ...] = ()

    def leaf(self, leaf_id: str) -> LeafResult:
        return next(x for x in self.leaves if x.id == leaf_id)

    def node(self, node_id: str) -> NodeResult | LeafResult:
        for x in self.nodes:
            if x.id == node_id:
                return x
        return self.leaf(node_id)


# ---- JSON -----------------------------------------------------------------------------


def to_dict(result: Result) -> dict[str, Any]:
    """One result as portal JSON data (see `parscore.core.portal`): rounded numbers, exact values under `exact`."""
    return portal(result, result.decimals, skip=frozenset({"facts"}))  # type: ignore[no-any-return]


def to_json(result: Result | Sequence[Result]) -> str:
    """`{"schema_version", "kind": "score", "results": [...]}`, byte-identical for the same inputs."""
    items = [result] if isinstance(result, Result) else list(result)
    return dumps(document("score", [to_dict(r) for r in items]))
