"""Sweeps: the index over a grid of metric values, in one vectorised call.

`--vary METRIC=LO:HI:STEP` takes percentages for rates and counts for counts; the
values are generated with exact decimals (90:100:0.1 gives 90.0, 90.1, … 100.0, never
99.99999999). Every other metric keeps the bundle's value.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from parscore.metrics.catalogue import Catalogue
from parscore.scoring.engine import ScoreTable, score_frame
from parscore.core.errors import InputError, InputErrors, did_you_mean
from parscore.scoring.frame import Subject, build_frame
from parscore.criteria.framework import Framework
from parscore.metrics.columns import PRESENT, col
from parscore.core.numbers import NotANumber, parse_decimal
from parscore.metrics.units import UNITS

MAX_ROWS = 5_000_000


@dataclass(frozen=True)
class Axis:
    metric: str
    unit: str
    values: tuple[Decimal, ...]


def parse_axis(spec: str, fw: Framework, catalogue: Catalogue) -> Axis:
    where = f"--vary {spec}"
    name, sep, rng = spec.partition("=")
    read = {m.name: m.unit for leaf in fw.leaves for m in leaf.view.metrics.values()}
    if not sep or rng.count(":") != 2:
        raise InputErrors([InputError("sweep_axis_shape", where=where, value=spec)])
    if name not in read:
        raise InputErrors([InputError("unknown_metric", where=where, params={
            "metric": name, "hint": lambda lang: did_you_mean(name, read, lang)})])
    try:
        lo, hi, step = (parse_decimal(x) for x in rng.split(":"))
    except NotANumber as exc:
        raise InputErrors([InputError("bad_number", where=where, params={"value": str(exc.args[0])})]) from None
    unit = read[name]
    if not UNITS[unit].sweep_range_ok(lo, hi, step):
        raise InputErrors([InputError("sweep_range", where=where, params={"metric": name, "unit": unit})])
    n = int((hi - lo) / step) + 1
    values = tuple(lo + step * k for k in range(n))
    return Axis(name, unit, values)


def sweep(fw: Framework, base: Subject, axes: list[Axis]) -> tuple[pd.DataFrame, ScoreTable]:
    """The grid's frame (one row per point) and its scores."""
    total = 1
    for a in axes:
        total *= len(a.values)
    if total > MAX_ROWS:
        raise InputErrors([InputError("sweep_too_large", where="--vary", params={"points": total, "limit": MAX_ROWS})])
    row = build_frame(fw, [base])
    frame = pd.DataFrame({c: np.repeat(row[c].to_numpy(), total) for c in row.columns})
    grid = np.array(list(itertools.product(*[range(len(a.values)) for a in axes])), dtype=np.int64).reshape(total, len(axes))
    for k, a in enumerate(axes):
        idx = grid[:, k]
        for column, cells in UNITS[a.unit].sweep_cells(a.metric, a.values, idx).items():
            frame[column] = cells
        frame[col(a.metric, "state")] = np.int8(PRESENT)
    table = score_frame(fw, frame)
    out = pd.DataFrame({a.metric: np.array([str(v) for v in a.values], dtype=object)[grid[:, k]] for k, a in enumerate(axes)})
    codes = np.array([b.code for b in fw.classification] + [""], dtype=object)
    out["points"] = np.round(table.points, 6)
    out["index"] = np.round(table.index, 6)
    out["classification"] = codes[table.class_index]
    return out, table
