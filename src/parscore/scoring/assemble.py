"""Result assembly: one bundle scored under one framework, with its warnings and self-assessment checks.

The engine scores metric frames; this module adds what a single bundle's result
carries besides points: who and when, the input files' hashes, reported figures the
records contradict, and the commune's own claims compared leaf by leaf.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Sequence

from parscore import __version__
from parscore.core.numbers import display as _display
from parscore.core.text import Text
from parscore.criteria.framework import Framework
from parscore.evidence.bundle import Bundle
from parscore.scoring.engine import score_frame
from parscore.scoring.frame import Subject, build_frame
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
    subject = Subject(bundle.name, bundle.metrics, bundle.manual)
    table = score_frame(fw, build_frame(fw, [subject]), [subject])
    warnings = bundle_warnings(bundle, fw) + conflict_warnings(fw, bundle)
    result = table.result(0, subject_info(bundle), warnings, manifest(fw, bundle))
    # A commune self-scores against one framework: the first its bundle names. Comparing the same claims
    # with QĐ 766 or a plan would only report ids that were never meant for them.
    primary = bundle.frameworks[0] if bundle.frameworks else fw.id
    if bundle.self_assessment and fw.id == primary:
        checks = self_checks(result, bundle)
        result = dataclasses.replace(result, self_assessment=checks,
                                     warnings=result.warnings + tuple(self_check_warnings(checks, result.decimals)))
    return result


def conflict_warnings(fw: Framework, bundle: Bundle) -> list[Warning]:
    """A reported figure the records do not support, naming both values and the leaves it would affect."""
    out = []
    for c in bundle.conflicts:
        leaves = [leaf.id for leaf in fw.leaves if any(m.name == c.metric for m in leaf.view.metrics.values())]
        if not leaves:
            continue
        where = c.reported.provenance
        loc = ":".join(str(x) for x in (where.file, where.line) if x is not None)
        out.append(Warning("reported_vs_derived", Text(
            f"{c.metric}: số báo cáo {c.reported.text('vi')} ({loc}) khác số tính từ hồ sơ "
            f"{c.derived.text('vi')}; dùng số tính từ hồ sơ cho tiêu chí {', '.join(leaves)}",
            f"{c.metric}: reported {c.reported.text('en')} ({loc}) but the records give "
            f"{c.derived.text('en')}; the records' figure is used for {', '.join(leaves)}"), leaves[0]))
    return out


def self_checks(result: Result, bundle: Bundle) -> tuple[SelfCheck, ...]:
    points = {x.id: x.points for x in result.leaves} | {x.id: x.points for x in result.nodes}
    out = []
    for claim in bundle.self_assessment:
        computed = points.get(claim.leaf)
        flags = []
        if computed is None:
            flags.append("unknown_id")
        elif claim.points > computed:
            flags.append("over_claimed")
        if claim.points > 0 and not claim.evidence:
            flags.append("no_evidence")
        out.append(SelfCheck(claim.leaf, claim.points, computed, None if computed is None else claim.points - computed,
                             claim.evidence, tuple(flags), claim.file, claim.row, claim.note or ""))
    return tuple(out)


def self_check_warnings(checks: Sequence[SelfCheck], decimals: int) -> list[Warning]:
    out = []
    for c in checks:
        loc = f"{c.file}:{c.row}"
        if "over_claimed" in c.flags:
            out.append(Warning("self_over_claimed", Text(
                f"Tự chấm {c.id}: {_display(c.self_points, decimals, 'vi')} điểm, cao hơn điểm tính được "
                f"{_display(c.computed_points, decimals, 'vi')} ({loc})",  # type: ignore[arg-type]
                f"Self-assessment {c.id}: {_display(c.self_points, decimals, 'en')} points claimed, above the computed "
                f"{_display(c.computed_points, decimals, 'en')} ({loc})"), c.id))  # type: ignore[arg-type]
        if "no_evidence" in c.flags:
            out.append(Warning("self_no_evidence", Text(
                f"Tự chấm {c.id}: có điểm nhưng không nêu tài liệu kiểm chứng ({loc})",
                f"Self-assessment {c.id}: points claimed without evidence references ({loc})"), c.id))
        if "unknown_id" in c.flags:
            out.append(Warning("self_unknown_id", Text(
                f"Tự chấm: mã '{c.id}' không có trong khung đánh giá ({loc})",
                f"Self-assessment: id '{c.id}' is not in the framework ({loc})"), c.id))
    return out
