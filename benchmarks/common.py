"""Shared by the benchmarks: synthetic metric frames and a hand-written numpy evaluation (the floor)."""
from __future__ import annotations

import statistics
import time
from typing import Any, Callable

import numpy as np
import pandas as pd

from parscore.scoring.frame import frame_columns, typed
from parscore.criteria.framework import Framework
from parscore.kinds.base import METRIC_NA, PRESENT, col
from parscore.metrics.columns import calendar_col


def synthetic_frame(fw: Framework, n: int, seed: int = 7) -> pd.DataFrame:
    """n metric sets with realistic spreads: ratios near their targets, a few absent or not applicable."""
    rng = np.random.default_rng(seed)
    defaults = frame_columns(fw)
    data: dict[str, Any] = {}
    units = {m.name: m.unit for leaf in fw.leaves for m in leaf.view.metrics.values()}
    for name, unit in units.items():
        state = rng.choice([PRESENT, METRIC_NA], size=n, p=[0.97, 0.03]).astype(np.int8)
        data[col(name, "state")] = state
        if unit == "ratio":
            den = rng.integers(0, 3000, n)
            data[col(name, "den")] = den
            data[col(name, "num")] = np.floor(den * rng.beta(12, 1.2, n)).astype(np.int64)
            data[col(name, "counted")] = np.ones(n, bool)
        elif unit == "count":
            data[col(name, "n")] = rng.integers(0, 4, n)
        elif unit == "date":
            data[col(name, "day")] = rng.integers(20089, 20453, n)  # during 2025
    for c in defaults:
        if "@" in c:
            data[c] = rng.integers(20140, 20420, n)
        elif c.startswith("manual:") and c.endswith(":num"):
            data[c] = rng.integers(0, 4, n)
        elif c.startswith("manual:") and c.endswith(":state"):
            data[c] = np.full(n, PRESENT, np.int8)
    return typed(pd.DataFrame(data), defaults)


def numpy_floor(fw: Framework, frame: pd.DataFrame) -> np.ndarray:
    """The same leaves evaluated by hand in float numpy: total points per row (the floor to compare with)."""
    cols = {c: frame[c].to_numpy() for c in frame.columns}
    n = len(frame)
    total = np.zeros(n)
    maximum = np.zeros(n)
    adjust = np.zeros(n)
    for leaf in fw.leaves:
        p, mx, kind = leaf.view.params, float(leaf.max_points), leaf.kind
        m = next(iter(leaf.view.metrics.values())).name if leaf.view.metrics else f"manual:{leaf.id}"
        state = cols[col(m, "state")]
        present = state == PRESENT
        counted = np.ones(n, bool)
        if kind in ("bands", "pro_rata", "all_of", "ratio_between"):
            num, den = cols[col(m, "num")], cols[col(m, "den")]
            rate = np.divide(num, den, out=np.zeros(n), where=den > 0)
            if kind == "bands":  # "trên x %" bands are strict: compared on the integer counts, as the engine does
                lhs = [(num * b.at_least.denominator, b.at_least.numerator * np.maximum(den, 1)) for b in p.bands]
                reached = [np.where(den > 0, a > c if b.strict else a >= c, 0 > b.at_least if b.strict else 0 >= b.at_least)
                           for (a, c), b in zip(lhs, p.bands)]  # no records: a rate of 0, as above
                pts = np.select(reached, [float(b.points) for b in p.bands], 0.0)
            elif kind == "ratio_between":
                def beyond(end: Any, low: bool) -> np.ndarray:
                    if end is None:
                        return np.zeros(n, bool)
                    lhs, rhs = num * 100 * end.percent.denominator, end.percent.numerator * den
                    return (lhs <= rhs if end.strict else lhs < rhs) if low else (lhs >= rhs if end.strict else lhs > rhs)
                pts = np.where(~beyond(p.low, True) & ~beyond(p.high, False) & (den > 0), mx, 0.0)
            elif kind == "pro_rata":
                pts = np.minimum(rate / float(p.full_from), 1.0) * mx
                if p.floor is not None:
                    pts = np.where(rate < float(p.floor), 0.0, pts)
            else:
                pts = np.where((num == den) & (den > 0), mx, 0.0)
            counted = ~((den == 0) & present) & (state != METRIC_NA)
        elif kind == "count_at_least":
            pts = np.where(cols[col(m, "n")] >= p.at_least, mx, 0.0)
        elif kind == "document":
            issued = cols[col(m, "day")]
            pts = np.full(n, mx) if p.due is None else np.where(issued <= p.due, mx, float(p.late_points))
        elif kind == "deadlines":
            # A leaf dated by its province's report calendar reads each row's due days from the frame
            # (synthetic_frame fills those `@` columns like the others); the source's own dates are constants.
            dues = [cols[calendar_col(p.calendar, k)] if p.calendar else np.full(n, d) for k, d in p.due]
            on_time = sum((cols[col(f"{p.metric}@{k}", "day")] <= due + p.grace_days).astype(float)
                          for (k, _), due in zip(p.due, dues))
            pts = mx * on_time / len(p.due)
        elif kind == "manual":
            pts = cols[col(m, "num")] / cols[col(m, "den")]
        elif kind == "bonus":
            pts = np.minimum(cols[col(m, "n")] * float(p.per_occurrence), mx)
        elif kind == "penalty":
            pts = -np.minimum(cols[col(m, "n")] * float(p.per_occurrence), float(p.cap))
        else:
            raise ValueError(kind)
        pts = np.where(present, pts, 0.0)
        counted &= state != METRIC_NA
        if kind in ("bonus", "penalty"):
            adjust += pts
        else:
            total += pts
            maximum += np.where(counted, mx, 0.0)
    cap = next((float(b.cap) for b in fw.blocks if b.role == "adjustment" and b.cap is not None), np.inf)
    return total + np.clip(adjust, -cap, cap)


def timed(fn: Callable[[], Any], repeat: int = 7, warmup: int = 1) -> tuple[float, Any]:
    """Median wall time of `repeat` runs (after `warmup` runs) and the last result.

    Large grids want more warm-up: their first runs pay for fresh pages of memory, not for the code.
    """
    for _ in range(max(1, warmup)):
        out = fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out
