"""The plain-function API. The CLI only wraps these; so can any other program.

    from parscore import api
    result = api.score_bundle("examples/dao-xa-2025")
    print(result.total.index, result.total.classification.code)
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

import pandas as pd

from parscore import __version__
from parscore.bundle import Bundle, load_bundle as _load_bundle
from parscore.cases import CaseReport, run_cases as _run_cases
from parscore.catalogue import Catalogue, load_catalogue
from parscore.engine import ScoreTable, score_frame
from parscore.errors import InputError, InputErrors
from parscore.frame import Subject, build_frame
from parscore.framework import Framework, FrameworkRegistry
from parscore.result import Result, Warning
from parscore.text import Text


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
    return table.result(0, subject_info(bundle), bundle_warnings(bundle), manifest(fw, bundle))


def score_table(fw: Framework | str, frame: pd.DataFrame) -> ScoreTable:
    """Score many metric sets at once: one row per commune or scenario (columns: `parscore.frame.frame_columns`)."""
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
                from parscore.framework import load_framework as _load_fw
                _load_fw(path if path.is_dir() else path.parent, catalogue())
            elif path.suffix in (".yaml", ".yml") and path.name != "bundle.yaml":
                load_catalogue(path.parent)
            else:
                load_bundle(path)
            out.append((str(p), []))
        except InputErrors as exc:
            out.append((str(p), list(exc.errors)))
    return out
