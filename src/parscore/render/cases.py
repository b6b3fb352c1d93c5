"""`parscore test` output: cases passed and failed per framework, and threshold coverage."""
from __future__ import annotations

from typing import Sequence

from parscore.core.errors import InputError
from parscore.core.messages import word
from parscore.core.numbers import display, grouped
from parscore.render.text import counted
from parscore.scoring.cases import CaseReport


def cases_text(reports: Sequence[CaseReport], lang: str) -> str:
    lines = []
    total = failed = 0
    for report in reports:
        fw = report.framework
        total += len(report.outcomes)
        failed += len(report.failures)
        lines.append(f"{fw.id}: " + word("cases_line", lang, passed=counted(len(report.outcomes) - len(report.failures), "case", lang),
                                         failed=grouped(len(report.failures), lang)))
        for o in report.failures:
            e = InputError("case_mismatch", file=o.leaf.file, line=o.case.line, where=o.leaf.id, params={
                "case": o.case.name, "expected": f"{o.case.expect_points} {o.case.expect_status}",
                "got": f"{o.points} {o.status}"})
            lines.append("  " + e.render(lang))
        pct = display(report.coverage * 100, 1, lang)
        lines.append("  " + word("coverage", lang, covered=len(report.covered),
                                 leaves=len(report.covered) + len(report.uncovered), pct=pct))
        for leaf_id, why in report.uncovered:
            lines.append(f"  {word('not_covered', lang)}: {leaf_id} ({word('cov_' + why, lang)})")
    # The closing line keeps the runner convention ("N passed, N failed"), in the user's language.
    lines.append(word("cases_total", lang, passed=grouped(total - failed, lang), failed=grouped(failed, lang)))
    return "\n".join(lines) + "\n"
