"""The scoring benchmark compares like with like: its hand-written numpy floor gives the engine's totals.

bench_score.py refuses to print a ratio when they differ, but it is not run by CI; a framework change
that the floor does not follow (leaf 1.8 dated by a province's report calendar did) would go unseen
until someone ran it. This runs the same check on a small frame of every shipped framework.
"""
from __future__ import annotations

import sys

import numpy as np
import pytest
from conftest import ROOT

from parscore import api
from parscore.scoring.engine import score_frame

sys.path.insert(0, str(ROOT / "benchmarks"))
from common import numpy_floor, synthetic_frame  # noqa: E402


@pytest.mark.parametrize("framework", [fw.id for fw in api.frameworks()])
def test_the_benchmark_floor_computes_what_the_engine_does(framework: str) -> None:
    fw = api.load_framework(framework)
    frame = synthetic_frame(fw, 300)
    assert np.max(np.abs(score_frame(fw, frame).points - numpy_floor(fw, frame))) < 1e-9
