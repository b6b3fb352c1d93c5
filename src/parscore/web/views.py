"""Plain data for the web page's own panels, read from results; nothing here scores.

The report itself comes from `parscore.render.html.report_context` (the same
templates as `parscore report`); these are the panels around it: a what-if
side by side, a plan, the province's ranking, matrix and self-score table, a
framework's leaves.
"""
from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from parscore.core import dates
from parscore.core.messages import WORDS, word
from parscore.core.numbers import display
from parscore.render.text import rows, total_line


def _idx(result: Any, lang: str) -> str:
    i = result.total.index
    return "—" if i is None else display(i, result.decimals, lang)


def _signed(v: Fraction, decimals: int, lang: str) -> str:
    return ("+" if v > 0 else "") + display(v, decimals, lang)


def headline(result: Any, lang: str) -> dict[str, Any]:
    t = result.total
    return {"index": _idx(result, lang), "class_code": t.classification.code or "", "class_label": t.classification.label(lang),
            "points": display(t.points, result.decimals, lang), "max": display(t.max_points, result.decimals, lang),
            "line": total_line(result, lang)}


def side_by_side(current: Any, changed: Any, lang: str) -> dict[str, Any]:
    """The current result and a changed one: the headline of each and every leaf or node whose points moved."""
    d = current.decimals
    before = {item.id: item.points for _, item in rows(current)}
    moved = []
    for depth, item in rows(changed):
        old = before.get(item.id)
        # rows whose change rounds to nothing at the framework's decimals are left out; the index above stays exact
        if old is not None and display(item.points - old, d, lang) not in (display(0, d, lang), "-" + display(0, d, lang)):
            moved.append({"id": item.id, "title": item.title(lang), "depth": depth, "before": display(old, d, lang),
                          "after": display(item.points, d, lang), "change": _signed(item.points - old, d, lang),
                          "up": item.points > old})
    delta = None
    if current.total.index is not None and changed.total.index is not None:
        delta = _signed(changed.total.index - current.total.index, d, lang)
    return {"current": headline(current, lang), "changed": headline(changed, lang), "moved": moved, "delta": delta,
            "class_changed": current.total.classification.code != changed.total.classification.code}


def plan_view(plan: Any, lang: str) -> dict[str, Any]:
    final = plan.final
    steps = [{"n": k, "text": s.text(lang), "leaves": ", ".join(s.option.leaves), "gain": "+" + display(s.gain, 2, lang),
              "index": "—" if s.running_index is None else display(s.running_index, 2, lang)} for k, s in enumerate(plan.steps, 1)]
    return {"target": display(plan.target_index, 2, lang), "reached": plan.reached, "steps": steps,
            "final": headline(final, lang),
            "best": None if plan.best_reachable_index is None else display(plan.best_reachable_index, 2, lang)}


def fields_of(result: Any) -> list[Any]:
    return [item for depth, item in rows(result) if depth == 0]


def matrix(results: Sequence[tuple[str, Any]], lang: str) -> dict[str, Any]:
    """Commune × field points (with each field's maximum), communes in the order given."""
    if not results:
        return {"fields": [], "rows": []}
    first = results[0][1]
    head = [{"id": f.id, "title": f.title(lang), "max": display(f.max_points, first.decimals, lang)} for f in fields_of(first)]
    out = []
    for name, r in results:
        points = {f.id: f.points for f in fields_of(r)}
        out.append({"commune": name, "cells": ["—" if f["id"] not in points else display(points[f["id"]], r.decimals, lang)
                                               for f in head], "total": display(r.total.points, r.decimals, lang)})
    return {"fields": head, "rows": out}


def self_checks(results: Sequence[tuple[str, Any]], lang: str) -> list[dict[str, Any]]:
    """Every commune's self-score against the computed score per leaf, the largest over-claims first."""
    out = []
    for name, r in results:
        for c in r.self_assessment:
            out.append((c.difference if c.difference is not None else Fraction(0), {
                "commune": name, "id": c.id, "self": display(c.self_points, r.decimals, lang),
                "computed": "—" if c.computed_points is None else display(c.computed_points, r.decimals, lang),
                "difference": "—" if c.difference is None else _signed(c.difference, r.decimals, lang),
                "over": c.difference is not None and c.difference > 0,
                "flags": ", ".join(word(f"web_flag_{f}", lang) if f"web_flag_{f}" in WORDS else f for f in c.flags)}))
    out.sort(key=lambda x: (-x[0], x[1]["commune"], x[1]["id"]))
    return [row for _, row in out]


def ranking_rows(batch: Any, names: dict[str, tuple[str, int]], lang: str) -> list[dict[str, Any]]:
    """The batch's entries in rank order, named by commune, each with the id of its upload."""
    d = batch.framework.decimals
    out = []
    for e in batch.entries:
        commune, upload_id = names.get(e.bundle, (e.commune, 0))
        out.append({"rank": e.rank, "commune": commune, "province": e.province, "upload_id": upload_id,
                    "index": "—" if e.index is None else display(e.index, d, lang), "class": e.classification or "—",
                    "points": display(e.points, d, lang), "max": display(e.max_points, d, lang)})
    return out


def mixed_rows(batch: Any, names: dict[str, str], lang: str) -> list[str]:
    """Bundles of another period or framework than the ranking's, by commune, and whether they were ranked anyway."""
    return [f"{names.get(b, b)}: {word(code, lang, detail=detail)} — {word('batch_mixed_ranked' if ranked else 'batch_mixed_skipped', lang)}"
            for b, code, detail, ranked in batch.mixed]


def _strength(strength: Any, lang: str) -> list[str]:
    """A leaf's source-strength marks (QĐ 766 and any framework that gives them), in words."""
    if not strength:
        return []
    return [word("strength_line", lang, points=word(f"strength_{strength['points']}", lang),
                 requirement=word(f"strength_{strength['requirement']}", lang))]


def framework_view(fw: Any, lang: str) -> dict[str, Any]:
    leaves = [{"id": leaf.id, "title": leaf.title(lang), "max": display(leaf.max_points, fw.decimals, lang), "kind": leaf.kind,
               "requirement": leaf.requirement()(lang), "evidence": leaf.evidence(lang),
               "source": "; ".join([*(f"{k}: {v}" for k, v in leaf.source.items() if isinstance(v, str)),
                                    *_strength(leaf.source.get("strength"), lang)])} for leaf in fw.leaves]
    return {"id": fw.id, "title": fw.title(lang), "version": fw.version, "decision": fw.decision,
            "total": display(fw.total_points, fw.decimals, lang), "leaves": leaves}


def alerts_view(report: Any, lang: str, catalogue: Any) -> dict[str, Any]:
    """The open alerts of a commune on the report's day, as the panel lists them (most severe first)."""
    rows = [{"day": dates.text(a.fired.day, lang), "severity": word(f"watch_severity_{a.rule.severity}", lang),
             "level": a.rule.severity, "rule": a.rule.id, "record": a.fired.record, "message": a.message(lang),
             "stake": a.stake_text(lang, catalogue)} for a in report.open]
    return {"now": "—" if report.now is None else dates.text(report.now, lang), "rows": rows, "fired": len(report.alerts)}
