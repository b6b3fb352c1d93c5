"""The HTML report: one self-contained page (styles, charts and the small filter script inline; no request leaves it).

`report_context` turns Result records into plain data for the templates — it
reads results and rounds for display, it never scores. The same templates
(`base.html`, `_report_body.html`) serve `parscore report` and the web page of
`parscore serve`: a page extends `base.html` and includes `_report_body.html`
with the context made here.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import jinja2

from parscore.core.messages import WORDS, word
from parscore.core.numbers import display
from parscore.render import charts
from parscore.render.text import is_adjustment, rows, shown_lost, status_word, total_line
from parscore.scoring.previous import Previous, from_result
from parscore.scoring.result import LeafResult, NodeResult, Observed, Result

# Leaves shown in the "cost most" chart, and failing record ids listed per leaf before "and N more".
COSTLY_LEAVES = 12
FAILING_SHOWN = 30
STATUS_CLASS = {"full": "ok", "partial": "part", "zero": "bad", "missing_evidence": "bad", "error": "bad",
                "not_applicable": "na", "manual": "manual"}


def templates() -> jinja2.Environment:
    """The report templates (`parscore/render/templates/`), autoescaped; shared with the web page."""
    env = jinja2.Environment(loader=jinja2.PackageLoader("parscore.render", "templates"),
                             autoescape=jinja2.select_autoescape(["html", "xml"], default=True),
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return env


def _value_text(value: Any, decimals: int, lang: str) -> str:
    if isinstance(value, Fraction):
        return display(value, decimals, lang)
    if isinstance(value, Mapping):
        return "; ".join(f"{k} = {_value_text(v, decimals, lang)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(_value_text(v, decimals, lang) for v in value)
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return "—" if value is None else str(value)


def _input(o: Observed, decimals: int, lang: str) -> dict[str, Any]:
    where = (o.file or "") + (f":{o.line}" if o.line else "")
    failing = list(o.failing_records[:FAILING_SHOWN])
    more = max(o.failing_count, len(o.failing_records)) - len(failing)
    return {"metric": o.metric, "value": _value_text(o.value, decimals, lang), "origin": word(o.origin, lang)
            if o.origin in WORDS else o.origin, "where": where, "source": o.source or "", "document": o.document or "",
            "failing": failing, "failing_more": word("report_failing_more", lang, n=more) if more > 0 else "",
            "records_count": o.records_count}


def _f(value: Fraction | None) -> float:
    return float(value) if value is not None else 0.0


def _leaf_row(result: Result, leaf: LeafResult, depth: int, prev: Previous | None, lang: str) -> dict[str, Any]:
    d = result.decimals
    lost = shown_lost(result, leaf)
    change = None if prev is None or leaf.id not in prev.points else leaf.points - prev.points[leaf.id]
    return {
        "leaf": True, "id": leaf.id, "title": leaf.title(lang), "depth": depth, "block": leaf.block,
        "max": display(leaf.max_points, d, lang), "points": display(leaf.points, d, lang),
        "lost": display(lost, d, lang), "lost_value": _f(lost), "has_lost": lost > 0,
        "status": leaf.status, "status_label": status_word(leaf.status, lang),
        "status_class": STATUS_CLASS.get(leaf.status, "na"),
        "to_recover": leaf.to_recover.text(lang) if leaf.to_recover else "",
        "explanation": leaf.explanation(lang), "requirement": leaf.requirement(lang),
        "evidence_required": leaf.evidence_required(lang), "clause": leaf.clause,
        "inputs": [_input(o, d, lang) for o in leaf.observed], "error": leaf.error or "",
        "change": None if change is None else display(change, d, lang), "change_sign": 0 if not change else (1 if change > 0 else -1),
    }


def _node_row(result: Result, node: NodeResult, depth: int, prev: Previous | None, lang: str) -> dict[str, Any]:
    d = result.decimals
    lost = shown_lost(result, node)
    change = None if prev is None or node.id not in prev.points else node.points - prev.points[node.id]
    return {"leaf": False, "id": node.id, "title": node.title(lang), "depth": depth, "block": node.block,
            "max": display(node.max_points, d, lang), "points": display(node.points, d, lang),
            "lost": display(lost, d, lang), "lost_value": _f(lost), "has_lost": lost > 0,
            "change": None if change is None else display(change, d, lang),
            "change_sign": 0 if not change else (1 if change > 0 else -1)}


def _fields(result: Result) -> list[NodeResult | LeafResult]:
    return [item for depth, item in rows(result) if depth == 0]


def _charts(result: Result, prev: Previous | None, lang: str) -> list[dict[str, str]]:
    d = result.decimals
    fields = [f for f in _fields(result) if not is_adjustment(result, f.block) and f.max_points > 0]
    labels = [f"{f.id}. {f.title(lang)}"[:60] for f in fields]
    out = [{"id": "fields", "title": word("report_fields_chart", lang), "svg": charts.stacked(
        "fields", labels, [(word("report_earned", lang), [_f(f.points) for f in fields]),
                           (word("report_lost", lang), [_f(f.points_lost) for f in fields])], d)}]
    costly = sorted((leaf for leaf in result.leaves if shown_lost(result, leaf) > 0),
                    key=lambda leaf: (-leaf.points_lost, leaf.id))[:COSTLY_LEAVES]
    if costly:
        out.append({"id": "costly", "title": word("report_costly_chart", lang), "svg": charts.bars(
            "costly", [f"{leaf.id} {leaf.title(lang)}"[:60] for leaf in costly],
            [(word("report_lost", lang), [_f(leaf.points_lost) for leaf in costly])], d, colors=("#c62828",))})
    if prev is not None:
        out.append({"id": "compare-fields", "title": word("report_compare_fields", lang), "svg": charts.bars(
            "compare-fields", labels, [(word("report_this_year", lang), [_f(f.points) for f in fields]),
                                       (word("report_last_year", lang), [_f(prev.points.get(f.id)) for f in fields])], d,
            colors=("#1565c0", "#9e9e9e"))})
        moved = sorted((leaf for leaf in result.leaves if leaf.id in prev.points and leaf.points != prev.points[leaf.id]),
                       key=lambda leaf: (-abs(leaf.points - prev.points[leaf.id]), leaf.id))[:COSTLY_LEAVES]
        if moved:
            out.append({"id": "compare-leaves", "title": word("report_compare_leaves", lang), "svg": charts.bars(
                "compare-leaves", [f"{leaf.id} {leaf.title(lang)}"[:60] for leaf in moved],
                [(word("report_change", lang), [_f(leaf.points - prev.points[leaf.id]) for leaf in moved])], d,
                colors=("#6a1b9a",))})
    return out


def _adjustments(result: Result, lang: str) -> list[dict[str, str]]:
    """The bonus/penalty block read as 'bonus earned / penalty applied', never as points lost."""
    out = []
    for block in result.blocks:
        if block.role != "adjustment":
            continue
        leaves = [leaf for leaf in result.leaves if leaf.block == block.id]
        bonus = sum((leaf.points for leaf in leaves if leaf.points > 0), Fraction(0))
        penalty = sum((-leaf.points for leaf in leaves if leaf.points < 0), Fraction(0))
        out.append({"title": block.title(lang),
                    "bonus": display(bonus, result.decimals, lang), "penalty": display(penalty, result.decimals, lang)})
    return out


def _hashes(result: Result) -> list[dict[str, str]]:
    return [{"file": f, "sha256": h[:16]} for f, h in sorted(result.manifest.get("files", {}).items())]


def _one(result: Result, prev: Previous | None, lang: str) -> dict[str, Any]:
    d, t, fw, subj = result.decimals, result.total, result.framework, result.subject
    decision = fw.get("decision") or {}
    period = subj.get("period") or {}
    index = t.index
    table = []
    for depth, item in rows(result):
        table.append(_leaf_row(result, item, depth, prev, lang) if isinstance(item, LeafResult)
                     else _node_row(result, item, depth, prev, lang))
    checks = [{"id": c.id, "self": display(c.self_points, d, lang),
               "computed": "—" if c.computed_points is None else display(c.computed_points, d, lang),
               "difference": "—" if c.difference is None else display(c.difference, d, lang),
               "evidence": ", ".join(c.evidence), "flags": [word(f"report_flag_{f}", lang) if f"report_flag_{f}" in WORDS else f
                                                              for f in c.flags], "where": f"{c.file}:{c.row}"}
              for c in result.self_assessment]
    return {
        "framework": {"id": fw["id"], "title": fw["title"](lang) if callable(fw["title"]) else fw["title"][lang],
                      "version": fw.get("version", ""), "decision_number": decision.get("number", ""),
                      "decision_date": str(decision.get("date", "")), "decision_title": decision.get("title", ""),
                      "decision_status": decision.get("status", "")},
        "subject": {"commune": subj.get("commune", ""), "province": subj.get("province", ""),
                    "period_start": str(period.get("start", "")), "period_end": str(period.get("end", "")),
                    "bundle": subj.get("bundle", ""), "illustrative": bool(subj.get("illustrative"))},
        "total": {"points": display(t.points, d, lang), "max": display(t.max_points, d, lang),
                  "lost": display(t.points_lost, d, lang),
                  "index": "—" if index is None else display(index, d, lang),
                  "index_value": None if index is None else float(index),
                  "bar_percent": 0.0 if index is None else max(0.0, min(100.0, float(index))),
                  "class_code": t.classification.code or "", "class_label": t.classification.label(lang),
                  "line": total_line(result, lang),
                  "previous_index": None if prev is None or prev.index is None else display(prev.index, d, lang)},
        "rows": table,
        "leaf_count": len(result.leaves),
        "lost_count": sum(1 for r in table if r["leaf"] and r["has_lost"]),
        "charts": _charts(result, prev, lang),
        "adjustments": _adjustments(result, lang),
        "warnings": [{"code": w.code, "leaf": w.leaf or "", "text": w.text(lang)} for w in result.warnings],
        "self_checks": checks,
        "hashes": _hashes(result),
        "previous_label": "" if prev is None else prev.label,
    }


def report_words(lang: str) -> dict[str, str]:
    """The report templates' words (`words.<name>`): the report_* sentences and the table headings."""
    words = {code[len("report_"):]: word(code, lang) for code in WORDS if code.startswith("report_")}
    for code in ("id", "criterion", "points", "max", "lost", "status", "why", "to_recover", "warnings", "inputs",
                 "index", "class", "total", "evidence", "source"):
        words[code] = word(code, lang)
    return words


def report_context(results: Sequence[Result], previous: Previous | Result | None = None, lang: str = "vi",
                   generated_on: dt.date | str | None = None) -> dict[str, Any]:
    """Plain data for the report templates: the first result in full, a summary line for each."""
    if not results:
        raise ValueError("report_context needs at least one result")
    prev = from_result(previous) if isinstance(previous, Result) else previous
    main = _one(results[0], prev, lang)
    words = report_words(lang)
    return {
        "lang": lang,
        "title": f"{words['title']} — {main['subject']['commune']} — {main['framework']['title']}",
        "generated_on": str(generated_on or dt.date.today().isoformat()),
        "words": words,
        "report": main,
        "summaries": [{"framework": (r.framework["title"](lang) if callable(r.framework["title"]) else r.framework["title"][lang]),
                       "id": r.framework["id"], "line": total_line(r, lang)} for r in results],
    }


def render_html(results: Sequence[Result], previous: Previous | Result | None = None, lang: str = "vi",
                generated_on: dt.date | str | None = None) -> str:
    """One self-contained HTML page for the results of one bundle."""
    context = report_context(results, previous, lang, generated_on)
    return templates().get_template("report.html").render(**context)
