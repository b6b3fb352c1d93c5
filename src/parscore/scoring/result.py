"""Results as small frozen records, and their deterministic JSON form.

Points are exact `Fraction`s; JSON carries them as exact text ("1.5", or
"148/113" when the decimal does not terminate) plus a display-rounded number,
so that totals equal the sum of their parts to the last digit.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field, fields, is_dataclass
from fractions import Fraction
from typing import Any, Mapping

from parscore.core.numbers import display, exact_text
from parscore.core.text import Text

RESULT_SCHEMA_VERSION = "1"


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

_SKIP = {"facts"}


def _jsonable(value: Any, decimals: int) -> Any:
    if isinstance(value, Fraction):
        return exact_text(value)
    if isinstance(value, Text):
        return value.to_json()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        out = {}
        for f in fields(value):
            if f.name in _SKIP:
                continue
            out[f.name] = _jsonable(getattr(value, f.name), decimals)
        return out
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v, decimals) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v, decimals) for v in value]
    return value


def _with_display(obj: dict[str, Any], raw: Any, decimals: int) -> dict[str, Any]:
    for key in ("points", "max_points", "points_lost", "index", "declared_max_points", "cap_adjustment"):
        v = getattr(raw, key, None)
        if isinstance(v, Fraction):
            obj[f"{key}_display"] = display(v, decimals)
    return obj


def to_dict(result: Result) -> dict[str, Any]:
    d = result.decimals
    out = _jsonable(result, d)
    out["schema_version"] = RESULT_SCHEMA_VERSION
    for key, items in (("leaves", result.leaves), ("nodes", result.nodes), ("blocks", result.blocks)):
        out[key] = [_with_display(o, r, d) for o, r in zip(out[key], items)]
    _with_display(out["total"], result.total, d)
    return out


def to_json(result: Result | list[Result]) -> str:
    """Byte-identical for the same inputs: sorted keys, no timestamps, exact values."""
    data = [to_dict(r) for r in result] if isinstance(result, list) else to_dict(result)
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
