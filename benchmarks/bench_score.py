"""Scores N synthetic metric sets of the largest shipped framework in one call.

Prints throughput and the ratio to a hand-written numpy evaluation of the same
leaves, both measured in this run (goal: within 2×, issue 12; round 1 asked 5×).

    python benchmarks/bench_score.py [--rows 10000]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from common import numpy_floor, synthetic_frame, timed  # noqa: E402

from parscore import api  # noqa: E402
from parscore.scoring.engine import score_frame  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    fws = api.frameworks()
    fw = max(fws, key=lambda f: len(f.leaves))
    frame = synthetic_frame(fw, args.rows)
    t_engine, table = timed(lambda: score_frame(fw, frame), args.repeat)
    t_floor, floor_points = timed(lambda: numpy_floor(fw, frame), args.repeat)
    # Same leaves, same answer: the comparison is only fair if the floor computes what the engine does.
    diff = float(np.max(np.abs(table.points - floor_points)))
    print(f"framework: {fw.id} ({len(fw.leaves)} leaves), rows: {args.rows:,}")
    print(f"parscore engine : {t_engine * 1000:8.1f} ms  ({args.rows / t_engine:,.0f} rows/s)")
    print(f"numpy floor     : {t_floor * 1000:8.1f} ms  ({args.rows / t_floor:,.0f} rows/s)")
    print(f"ratio engine / floor: {t_engine / t_floor:.2f}×  (goal ≤ 2×); max |total difference| = {diff:.2e}")
    if diff > 1e-6:
        sys.exit("the floor and the engine disagree: the benchmark compares different work")


if __name__ == "__main__":
    main()
