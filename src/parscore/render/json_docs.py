"""Portal JSON for the commands that print text otherwise: explain, validate, test (see `parscore.core.portal`)."""
from __future__ import annotations

from collections.abc import Sequence

from parscore.core.errors import InputError
from parscore.core.portal import document, dumps, portal
from parscore.scoring.cases import CaseReport
from parscore.scoring.result import Result


def explain_json(result: Result, leaf_ids: Sequence[str]) -> str:
    """The explained leaves (those asked, else those that lost points, failed or lack evidence), as in `score`'s JSON."""
    leaves = [result.leaf(i) for i in leaf_ids] if leaf_ids else \
        [x for x in result.leaves if x.points_lost > 0 or x.status in ("error", "missing_evidence")]
    return dumps(document("explain", portal(leaves, result.decimals, skip=frozenset({"facts"})),
                          framework=result.framework["id"], bundle=str(result.subject.get("bundle", ""))))


def _problem(e: InputError) -> dict[str, object]:
    return {"code": e.code, "file": e.file, "line": e.line, "where": e.where,
            "message": {"vi": e.render("vi"), "en": e.render("en")}}


def validate_json(found: Sequence[tuple[str, Sequence[InputError]]]) -> str:
    """One result per path: valid or not, and every problem, located, in both languages."""
    return dumps(document("validate", [{"path": path, "valid": not errors, "problems": [_problem(e) for e in errors]}
                                       for path, errors in found]))


def cases_json(reports: Sequence[CaseReport]) -> str:
    """One result per framework: cases passed and failed (with what was expected and got), and coverage."""
    out = []
    for report in reports:
        d = report.framework.decimals
        failures = [{"leaf": o.leaf.id, "case": o.case.name, "line": o.case.line,
                     "expected": {"points": o.case.expect_points, "status": o.case.expect_status},
                     "got": {"points": o.points, "status": o.status}} for o in report.failures]
        out.append(portal({"framework": report.framework.id, "cases": len(report.outcomes),
                           "passed": len(report.outcomes) - len(report.failures), "failed": len(report.failures),
                           "failures": failures, "coverage": 100 * report.coverage,
                           "uncovered": [{"leaf": leaf, "why": why} for leaf, why in report.uncovered]}, d))
    return dumps(document("test", out))
