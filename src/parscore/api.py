"""The plain-function API. The CLI only wraps these; so can any other program.

    from parscore import api
    result = api.score_bundle("examples/dao-xa-2025")
    print(result.total.index, result.total.classification.code)
"""
from __future__ import annotations

import dataclasses
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

import pandas as pd

from parscore import __version__
from parscore.evidence.bundle import Bundle, load_bundle as _load_bundle
from parscore.scoring.cases import CaseReport, run_cases as _run_cases
from parscore.metrics.catalogue import Catalogue, load_catalogue
from parscore.scoring.engine import ScoreTable, score_frame
from parscore.core.errors import InputError, InputErrors, did_you_mean
from parscore.scoring.frame import Subject, build_frame
from parscore.criteria.framework import Framework, FrameworkRegistry
from parscore.scoring.result import Result, SelfCheck, Warning
from parscore.core.text import Text


@lru_cache(maxsize=4)
def _registry(criteria: str | None, rules: str | None) -> FrameworkRegistry:
    catalogue = load_catalogue(Path(rules)) if rules else load_catalogue()
    return FrameworkRegistry(Path(criteria) if criteria else None, catalogue)


def registry(criteria: str | Path | None = None, rules: str | Path | None = None) -> FrameworkRegistry:
    """The frameworks under `criteria` (default: the shipped ones) with the metric catalogue of `rules`."""
    return _registry(str(criteria) if criteria else None, str(rules) if rules else None)


def catalogue() -> Catalogue:
    return registry().catalogue


def frameworks() -> list[Framework]:
    reg = registry()
    return [reg.load(i) for i in reg.ids()]


def load_framework(ref: str) -> Framework:
    """A framework by id (`reference-par-2025`) or by folder path."""
    return registry().load(ref)


def load_bundle(path: str | Path) -> Bundle:
    return _load_bundle(path, catalogue())


def framework_refs(bundle: Bundle, framework: str | None = None) -> list[str]:
    if framework:
        return [framework]
    if not bundle.frameworks:
        raise InputErrors([InputError("bundle_framework", file=f"{bundle.name}/bundle.yaml")])
    return list(bundle.frameworks)


def subject_info(bundle: Bundle) -> dict[str, Any]:
    return {"bundle": bundle.name, "commune": bundle.commune, "province": bundle.province,
            "period": {"start": bundle.period_start.isoformat(), "end": bundle.period_end.isoformat()},
            "illustrative": bundle.illustrative, **{k: v for k, v in sorted(bundle.info.items()) if isinstance(v, str)}}


def bundle_warnings(bundle: Bundle) -> list[Warning]:
    out = [Warning(w.code, w.text, w.leaf) for w in bundle.warnings]
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


def score_bundle(path: str | Path | Bundle, framework: str | None = None) -> Result:
    """Score one bundle against one framework (the bundle's first, unless `framework` is given)."""
    return score_bundle_all(path, [framework] if framework else None)[0]


def score_bundle_all(path: str | Path | Bundle, frameworks: Sequence[str] | None = None) -> list[Result]:
    """Score one bundle against each framework it names (or each of `frameworks`)."""
    bundle = path if isinstance(path, Bundle) else load_bundle(path)
    refs = list(frameworks) if frameworks else framework_refs(bundle)
    results = []
    for ref in refs:
        fw = load_framework(ref)
        results.append(score_loaded(fw, bundle))
    return results


def score_loaded(fw: Framework, bundle: Bundle) -> Result:
    subject = Subject(bundle.name, bundle.metrics, bundle.manual)
    table = score_frame(fw, build_frame(fw, [subject]), [subject])
    warnings = bundle_warnings(bundle) + conflict_warnings(fw, bundle)
    result = table.result(0, subject_info(bundle), warnings, manifest(fw, bundle))
    # A commune self-scores against one framework: the first its bundle names. Comparing the same claims
    # with QĐ 766 or a plan would only report ids that were never meant for them.
    primary = bundle.frameworks[0] if bundle.frameworks else fw.id
    if bundle.self_assessment and fw.id == primary:
        checks = self_checks(result, bundle)
        result = dataclasses.replace(result, self_assessment=checks,
                                     warnings=result.warnings + tuple(self_check_warnings(checks, result.decimals)))
    return result


def _value_text(v: Any, lang: str) -> str:
    from parscore.core import dates as _dates
    from parscore.core.numbers import display as _display
    if v.state == 2:
        return "không áp dụng" if lang == "vi" else "not applicable"
    if v.state == 1:
        return "không có" if lang == "vi" else "none"
    if v.unit == "ratio":
        rate = _display(Fraction(100 * v.num, v.den), 2, lang) + "%" if v.den else "—"
        return f"{rate} ({v.num}/{v.den})" if v.counted else rate
    if v.unit == "count":
        return str(v.n)
    if v.unit == "date":
        return _dates.text(_dates.from_day(v.day), lang) if v.day is not None else "—"
    return ", ".join(f"{k}: {_dates.text(_dates.from_day(d), lang) if d is not None else '—'}" for k, d in sorted(v.series.items()))


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
            f"{c.metric}: số báo cáo {_value_text(c.reported, 'vi')} ({loc}) khác số tính từ hồ sơ "
            f"{_value_text(c.derived, 'vi')}; dùng số tính từ hồ sơ cho tiêu chí {', '.join(leaves)}",
            f"{c.metric}: reported {_value_text(c.reported, 'en')} ({loc}) but the records give "
            f"{_value_text(c.derived, 'en')}; the records' figure is used for {', '.join(leaves)}"), leaves[0]))
    return out


def self_checks(result: Result, bundle: Bundle) -> tuple[SelfCheck, ...]:
    points = {x.id: x.points for x in (*result.leaves, *result.nodes)}
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
                             claim.evidence, tuple(flags), claim.file, claim.row))
    return tuple(out)


def self_check_warnings(checks: Sequence[SelfCheck], decimals: int) -> list[Warning]:
    from parscore.core.numbers import display as _display
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


def score_table(fw: Framework | str, frame: pd.DataFrame) -> ScoreTable:
    """Score many metric sets at once: one row per commune or scenario (columns: `parscore.scoring.frame.frame_columns`)."""
    fw = load_framework(fw) if isinstance(fw, str) else fw
    return score_frame(fw, frame)


def run_cases(fw: Framework | str) -> CaseReport:
    return _run_cases(load_framework(fw) if isinstance(fw, str) else fw)


def validate(paths: Sequence[str | Path]) -> list[tuple[str, list[InputError]]]:
    """Check frameworks (folders with manifest.yaml), bundles (folders with bundle.yaml) and rules files.

    Returns (path, errors) per path; an empty list means valid.
    """
    out: list[tuple[str, list[InputError]]] = []
    for p in paths:
        path = Path(p)
        try:
            if (path / "manifest.yaml").is_file() or path.name == "manifest.yaml":
                from parscore.criteria.framework import load_framework as _load_fw
                _load_fw(path if path.is_dir() else path.parent, catalogue())
            elif path.suffix in (".yaml", ".yml") and path.name != "bundle.yaml":
                load_catalogue(path.parent)
            else:
                load_bundle(path)
            out.append((str(p), []))
        except InputErrors as exc:
            out.append((str(p), list(exc.errors)))
    return out


# ---- what-if ----------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class WhatIf:
    baseline: Result
    runs: tuple[tuple[Any, Result, tuple[Text, ...]], ...]  # (Scenario, Result, notes)


def load_scenario(path: str | Path) -> Any:
    from parscore.planning.scenario import load_scenario as _load
    return _load(path, catalogue())


def score_scenario(fw: Framework, bundle: Bundle, scenario: Any) -> tuple[Result, list[Text]]:
    from parscore.planning.scenario import apply_to_bundle, apply_to_framework
    changed, notes = apply_to_bundle(bundle, scenario, catalogue())
    result = score_loaded(apply_to_framework(fw, scenario), changed)
    if notes:
        result = dataclasses.replace(result, warnings=result.warnings + tuple(Warning("scenario_note", n) for n in notes))
    return result, notes


def whatif(bundle_path: str | Path | Bundle, scenarios: Sequence[Any], framework: str | None = None) -> WhatIf:
    """The baseline and each scenario, scored under the same framework."""
    bundle = bundle_path if isinstance(bundle_path, Bundle) else load_bundle(bundle_path)
    fw = load_framework(framework_refs(bundle, framework)[0])
    baseline = score_loaded(fw, bundle)
    runs = []
    for sc in scenarios:
        result, notes = score_scenario(fw, bundle, sc)
        runs.append((sc, result, tuple(notes)))
    return WhatIf(baseline, tuple(runs))


def load_costs(path: str | Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    from parscore.core import schema as _schema
    from parscore.core import yamlio as _yamlio
    from parscore.core.numbers import NotANumber as _NaN, fraction as _fraction
    doc = _yamlio.load_mapping(path)
    problems = _schema.validate(doc, "costs")
    if problems:
        raise InputErrors(problems)
    out: dict[str, Any] = {"exclude": list(doc.data.get("exclude", []))}
    errors = []
    for section in ("actions", "metrics"):
        out[section] = {}
        for k, v in doc.data.get(section, {}).items():
            try:
                out[section][k] = _fraction(v)
                if out[section][k] <= 0:
                    raise _NaN(v)
            except _NaN:
                errors.append(InputError("bad_number", file=doc.file, line=doc.line((section, k)), where=f"{section}.{k}",
                                         params={"value": v}))
    unknown = [k for k in out["metrics"] if k not in catalogue()]
    for k in unknown:
        errors.append(InputError("unknown_metric", file=doc.file, line=doc.line(("metrics", k)), where=f"metrics.{k}",
                                 params={"metric": k, "hint": lambda lang, k=k: did_you_mean(k, catalogue(), lang)}))
    if errors:
        raise InputErrors(errors)
    return out


def target_index(fw: Framework, target: str) -> Fraction:
    """A target given as a percentage or as a class code of the framework."""
    from parscore.core.numbers import NotANumber as _NaN, fraction as _fraction
    from parscore.core.errors import did_you_mean as _dym
    codes = {b.code: b.min_index for b in fw.classification}
    if target in codes:
        return codes[target]
    try:
        value = _fraction(target)
    except _NaN:
        raise InputErrors([InputError("usage", where="--target", params={
            "problem": f"'{target}' is neither a percentage nor a class of {fw.id} ({', '.join(codes)})" +
                       _dym(target, codes, "en")})]) from None
    if not 0 <= value <= 100:
        raise InputErrors([InputError("percent_over_100", where="--target", params={"value": target})])
    return value


def plan(bundle_path: str | Path | Bundle, target: str, costs_path: str | Path | None = None, framework: str | None = None) -> Any:
    from parscore.planning.plan import make_plan
    bundle = bundle_path if isinstance(bundle_path, Bundle) else load_bundle(bundle_path)
    fw = load_framework(framework_refs(bundle, framework)[0])
    return make_plan(fw, bundle, target_index(fw, target), load_costs(costs_path))
