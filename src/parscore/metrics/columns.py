"""How a metric lives in the metric frame: its columns and the state of its value.

Every metric of a subject is a few integer columns of the frame the engine reads
(`metric:num`, `metric:den`, `metric:state`…), so that a province's communes, a
what-if grid and one bundle are scored by the same array code.
"""
from __future__ import annotations

import numpy as np

# Metric state columns in the frame.
PRESENT, ABSENT, METRIC_NA = 0, 1, 2
NOT_SUBMITTED = np.int64(2**40)  # a day number later than any due date
NO_DAY = np.int64(-(2**40))


def col(metric: str, part: str) -> str:
    """The frame column holding `part` of `metric` (num, den, n, day, state, counted)."""
    return f"{metric}:{part}"
