"""Invariants of scoring, stated as properties (hypothesis)."""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings, strategies as st

from parscore import api
from parscore.scoring.engine import score_frame
from parscore.scoring.frame import frame_columns, typed
from parscore.metrics.columns import METRIC_NA, PRESENT, ABSENT, col

FW = api.load_framework("reference-par-2025")
DEFAULTS = frame_columns(FW)
UNITS = {m.name: m.unit for leaf in FW.leaves for m in leaf.view.metrics.values()}
SERIES = {c for c in DEFAULTS if "@" in c}


@st.composite
def metric_rows(draw, n_min=1, n_max=6):
    n = draw(st.integers(n_min, n_max))
    rows = []
    for _ in range(n):
        row = {}
        for name, unit in UNITS.items():
            state = draw(st.sampled_from([PRESENT, PRESENT, PRESENT, ABSENT, METRIC_NA]))
            row[col(name, "state")] = state
            if unit == "ratio":
                den = draw(st.integers(0, 2000))
                row[col(name, "den")] = den
                row[col(name, "num")] = draw(st.integers(0, den))
                row[col(name, "counted")] = True
            elif unit == "count":
                row[col(name, "n")] = draw(st.integers(0, 6))
            elif unit == "date":
                row[col(name, "day")] = draw(st.integers(20000, 20500))
        for c in SERIES:
            row[c] = draw(st.integers(20000, 20500))
        for c, default in DEFAULTS.items():
            if c.startswith("manual:"):
                row.setdefault(c, default)
        row[col("manual:5.1.2", "state")] = draw(st.sampled_from([PRESENT, ABSENT]))
        row[col("manual:5.1.2", "num")] = draw(st.integers(0, 3))
        row[col("manual:5.1.2", "den")] = 1
        rows.append(row)
    return typed(pd.DataFrame(rows), DEFAULTS)


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(metric_rows())
def test_points_within_bounds_lost_is_max_minus_points_and_parents_are_sums(frame):
    table = score_frame(FW, frame)
    for i in range(len(frame)):
        r = table.result(i)
        for leaf in r.leaves:
            assert leaf.points_lost == leaf.max_points - leaf.points
            if leaf.kind == "penalty":
                assert -leaf.facts["cap"] <= leaf.points <= 0
            else:
                assert 0 <= leaf.points <= leaf.max_points
        by_id = {x.id: x for x in (*r.leaves, *r.nodes)}
        for node in r.nodes:
            assert node.points == sum(by_id[c].points for c in node.children)
            assert node.max_points == sum(by_id[c].max_points for c in node.children)
        assert r.total.points == sum(b.points for b in r.blocks)
        assert r.total.max_points == sum(b.max_points for b in r.blocks if b.role != "adjustment")
        assert abs(float(r.total.points) - table.points[i]) < 1e-9
        if r.total.index is not None:
            k = int(table.class_index[i])
            assert r.total.index >= FW.classification[k].min_index
            if k > 0:
                assert r.total.index < FW.classification[k - 1].min_index


@SETTINGS
@given(metric_rows(n_min=2, n_max=6), st.randoms(use_true_random=False))
def test_row_order_changes_nothing_and_vectorised_equals_one_row(frame, rnd):
    table = score_frame(FW, frame)
    order = list(range(len(frame)))
    rnd.shuffle(order)
    shuffled = score_frame(FW, frame.iloc[order].reset_index(drop=True))
    for new_i, old_i in enumerate(order):
        single = score_frame(FW, frame.iloc[[old_i]].reset_index(drop=True))
        for t, j in ((shuffled, new_i), (single, 0)):
            for leaf in FW.leaves:
                assert t.leaf_points(leaf.id, j) == table.leaf_points(leaf.id, old_i)
            assert t.exact_total(j)[:2] == table.exact_total(old_i)[:2]
            assert t.class_index[j] == table.class_index[old_i]


@SETTINGS
@given(metric_rows(n_min=1, n_max=3), st.data())
def test_monotone_kinds_never_lose_points_when_their_metric_improves(frame, data):
    better = frame.copy()
    for name, unit in UNITS.items():
        if unit == "ratio":
            den = better[col(name, "den")].to_numpy()
            num = better[col(name, "num")].to_numpy()
            bump = np.array([data.draw(st.integers(0, int(d - k))) if d > k else 0 for k, d in zip(num, den)])
            better[col(name, "num")] = num + bump
        elif unit == "count" and name != "tthc_misconduct_cases":
            better[col(name, "n")] = better[col(name, "n")] + data.draw(st.integers(0, 3))
    before, after = score_frame(FW, frame), score_frame(FW, better)
    for leaf in FW.leaves:
        if not leaf.kind_impl.monotone:
            continue
        for i in range(len(frame)):
            assert after.leaf_points(leaf.id, i) >= before.leaf_points(leaf.id, i), leaf.id


def test_class_boundary_is_exact_not_floating_point(tmp_path):
    """An index of exactly 90 is class A even where float arithmetic lands a hair below."""
    from helpers import leaf_framework, score, subject
    fw = leaf_framework(tmp_path, {"kind": "pro_rata", "metric": "full_online_dossier_rate", "full_from": 100}, "1.1")
    # 1.1 × 27/30 out of 1.1 is exactly 90 %; in floating point it is 89.99999999999999
    t = score(fw, subject({"full_online_dossier_rate": {"numerator": 27, "denominator": 30}}))
    assert t.index[0] < 90  # the float path alone would misclassify this row
    assert t.result(0).total.index == Fraction(90)
    assert fw.classification[int(t.class_index[0])].code == "A"
