"""The vectorised scoring pass: a metric frame in, per-leaf exact points out.

One call scores every row (a province's communes, a what-if grid, or one
bundle) with numpy arrays. Leaf points stay exact as integer numerator /
denominator pairs; totals are summed in floating point for ranking and
sweeps, and recomputed exactly (Fractions) for any row whose index lies near
a classification boundary and for every record that is materialised.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from parscore.scoring import explain as explainer
from parscore.criteria.framework import Framework, Leaf, Node
from parscore.metrics.columns import SURVEY_NOT_HELD
from parscore.kinds.base import (BY_POINTS, ERROR, FULL, MISSING, NOT_APPLICABLE, PARTIAL, STATUSES, ZERO, Outcome,
                                 col)
from parscore.scoring.result import (BlockResult, Classification, LeafResult, NodeResult, Observed, RecoveryResult, Result,
                             Total, Warning)
from parscore.core.text import Text
from parscore.core.numbers import exact_sum

SURVEY_STATES = ("present", "rescaled", "zero", "none")
_NEAR = 1e-7  # index distance below which a row's class is decided exactly


@dataclass(frozen=True)
class LeafArrays:
    num: np.ndarray
    den: np.ndarray
    status: np.ndarray
    clause: np.ndarray
    counted: np.ndarray  # counts toward the maximum
    error: str | None


def _evaluate(leaf: Leaf, cols: Mapping[str, np.ndarray], n: int) -> tuple[Outcome, str | None]:
    try:
        out = leaf.kind_impl.evaluate(leaf.view, cols, n)
        return out, None
    except Exception as exc:  # a kind that fails on one leaf becomes that leaf's error, not a crashed run
        return (Outcome(np.zeros(n, np.int64), np.ones(n, np.int64), np.full(n, ERROR, np.int8),
                        np.zeros(n, np.int16)), f"{type(exc).__name__}: {exc}")


def _leaf_arrays(fw: Framework, leaf: Leaf, out: Outcome, error: str | None) -> LeafArrays:
    # Rows decided by their points keep BY_POINTS here: full / partial / zero is worked out only when a
    # record is built (`ScoreTable.status`), which saves six array passes per leaf on large grids.
    mx = leaf.max_points
    status = out.status
    num, den = out.num, out.den
    na = status == NOT_APPLICABLE
    policy = leaf.na_policy or fw.na_policy
    if na.any():
        if policy == "full":
            num, den = np.where(na, mx.numerator, num), np.where(na, mx.denominator, den)
        else:
            num = np.where(na, 0, num)
    if (status == ERROR).any() or (status == MISSING).any():
        num = np.where((status == ERROR) | (status == MISSING), 0, num)
    adjustment = leaf.kind_impl.adjustment
    counted = np.zeros(len(status), bool) if adjustment else ~(na & (policy == "shrink"))
    return LeafArrays(np.asarray(num, dtype=np.int64), np.asarray(den, dtype=np.int64), status, out.clause, counted, error)


class ScoreTable:
    """Scores of every row of a metric frame under one framework."""

    def __init__(self, fw: Framework, frame: pd.DataFrame, subjects: Sequence[Any] | None = None):
        self.framework = fw
        self.frame = frame
        self.subjects = subjects
        self.n = n = len(frame)
        self.cols = {c: frame[c].to_numpy() for c in frame.columns}
        leaves: dict[str, LeafArrays] = {}
        for leaf in fw.leaves:
            out, error = _evaluate(leaf, self.cols, n)
            leaves[leaf.id] = _leaf_arrays(fw, leaf, out, error)
        self.survey = self._apply_survey_policy(leaves)
        self.leaves = leaves
        self._totals()

    def survey_state(self, i: int) -> str:
        """present | rescaled | zero | none for row `i`."""
        return SURVEY_STATES[int(self.survey[i])]

    def _apply_survey_policy(self, leaves: dict[str, LeafArrays]) -> np.ndarray:
        fw = self.framework
        survey_leaves = [leaf for leaf in fw.leaves if fw.block(leaf.block).role == "survey"]
        if not survey_leaves:
            return np.full(self.n, 3, np.int8)
        absent = np.ones(self.n, bool)
        for leaf in survey_leaves:
            st = leaves[leaf.id].status
            absent &= (st == MISSING) | (st == NOT_APPLICABLE)
        if not absent.any():
            return np.zeros(self.n, np.int8)
        if fw.survey_absent == "rescale":
            # Only a survey the bundle declares not held ("trường hợp không tổ chức điều tra xã hội học") is rescaled
            # away; a survey table that is simply missing is missing evidence, or leaving it out would pay.
            declared = self.cols.get(SURVEY_NOT_HELD)
            rescale = absent & (declared.astype(bool) if declared is not None else np.zeros(self.n, bool))
            for leaf in survey_leaves:
                a = leaves[leaf.id]
                leaves[leaf.id] = LeafArrays(np.where(rescale, 0, a.num), a.den,
                                             np.where(rescale, NOT_APPLICABLE, a.status).astype(np.int8),
                                             a.clause, a.counted & ~rescale, a.error)
            return np.where(rescale, 1, np.where(absent, 2, 0)).astype(np.int8)
        return np.where(absent, 2, 0).astype(np.int8)

    def _totals(self) -> None:
        fw = self.framework
        points = np.zeros(self.n)
        maximum = np.zeros(self.n)
        self.block_points: dict[str, np.ndarray] = {}
        for block in fw.blocks:
            pts = np.zeros(self.n)
            for leaf in fw.leaves:
                if leaf.block != block.id:
                    continue
                a = self.leaves[leaf.id]
                pts += a.num / a.den
                if block.role != "adjustment":
                    maximum += float(leaf.max_points) if a.counted.all() else np.where(a.counted, float(leaf.max_points), 0.0)
            if block.role == "adjustment" and block.cap is not None:
                pts = np.clip(pts, -float(block.cap), float(block.cap))
            self.block_points[block.id] = pts
            points += pts
        self.points = points
        self.max_points = maximum
        with np.errstate(invalid="ignore", divide="ignore"):
            self.index = np.where(maximum > 0, 100 * points / np.where(maximum > 0, maximum, 1), np.nan)
        cls = np.full(self.n, -1, np.int16)
        for i in range(len(fw.classification) - 1, -1, -1):
            cls = np.where(self.index >= float(fw.classification[i].min_index), np.int16(i), cls)
        near = np.zeros(self.n, bool)
        for band in fw.classification:
            near |= np.abs(self.index - float(band.min_index)) < _NEAR
        for k in np.flatnonzero(near):
            cls[int(k)] = self._exact_class(int(k))
        self.class_index = cls

    # ---- exact per-row values ---------------------------------------------------------

    def status(self, leaf_id: str, i: int) -> str:
        """The leaf's status in row i; full / partial / zero are decided from the exact points."""
        code = int(self.leaves[leaf_id].status[i])
        if code != BY_POINTS:
            return STATUSES[code]
        points, mx = self.leaf_points(leaf_id, i), self.framework.get(leaf_id).max_points
        if points >= mx:
            return STATUSES[FULL]
        return STATUSES[ZERO] if points <= 0 and mx > 0 else STATUSES[PARTIAL]

    def leaf_points(self, leaf_id: str, i: int) -> Fraction:
        a = self.leaves[leaf_id]
        return Fraction(int(a.num[i]), int(a.den[i]))

    def exact_total(self, i: int) -> tuple[Fraction, Fraction, dict[str, tuple[Fraction, Fraction]]]:
        """(points, applicable maximum, {block: (points after cap, cap adjustment)}) for row i."""
        fw = self.framework
        points = Fraction(0)
        counted: list[Fraction] = []
        blocks: dict[str, tuple[Fraction, Fraction]] = {}
        for block in fw.blocks:
            mine = [(leaf, self.leaves[leaf.id]) for leaf in fw.leaves if leaf.block == block.id]
            pts = exact_sum([int(a.num[i]) for _, a in mine], [int(a.den[i]) for _, a in mine])
            if block.role != "adjustment":
                counted += [leaf.max_points for leaf, a in mine if a.counted[i]]
            adj = Fraction(0)
            if block.role == "adjustment" and block.cap is not None:
                capped = min(max(pts, -block.cap), block.cap)
                adj, pts = capped - pts, capped
            blocks[block.id] = (pts, adj)
            points += pts
        return points, exact_sum([m.numerator for m in counted], [m.denominator for m in counted]), blocks

    def _exact_class(self, i: int) -> int:
        points, maximum, _ = self.exact_total(i)
        if maximum == 0:
            return -1
        index = 100 * points / maximum
        for k, band in enumerate(self.framework.classification):
            if index >= band.min_index:
                return k
        return -1

    # ---- tables and records -----------------------------------------------------------

    def summary(self, labels: Sequence[str] | None = None) -> pd.DataFrame:
        fw = self.framework
        codes = [fw.classification[k].code if k >= 0 else None for k in self.class_index]
        data = {"index": self.index, "classification": codes, "points": self.points, "max_points": self.max_points}
        for leaf in fw.leaves:
            a = self.leaves[leaf.id]
            data[leaf.id] = a.num / a.den
        return pd.DataFrame(data, index=list(labels) if labels is not None else self.frame.index)

    def row(self, leaf: Leaf, i: int) -> dict[str, Any]:
        return {c: self.cols[c][i] for c in leaf.kind_impl.columns(leaf.view) if c in self.cols}

    def result(self, i: int, subject: Mapping[str, Any] | None = None, warnings: Sequence[Warning] = (),
               manifest: Mapping[str, Any] | None = None) -> Result:
        """The full record of row i: every leaf and node, exact."""
        fw = self.framework
        metrics = getattr(self.subjects[i], "metrics", {}) if self.subjects else {}
        manual = getattr(self.subjects[i], "manual", {}) if self.subjects else {}
        leaf_results = tuple(self._leaf_result(leaf, i, metrics, manual) for leaf in fw.leaves)
        by_id: dict[str, LeafResult | NodeResult] = {r.id: r for r in leaf_results}
        nodes: list[NodeResult] = []

        def walk(node: Node | Leaf) -> LeafResult | NodeResult:
            if isinstance(node, Leaf):
                return by_id[node.id]
            kids = [walk(c) for c in node.children]
            pts = sum((k.points for k in kids), Fraction(0))
            mx = sum((k.max_points for k in kids), Fraction(0))
            r = NodeResult(node.id, node.title, node.block, node.parents, pts, mx, node.max_points, mx - pts,
                           tuple(k.id for k in kids))
            nodes.append(r)
            by_id[node.id] = r
            return r
        tops = {f.id: walk(f) for f in fw.fields}
        order = {n.id: k for k, n in enumerate(fw.nodes())}
        nodes.sort(key=lambda r: order[r.id])
        points, maximum, block_totals = self.exact_total(i)
        blocks = []
        for b in fw.blocks:
            mx = sum((tops[f].max_points for f in b.fields), Fraction(0)) if b.role != "adjustment" else (b.cap or b.max_points)
            pts, adj = block_totals[b.id]
            blocks.append(BlockResult(b.id, b.role, b.title, pts, mx, adj, b.fields))
        index = 100 * points / maximum if maximum else None
        k = int(self.class_index[i])
        if k >= 0:
            cls = Classification(fw.classification[k].code, fw.classification[k].label)
        else:
            cls = Classification(None, Text("chưa xếp loại", "unclassified"))
        total = Total(points, maximum, maximum - points, index, cls, SURVEY_STATES[int(self.survey[i])])
        return Result(
            framework={"id": fw.id, "version": fw.version, "title": fw.title, "decision": _plain(fw.decision),
                       "province": fw.province, "year": fw.year, "na_policy": fw.na_policy,
                       "survey_absent": fw.survey_absent},
            subject=dict(subject or {}), leaves=leaf_results, nodes=tuple(nodes), blocks=tuple(blocks), total=total,
            warnings=tuple(warnings), manifest=dict(manifest or {}), decimals=fw.decimals)

    def _leaf_result(self, leaf: Leaf, i: int, metrics: Mapping[str, Any], manual: Mapping[str, Any]) -> LeafResult:
        fw = self.framework
        a = self.leaves[leaf.id]
        kind = leaf.kind_impl
        status = self.status(leaf.id, i)
        points = Fraction(int(a.num[i]), int(a.den[i]))
        counted = bool(a.counted[i])
        declared = leaf.max_points
        applicable = declared if (counted or kind.adjustment) else Fraction(0)
        facts: dict[str, Any] = {}
        error = a.error
        if error is None:
            try:
                facts = kind.facts(leaf.view, self.row(leaf, i))
            except Exception as exc:  # explanations must never sink the run either
                error = f"{type(exc).__name__}: {exc}"
        if leaf.kind_impl.manual and leaf.id in manual:
            ms = manual[leaf.id]
            facts.update(note=ms.note, evidence=list(ms.evidence), by=ms.by)
        policy = leaf.na_policy or fw.na_policy
        facts.update(points=points, max=declared, lost=applicable - points, status=status, policy=policy)
        metric_title = facts.get("metric_title")
        if metric_title is None and leaf.view.metrics:
            facts["metric_title"] = next(iter(leaf.view.metrics.values())).title
        reason: str | Text | None = facts.get("reason") or None  # a kind may say why (e.g. due before the period)
        for m in leaf.view.metrics.values():
            v = metrics.get(m.name)
            if v is not None and v.reason:
                reason = v.reason
        if status == "not_applicable" and self.survey[i] == 1 and fw.block(leaf.block).role == "survey":
            reason = Text("không tổ chức điều tra xã hội học", "no survey held")
        facts["reason"] = error or reason or ""
        facts["reason_sep"] = ": " if (error or reason) else ""
        clause = kind.clauses[int(a.clause[i])] if kind.clauses and int(a.clause[i]) < len(kind.clauses) else ""
        template = self._template(leaf, status, clause, facts)
        text = explainer.explanation(template, facts, fw.decimals)
        rec = None
        if status not in ("not_applicable", "error") and error is None:
            r = kind.to_recover(leaf.view, facts, points)
            if r is not None and r.gain > 0:
                rec = RecoveryResult(r.action, r.metric, r.amount, r.unit, r.gain, r.target_points,
                                     explainer.recovery_text(r, facts, fw.decimals))
        observed = tuple(_observed(name, metrics.get(name), self, leaf, i)
                         for name in [m.name for m in leaf.view.metrics.values()])
        if leaf.kind_impl.manual and leaf.id in manual:
            ms = manual[leaf.id]
            observed = (Observed(f"manual:{leaf.id}", {"points": ms.points, "note": ms.note, "evidence": list(ms.evidence)},
                                 ms.provenance.origin, ms.provenance.file, ms.provenance.line),)
        return LeafResult(
            id=leaf.id, title=leaf.title, kind=leaf.kind, block=leaf.block, parents=leaf.parents, status=status,
            points=points, max_points=applicable, declared_max_points=declared, points_lost=applicable - points,
            counts_toward_max=counted, clause=clause, requirement=leaf.requirement(), evidence_required=leaf.evidence,
            explanation=text, observed=observed, source=dict(leaf.source), to_recover=rec, error=error, facts=facts)

    def _template(self, leaf: Leaf, status: str, clause: str, facts: Mapping[str, Any]) -> Text:
        if status in leaf.explain:
            return leaf.explain[status]
        templates = leaf.kind_impl.templates
        if status in ("not_applicable", "missing_evidence", "error"):
            # A kind may word one clause of these statuses itself (deadlines: no province calendar dates the reports).
            return templates.get(f"{status}:{clause}") or templates.get(status) or explainer.GENERIC[status]
        for key in (status, clause, facts.get("template")):
            # A reported percentage has no real counts: its own wording must not show any.
            if key and facts.get("counted") is False and f"{key}_reported" in templates:
                return templates[f"{key}_reported"]
            if key and key in templates:
                return templates[key]
        return explainer.GENERIC["default"]


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value) if not isinstance(value, (int, str, type(None))) else value


def _observed(name: str, value: Any, table: ScoreTable, leaf: Leaf, i: int) -> Observed:
    if value is not None:
        p = value.provenance
        return Observed(name, value.observed(), p.origin, p.file, p.line, p.source, p.document,
                        p.failing_records, p.failing_count, p.records, p.records_count,
                        tuple({"id": d, "file": f, "sha256": h} for d, f, h in p.documents), p.detail.get("calendar"))
    row = table.row(leaf, i)
    state = row.get(col(name, "state"))
    return Observed(name, {k: (v.item() if hasattr(v, "item") else v) for k, v in sorted(row.items())
                           if k.startswith(name)} if state == 0 else None, "table")


def score_frame(fw: Framework, frame: pd.DataFrame, subjects: Sequence[Any] | None = None) -> ScoreTable:
    return ScoreTable(fw, frame, subjects)
