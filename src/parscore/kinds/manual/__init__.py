"""`manual`: a score given by a person, with a note and evidence references (checked when the bundle loads)."""
from __future__ import annotations

from fractions import Fraction
from typing import Any, Mapping

import numpy as np

from parscore.kinds.base import (ABSENT, MANUAL, PRESENT, Kind, LeafView, Outcome, Recovery, absent_status, col,
                                 register)
from parscore.core.text import Text


def manual_metric(leaf_id: str) -> str:
    return f"manual:{leaf_id}"


@register
class Manual(Kind):
    name = "manual"
    manual = True
    metric_params = {}  # reads the bundle's manual section, no metric
    monotone = False
    clauses = ("given",)
    fields = ("points", "max", "note", "evidence", "by")
    templates = {
        "manual": Text("Chấm tay: {points}/{max} điểm — {note} (minh chứng: {evidence}).",
                       "Scored by hand: {points}/{max} points — {note} (evidence: {evidence})."),
        "missing_evidence": Text("Chưa có điểm chấm tay kèm ghi chú và minh chứng → 0 điểm.",
                                 "No manual score with a note and evidence → 0 points."),
    }

    def columns(self, leaf: LeafView) -> list[str]:
        m = manual_metric(leaf.id)
        return [col(m, "num"), col(m, "den"), col(m, "state")]

    def evaluate(self, leaf: LeafView, cols: Mapping[str, np.ndarray], n: int) -> Outcome:
        m = manual_metric(leaf.id)
        state = cols[col(m, "state")]
        status = absent_status(state, np.full(n, MANUAL, dtype=np.int8))
        num = np.where(state == PRESENT, cols[col(m, "num")], 0)
        den = np.where(state == PRESENT, cols[col(m, "den")], 1)
        return Outcome(num.astype(np.int64), den.astype(np.int64), status, np.zeros(n, dtype=np.int16))

    def facts(self, leaf: LeafView, row: Mapping[str, Any]) -> dict[str, Any]:
        m = manual_metric(leaf.id)
        state = int(row[col(m, "state")])
        facts: dict[str, Any] = {"metric": m, "state": state}
        for key in ("note", "evidence", "by"):
            if f"{m}:{key}" in row:
                facts[key] = row[f"{m}:{key}"]
        return facts

    def requirement(self, leaf: LeafView) -> Text:
        g = leaf.params.get("guidance") if isinstance(leaf.params, Mapping) else None
        base = Text("Điểm do người thẩm định chấm, kèm ghi chú và minh chứng",
                    "Scored by a person, with a note and evidence references")
        return Text(f"{base.vi}: {g['vi']}", f"{base.en}: {g['en']}") if g else base

    def to_recover(self, leaf: LeafView, facts: Mapping[str, Any], points: Fraction) -> Recovery | None:
        if points >= leaf.max_points:
            return None
        return Recovery("manual_review", None, None, "none", leaf.max_points - points, leaf.max_points,
                        {"absent": facts.get("state") == ABSENT})
