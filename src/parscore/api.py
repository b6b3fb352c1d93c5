"""The plain-function API. The CLI and the web page only wrap these; so can any other program.

    from parscore import api
    result = api.score_bundle("examples/dao-xa-2025")
    print(result.total.index, result.total.classification.code)

Every function here is a thin, typed door onto the stages below it; none holds
domain logic of its own.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Sequence

import pandas as pd

from parscore.core import yamlio
from parscore.core.errors import InputError, InputErrors, did_you_mean
from parscore.core.text import Text
from parscore.scoring.compare import FrameworkDiff, compare
from parscore.criteria.framework import Framework, FrameworkRegistry
from parscore.criteria.trace import Trace, load_trace
from parscore.evidence.aggregate import Aggregate, metrics_of, read_aggregate
from parscore.evidence.bundle import Bundle
from parscore.evidence.bundle import load_bundle as _load_bundle
from parscore.evidence.rules import load_rules
from parscore.metrics.catalogue import Catalogue
from parscore.planning import batch as _batch
from parscore.planning import distributed as _distributed
from parscore.planning.costs import load_costs, target_index
from parscore.planning.plan import Plan, make_plan
from parscore.planning.scenario import Scenario
from parscore.planning.scenario import load_scenario as _load_scenario
from parscore.planning.scenario import scenario_from as _scenario_from
from parscore.planning.scenario import scenario_yaml as _scenario_yaml
from parscore.planning.sensitivity import Lever, levers
from parscore.planning.sweep import parse_axis
from parscore.planning.sweep import sweep_table
from parscore.planning.whatif import WhatIf
from parscore.planning.whatif import score_scenario as _score_scenario
from parscore.planning.whatif import whatif as _whatif
from parscore.scoring.assemble import score_loaded
from parscore.scoring.cases import CaseReport
from parscore.scoring.cases import run_cases as _run_cases
from parscore.render.frame import problems_frame, results_frame
from parscore.scoring.engine import ScoreTable
from parscore.scoring.engine import score_frame as _score_table
from parscore.scoring.frame import bundle_subject
from parscore.scoring.result import Result
from parscore.validate import validate_path

__all__ = ["Bundle", "Framework", "Result", "Scenario", "WhatIf", "batch", "batch_spark", "catalogue", "frameworks", "load_bundle",
           "load_framework", "load_scenario", "plan", "registry", "run_cases", "score_bundle", "score_bundle_all",
           "score_frame", "score_loaded", "scenario_yaml", "score_scenario", "score_table", "sensitivity", "sweep", "trace", "validate",
           "validate_frame", "whatif"]


@lru_cache(maxsize=4)
def _registry(criteria: str | None, rules: str | None) -> FrameworkRegistry:
    catalogue = load_rules(Path(rules)) if rules else load_rules()
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


def _bundle(path: str | Path | Bundle) -> Bundle:
    return path if isinstance(path, Bundle) else load_bundle(path)


def framework_refs(bundle: Bundle, framework: str | None = None) -> list[str]:
    if framework:
        return [framework]
    if not bundle.frameworks:
        raise InputErrors([InputError("bundle_framework", file=f"{bundle.name}/bundle.yaml")])
    return list(bundle.frameworks)


def _primary(bundle: Bundle, framework: str | None) -> Framework:
    return load_framework(framework_refs(bundle, framework)[0])


def score_bundle(path: str | Path | Bundle, framework: str | None = None) -> Result:
    """Score one bundle against one framework (the bundle's first, unless `framework` is given)."""
    return score_bundle_all(path, [framework] if framework else None)[0]


def score_bundle_all(path: str | Path | Bundle, frameworks: Sequence[str] | None = None) -> list[Result]:
    """Score one bundle against each framework it names (or each of `frameworks`)."""
    bundle = _bundle(path)
    refs = list(frameworks) if frameworks else framework_refs(bundle)
    return [score_loaded(load_framework(ref), bundle) for ref in refs]


def check_leaf_ids(result: Result, ids: Sequence[str]) -> None:
    """Refuse leaf ids the result does not hold, with "did you mean"."""
    known = {leaf.id for leaf in result.leaves}
    bad = [i for i in ids if i not in known]
    if bad:
        fw_id = result.framework["id"]
        raise InputErrors([InputError("unknown_leaf", where="LEAF_ID", params={
            "framework": fw_id, "leaf": b, "hint": lambda lg, b=b: did_you_mean(b, known, lg)}) for b in bad])


def check_node_id(fw: Framework, node_id: str | None) -> None:
    if node_id is not None and node_id not in fw:
        raise InputErrors([InputError("unknown_leaf", where="LEAF_ID", params={
            "framework": fw.id, "leaf": node_id,
            "hint": lambda lg: did_you_mean(node_id, [n.id for n in fw.nodes()], lg)})])


def trace(fw: Framework | str) -> Trace:
    """The framework's trace to its source document (`criteria/<id>/trace.yaml`), checked; bad input if it has none."""
    fw = load_framework(fw) if isinstance(fw, str) else fw
    found = load_trace(fw)
    if found is None:
        raise InputErrors([InputError("no_trace", where="FRAMEWORK", params={"framework": fw.id})])
    return found


def score_table(fw: Framework | str, frame: pd.DataFrame) -> ScoreTable:
    """Score many metric sets at once: one row per commune or scenario (columns: `parscore.scoring.frame.frame_columns`)."""
    return _score_table(load_framework(fw) if isinstance(fw, str) else fw, frame)


def score_frame(paths_or_bundles: Sequence[str | Path | Bundle] | str | Path | Bundle, framework: str | None = None,
                all_frameworks: bool = False, lang: str = "vi") -> pd.DataFrame:
    """One row per bundle × framework: see `parscore.render.frame` for the columns.

    The framework is `framework`, else each bundle's first (as `score_bundle`); with `all_frameworks`,
    one row for every framework a bundle names.

        frame = api.score_frame(["examples/dao-xa-2025", "examples/nhon-hau-2025"])
        frame[["commune", "index", "class"]]
    """
    items = [paths_or_bundles] if isinstance(paths_or_bundles, (str, Path, Bundle)) else list(paths_or_bundles)
    results = []
    for item in items:
        found = score_bundle_all(item, [framework] if framework else None)
        results += found if all_frameworks or framework else found[:1]
    return results_frame(results, lang)


def validate_frame(paths: Sequence[str | Path]) -> pd.DataFrame:
    """`validate` as a DataFrame: one row per problem (path, file, row, column, value, code, message_vi, message_en)."""
    return problems_frame(validate(paths))


def run_cases(fw: Framework | str) -> CaseReport:
    return _run_cases(load_framework(fw) if isinstance(fw, str) else fw)


def validate(paths: Sequence[str | Path]) -> list[tuple[str, list[InputError]]]:
    """Check frameworks, bundles, scenarios, costs and rules files: (path, errors) per path; [] means valid."""
    return [(str(p), validate_path(Path(p), registry())) for p in paths]


def diff(framework_a: str, framework_b: str, bundle: str | Path | Bundle | None = None, lang: str = "vi") -> FrameworkDiff:
    """Leaves added, removed or changed between two frameworks, and (with a bundle) its score under both."""
    a, b = load_framework(framework_a), load_framework(framework_b)
    return compare(a, b, None if bundle is None else _bundle(bundle), score_loaded, lang)


# ---- planning ---------------------------------------------------------------------------------

def load_scenario(path: str | Path) -> Scenario:
    return _load_scenario(path, catalogue())


def parse_scenario(text: str, file: str = "<scenario>") -> Scenario:
    """A scenario from YAML text (what a scenario file holds), read exactly as `load_scenario` reads a file."""
    return _scenario_from(yamlio.loads(text, file), catalogue())


def scenario_yaml(scenario: Scenario) -> str:
    """A scenario as the YAML file the CLI reads (`whatif --scenario`); a plan's is `plan(...).scenario`."""
    return _scenario_yaml(scenario)


def whatif(bundle: str | Path | Bundle, scenarios: Sequence[Scenario], framework: str | None = None) -> WhatIf:
    """The baseline and each scenario, scored under the same framework."""
    loaded = _bundle(bundle)
    return _whatif(_primary(loaded, framework), loaded, scenarios, catalogue())


def score_scenario(fw: Framework, bundle: Bundle, scenario: Scenario) -> tuple[Result, list[Text]]:
    """One scenario applied to a loaded bundle and framework: its result and the notes it raised."""
    return _score_scenario(fw, bundle, scenario, catalogue())


def scenario_result(bundle: str | Path | Bundle, scenario: Scenario, framework: str | None = None) -> Result:
    loaded = _bundle(bundle)
    return _score_scenario(_primary(loaded, framework), loaded, scenario, catalogue())[0]


def plan(bundle: str | Path | Bundle, target: str, costs_path: str | Path | None = None,
         framework: str | None = None) -> Plan:
    """The cheapest set of improvements found that reaches `target` (an index in % or a class code)."""
    loaded = _bundle(bundle)
    fw = _primary(loaded, framework)
    return make_plan(fw, loaded, target_index(fw, target), catalogue(), load_costs(costs_path, catalogue()))


def sensitivity(bundle: str | Path | Bundle, framework: str | None = None) -> tuple[list[Lever], Result]:
    """The metrics ranked by points per unit of improvement, and the baseline result."""
    loaded = _bundle(bundle)
    fw = _primary(loaded, framework)
    baseline = score_loaded(fw, loaded)
    return levers(fw, loaded, baseline), baseline


def sweep(bundle: str | Path | Bundle, vary: Sequence[str], framework: str | None = None) -> pd.DataFrame:
    """Index and class over a grid of metric values (`METRIC=LO:HI:STEP` per axis)."""
    loaded = _bundle(bundle)
    fw = _primary(loaded, framework)
    axes = [parse_axis(v, fw, catalogue()) for v in vary]
    return sweep_table(fw, bundle_subject(loaded), axes)


def batch(paths: Sequence[str | Path], framework: str | None = None, scenario: str | Path | None = None,
          jobs: int | None = None, progress: Callable[[int, int], None] | None = None,
          lang: str = "vi", mixed: bool = False) -> _batch.BatchResult:
    """Score many bundles, rank and classify them; a bundle that fails is listed with its error and skipped.

    A bundle whose period or frameworks differ from the others' is listed in `mixed`, and ranked only with `mixed=True`.
    """
    if scenario:
        load_scenario(scenario)  # a bad scenario is bad input for the whole run: say so before any work
    return _batch.run(paths, framework, scenario, jobs, progress, lang, registry(), mixed)


def batch_spark(paths: Sequence[str | Path], master: str = "local[*]", framework: str | None = None,
                scenario: str | Path | None = None, partitions: int | None = None,
                progress: Callable[[int, int], None] | None = None, lang: str = "vi",
                mixed: bool = False) -> _batch.BatchResult:
    """`batch` with the bundles loaded and derived on a Spark cluster (`master`: spark://host:7077, local[*], …).

    The same derivation and scoring run as in `batch`, so metrics, scores and ranks are identical; needs the
    `distributed` extra (pyspark) and Java. A Spark session already active in this process is used as it is.
    """
    if scenario:
        load_scenario(scenario)
    return _distributed.run(paths, framework, scenario, master, progress, lang, registry(), mixed, partitions)




def import_aggregate(path: str | Path) -> tuple[Aggregate, dict[str, dict[str, Any]]]:
    """The one-stop system's monthly aggregate report read as reported metrics (metrics.yaml entries)."""
    agg = read_aggregate(path)
    return agg, metrics_of(agg)
