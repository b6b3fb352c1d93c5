"""Result assembly: one bundle scored under one framework, with its warnings and self-assessment checks.

The engine scores metric frames; this module adds what a single bundle's result
carries besides points: who and when, the input files' hashes, reported figures the
records contradict, and the commune's own claims compared leaf by leaf.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Sequence
from pathlib import Path

from parscore import __version__
from parscore.core.numbers import display as _display
from parscore.core.messages import word
from parscore.core.text import Text
from parscore.criteria.framework import Framework
from parscore.evidence.bundle import Bundle
from parscore.scoring.engine import score_frame
from parscore.scoring.frame import build_frame, bundle_subject, calendar_leaves, report_calendar
from parscore.scoring.result import Result, SelfCheck, Warning


def subject_info(bundle: Bundle) -> dict[str, Any]:
    return {"bundle": bundle.name, "commune": bundle.commune, "province": bundle.province,
            "period": {"start": bundle.period_start.isoformat(), "end": bundle.period_end.isoformat()},
            "illustrative": bundle.illustrative, **{k: v for k, v in sorted(bundle.info.items()) if isinstance(v, str)}}


def bundle_warnings(bundle: Bundle, fw: Framework | None = None) -> list[Warning]:
    out = []
    for w in bundle.warnings:
        # A warning about metrics (a missing attachment) is a finding on each leaf of the framework that reads them.
        leaves = [leaf.id for leaf in fw.leaves if any(m.name in w.metrics for m in leaf.view.metrics.values())] \
            if fw is not None and w.metrics else []
        out += [Warning(w.code, Text(f"{leaf}: {w.text.vi}", f"{leaf}: {w.text.en}"), leaf) for leaf in leaves] \
            or [Warning(w.code, w.text, w.leaf)]
    if bundle.illustrative:
        out.insert(0, Warning("illustrative_bundle", Text(
            "Dữ liệu minh họa: không phải kết quả thực tế của xã.",
            "Illustrative data: not the commune's actual results.")))
    return out


def manifest(fw: Framework, bundle: Bundle | None = None) -> dict[str, Any]:
    files = dict(fw.files)
    if bundle is not None:
        files.update(bundle.files)
    return {"parscore_version": __version__, "framework": fw.id, "framework_version": fw.version,
            "files": {k: files[k] for k in sorted(files)}}


def score_loaded(fw: Framework, bundle: Bundle) -> Result:
    subject = bundle_subject(bundle)
    table = score_frame(fw, build_frame(fw, [subject]), [subject])
    warnings = bundle_warnings(bundle, fw) + conflict_warnings(fw, bundle) + calendar_warnings(fw, bundle)
    survey = survey_warning(bundle, table.survey_state(0))
    if survey is not None:
        warnings.insert(0, survey)  # first: it can move the index by a whole class
    result = table.result(0, subject_info(bundle), warnings, manifest(fw, bundle))
    # A commune self-scores against one framework: the first its bundle names. Comparing the same claims
    # with QĐ 766 or a plan would only report ids that were never meant for them.
    primary = bundle.frameworks[0] if bundle.frameworks else fw.id
    if bundle.self_assessment and fw.id == primary:
        checks = self_checks(result, bundle)
        result = dataclasses.replace(result, self_assessment=checks,
                                     warnings=result.warnings + tuple(self_check_warnings(checks, result.decimals)))
    return result


def survey_warning(bundle: Bundle, state: str) -> Warning | None:
    """A survey part the framework expects but the bundle lacks, unless the bundle declares it was not held."""
    if state != "zero":
        return None
    code = "survey_declared_but_missing" if bundle.survey == "held" else "survey_missing"
    return Warning("survey_missing", Text(word(code, "vi"), word(code, "en")))


def calendar_warnings(fw: Framework, bundle: Bundle) -> list[Warning]:
    """Deadline leaves dated by a province calendar: say so when the bundle's province has none (they cannot be
    judged) or when the framework borrows another province's."""
    leaves = calendar_leaves(fw)
    if not leaves:
        return []
    cal, borrowed = report_calendar(fw, bundle.province, bundle.period_start.year)
    if cal is not None and not borrowed:
        return []
    params = {"province": bundle.province, "years": str(bundle.period_start.year), "leaves": ", ".join(leaves),
              "used": cal.province if cal is not None else ""}
    code = "report_calendar_missing" if cal is None else "report_calendar_borrowed"
    return [Warning(code, Text(word(code, "vi", **params), word(code, "en", **params)))]


def conflict_warnings(fw: Framework, bundle: Bundle) -> list[Warning]:
    """A reported figure the records do not support, naming both values and the leaves it would affect."""
    out = []
    for c in bundle.conflicts:
        read = {leaf.id: m for leaf in fw.leaves for m in leaf.view.metrics.values() if m.name == c.metric}
        if not read:
            continue
        leaves, title = list(read), next(iter(read.values())).title  # the clerk reads the metric's title, not its id
        where = c.reported.provenance
        loc = ":".join(str(x) for x in (where.file, where.line) if x is not None)
        out.append(Warning("reported_vs_derived", Text(
            f"{title.vi}: số báo cáo {c.reported.text('vi')} ({loc}) khác số tính từ hồ sơ "
            f"{c.derived.text('vi')}; dùng số tính từ hồ sơ cho tiêu chí {', '.join(leaves)}",
            f"{title.en}: reported {c.reported.text('en')} ({loc}) but the records give "
            f"{c.derived.text('en')}; the records' figure is used for {', '.join(leaves)}"), leaves[0]))
    return out


def self_checks(result: Result, bundle: Bundle) -> tuple[SelfCheck, ...]:
    points = {x.id: x.points for x in result.leaves} | {x.id: x.points for x in result.nodes}
    maxima = {x.id: x.declared_max_points for x in result.leaves} | {x.id: x.max_points for x in result.nodes}
    known = submitted_references(bundle)
    out = []
    for claim in bundle.self_assessment:
        computed = points.get(claim.leaf)
        flags = []
        if computed is None:
            flags.append("unknown_id")
        elif claim.points > computed:
            flags.append("over_claimed")
        if claim.leaf in maxima and claim.points > maxima[claim.leaf]:
            flags.append("above_max")
        if claim.points > 0 and not claim.evidence:
            flags.append("no_evidence")
        # An appraiser's first check: every reference must name a submitted document or a file of the bundle.
        unresolved = tuple(ref for ref in claim.evidence if ref.strip() not in known)
        if unresolved:
            flags.append("unresolved_evidence")
        out.append(SelfCheck(claim.leaf, claim.points, computed, None if computed is None else claim.points - computed,
                             claim.evidence, tuple(flags), claim.file, claim.row, claim.note or "", unresolved,
                             maxima.get(claim.leaf)))
    return tuple(out)


def submitted_references(bundle: Bundle) -> set[str]:
    """What an evidence reference may name: a document id (số, ký hiệu), or a file of the bundle by path or name."""
    known: set[str] = set()
    docs = bundle.evidence.tables.get("documents") if bundle.evidence is not None else None
    if docs is not None:
        known |= {str(v).strip() for v in docs["id"].dropna()}
        if "file" in docs:
            known |= {str(v).strip() for v in docs["file"].dropna()}
            known |= {Path(str(v)).name for v in docs["file"].dropna()}
    for shown in bundle.files:
        path = Path(shown)
        known.add(path.name)
        try:
            known.add(str(path.resolve().relative_to(bundle.path.resolve())))
        except ValueError:
            pass
    return known


def self_check_warnings(checks: Sequence[SelfCheck], decimals: int) -> list[Warning]:
    out = []
    for c in checks:
        loc = f"{c.file}:{c.row}"
        if "above_max" in c.flags:
            out.append(Warning("self_above_max", Text(
                word("self_above_max", "vi", id=c.id, points=_display(c.self_points, decimals, "vi"),
                     max=_display(c.maximum, decimals, "vi"), loc=loc),  # type: ignore[arg-type]
                word("self_above_max", "en", id=c.id, points=_display(c.self_points, decimals, "en"),
                     max=_display(c.maximum, decimals, "en"), loc=loc)), c.id))  # type: ignore[arg-type]
        elif "over_claimed" in c.flags:
            out.append(Warning("self_over_claimed", Text(
                f"Tự chấm {c.id}: {_display(c.self_points, decimals, 'vi')} điểm, cao hơn điểm tính được "
                f"{_display(c.computed_points, decimals, 'vi')} ({loc})",  # type: ignore[arg-type]
                f"Self-assessment {c.id}: {_display(c.self_points, decimals, 'en')} points claimed, above the computed "
                f"{_display(c.computed_points, decimals, 'en')} ({loc})"), c.id))  # type: ignore[arg-type]
        if "unresolved_evidence" in c.flags:
            refs = ", ".join(c.unresolved)
            out.append(Warning("self_unresolved_evidence", Text(
                word("self_unresolved_evidence", "vi", id=c.id, refs=refs, loc=loc),
                word("self_unresolved_evidence", "en", id=c.id, refs=refs, loc=loc)), c.id))
        if "no_evidence" in c.flags:
            out.append(Warning("self_no_evidence", Text(
                f"Tự chấm {c.id}: có điểm nhưng không nêu tài liệu kiểm chứng ({loc})",
                f"Self-assessment {c.id}: points claimed without evidence references ({loc})"), c.id))
        if "unknown_id" in c.flags:
            out.append(Warning("self_unknown_id", Text(
                f"Tự chấm: mã '{c.id}' không có trong khung đánh giá ({loc})",
                f"Self-assessment: id '{c.id}' is not in the framework ({loc})"), c.id))
    return out
