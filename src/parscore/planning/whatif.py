"""What-if: a bundle's baseline and each scenario, scored under the same framework."""
from __future__ import annotations

import dataclasses
from typing import Sequence

from parscore.core.text import Text
from parscore.criteria.framework import Framework
from parscore.evidence.bundle import Bundle
from parscore.metrics.catalogue import Catalogue
from parscore.planning.scenario import Scenario, apply_to_bundle, apply_to_framework
from parscore.scoring.assemble import score_loaded
from parscore.scoring.result import Result, Warning


@dataclasses.dataclass(frozen=True)
class WhatIf:
    baseline: Result
    runs: tuple[tuple[Scenario, Result, tuple[Text, ...]], ...]  # (scenario, result, notes)


def score_scenario(fw: Framework, bundle: Bundle, scenario: Scenario, catalogue: Catalogue) -> tuple[Result, list[Text]]:
    changed, notes = apply_to_bundle(bundle, scenario, catalogue)
    result = score_loaded(apply_to_framework(fw, scenario, catalogue), changed)
    if notes:
        result = dataclasses.replace(result, warnings=result.warnings + tuple(Warning("scenario_note", n) for n in notes))
    return result, notes


def whatif(fw: Framework, bundle: Bundle, scenarios: Sequence[Scenario], catalogue: Catalogue) -> WhatIf:
    baseline = score_loaded(fw, bundle)
    runs = []
    for sc in scenarios:
        result, notes = score_scenario(fw, bundle, sc, catalogue)
        runs.append((sc, result, tuple(notes)))
    return WhatIf(baseline, tuple(runs))
