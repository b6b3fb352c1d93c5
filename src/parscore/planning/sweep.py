"""Sweeps: the index over a grid of metric values, in one vectorised call.

`--vary METRIC=LO:HI:STEP` takes percentages for rates and counts for counts; the
values are generated with exact decimals (90:100:0.1 gives 90.0, 90.1, … 100.0, never
99.99999999). Every other metric keeps the bundle's value.
"""
from __future__ import annotations

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
        raise InputErrors([InputError(exc.code, where=where, params=exc.params)]) from None
    unit = read[name]
    if not UNITS[unit].sweep_range_ok(lo, hi, step):
        raise InputErrors([InputError("sweep_range", where=where, params={"metric": name, "unit": unit})])
    n = int((hi - lo) / step) + 1  # counted before a single value is made (bounded numbers keep this cheap)
    if n > MAX_ROWS:
        raise InputErrors([InputError("sweep_too_large", where=where, params={"points": f"{n:,}", "limit": f"{MAX_ROWS:,}"})])
    values = tuple(lo + step * k for k in range(n))
    return Axis(name, unit, values)


CHUNK = 65_536  # grid points scored at a time by `sweep_table`: its memory is one chunk's, whatever the grid's size


def _check_size(axes: list[Axis]) -> tuple[int, tuple[int, ...]]:
    shape = tuple(len(a.values) for a in axes)
    total = int(np.prod(shape, dtype=np.int64)) if shape else 1
    if total > MAX_ROWS:
        raise InputErrors([InputError("sweep_too_large", where="--vary", params={"points": total, "limit": MAX_ROWS})])
    return total, shape


def _points(fw: Framework, row: pd.DataFrame, axes: list[Axis], grid: np.ndarray) -> ScoreTable:
    """The scores of the grid points whose value indices are the rows of `grid` (points × axes)."""
    n = len(grid)
    frame = pd.DataFrame({c: np.repeat(row[c].to_numpy(), n) for c in row.columns})
    for k, a in enumerate(axes):
        for column, cells in UNITS[a.unit].sweep_cells(a.metric, a.values, grid[:, k]).items():
            frame[column] = cells
        frame[col(a.metric, "state")] = np.int8(PRESENT)
    return score_frame(fw, frame)


def _rows(fw: Framework, axes: list[Axis], grid: np.ndarray, table: ScoreTable) -> pd.DataFrame:
    out = pd.DataFrame({a.metric: np.array([str(v) for v in a.values], dtype=object)[grid[:, k]] for k, a in enumerate(axes)})
    codes = np.array([b.code for b in fw.classification] + [""], dtype=object)
    out["points"] = np.round(table.points, 6)
    out["index"] = np.round(table.index, 6)
    out["classification"] = codes[table.class_index]
    return out


def _grid(shape: tuple[int, ...], start: int, stop: int) -> np.ndarray:
    """Value indices of grid points start..stop-1, in itertools.product order (the last axis varies fastest)."""
    return np.stack(np.unravel_index(np.arange(start, stop, dtype=np.int64), shape), axis=1).reshape(stop - start, len(shape))


def sweep(fw: Framework, base: Subject, axes: list[Axis]) -> tuple[pd.DataFrame, ScoreTable]:
    """The grid's frame (one row per point) and its scores, the whole grid in one vectorised call."""
    total, shape = _check_size(axes)
    grid = _grid(shape, 0, total)
    table = _points(fw, build_frame(fw, [base]), axes, grid)
    return _rows(fw, axes, grid, table), table


def sweep_table(fw: Framework, base: Subject, axes: list[Axis], chunk: int = CHUNK) -> pd.DataFrame:
    """The grid's frame, scored `chunk` points at a time: the same rows as `sweep`, in bounded memory."""
    total, shape = _check_size(axes)
    row = build_frame(fw, [base])
    parts = []
    for start in range(0, total, chunk):
        grid = _grid(shape, start, min(total, start + chunk))
        parts.append(_rows(fw, axes, grid, _points(fw, row, axes, grid)))
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
