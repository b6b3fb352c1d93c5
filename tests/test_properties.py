"""Invariants of scoring, stated as properties (hypothesis)."""
from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction
from importlib import resources

import jsonschema
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from parscore import api
from parscore.scoring.engine import score_frame
from parscore.core import dates
from parscore.core.numbers import display, fraction
from parscore.metrics.values import MetricValue, added
from parscore.scoring.frame import Subject, build_frame, frame_columns, typed
from parscore.scoring.assemble import manifest, subject_info
from parscore.scoring.result import to_json
from parscore.metrics.columns import METRIC_NA, PRESENT, ABSENT, col

FRAMEWORKS = {fw.id: fw for fw in api.frameworks()}
IDS = sorted(FRAMEWORKS)
BUNDLE = api.load_bundle("examples/dao-xa-2025")
RESULT_SCHEMA = json.loads(resources.files("parscore").joinpath("schemas", "result.schema.json").read_text("utf-8"))


def units_of(fw):
    return {m.name: m.unit for leaf in fw.leaves for m in leaf.view.metrics.values()}


@st.composite
def metric_rows(draw, fw, n_min=1, n_max=5):
    """Random metric frames for `fw`: every metric present, absent or not applicable, with any value."""
    defaults = frame_columns(fw)
    units = units_of(fw)
    series = [c for c in defaults if "@" in c]
    manual = [c[: -len(":state")] for c in defaults if c.startswith("manual:") and c.endswith(":state")]
    n = draw(st.integers(n_min, n_max))
    rows = []
    for _ in range(n):
        row = {}
        for name, unit in units.items():
            state = draw(st.sampled_from([PRESENT, PRESENT, PRESENT, ABSENT, METRIC_NA]))
            row[col(name, "state")] = state
            if unit == "ratio":
                den = draw(st.integers(0, 2000))
                row[col(name, "den")] = den
                row[col(name, "num")] = draw(st.integers(0, 2 * den if name == "budget_revenue_rate" else den))
                row[col(name, "counted")] = True
            elif unit == "count":
                row[col(name, "n")] = draw(st.integers(0, 6))
            elif unit == "date":
                row[col(name, "day")] = draw(st.integers(19000, 20500))
        for c in series:
            row[c] = draw(st.integers(19000, 20500))
        for m in manual:
            leaf = fw.get(m.split(":", 1)[1])
            row[col(m, "state")] = draw(st.sampled_from([PRESENT, ABSENT]))
            row[col(m, "num")] = draw(st.integers(0, int(leaf.max_points)))
            row[col(m, "den")] = 1
        rows.append(row)
    return typed(pd.DataFrame(rows), defaults)


SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("fid", IDS)
@SETTINGS
@given(data=st.data())
def test_points_within_bounds_lost_is_max_minus_points_and_parents_are_sums(fid, data):
    fw = FRAMEWORKS[fid]
    frame = data.draw(metric_rows(fw))
    table = score_frame(fw, frame)
    for i in range(len(frame)):
        r = table.result(i)
        for leaf in r.leaves:
            assert leaf.points_lost == leaf.max_points - leaf.points
            if fw.get(leaf.id).kind_impl.adjustment and leaf.points < 0:
                assert -leaf.facts["cap"] <= leaf.points
            else:
                assert 0 <= leaf.points <= leaf.declared_max_points
        by_id = {x.id: x for x in (*r.leaves, *r.nodes)}
        for node in r.nodes:
            assert node.points == sum(by_id[c].points for c in node.children)
            assert node.max_points == sum(by_id[c].max_points for c in node.children)
        assert r.total.points == sum(b.points for b in r.blocks)
        assert r.total.max_points == sum(b.max_points for b in r.blocks if b.role != "adjustment")
        assert abs(float(r.total.points) - table.points[i]) < 1e-9
        if r.total.index is not None:
            k = int(table.class_index[i])
            if k >= 0:
                assert r.total.index >= fw.classification[k].min_index
            if k > 0:
                assert r.total.index < fw.classification[k - 1].min_index
        # every random result, with a real subject and manifest, is a valid result document
        full = table.result(i, subject_info(BUNDLE), [], manifest(fw, BUNDLE))
        jsonschema.validate(json.loads(to_json(full)), RESULT_SCHEMA)


@pytest.mark.parametrize("fid", IDS)
@SETTINGS
@given(data=st.data(), rnd=st.randoms(use_true_random=False))
def test_row_order_changes_nothing_and_vectorised_equals_one_row(fid, data, rnd):
    fw = FRAMEWORKS[fid]
    frame = data.draw(metric_rows(fw, n_min=2, n_max=5))
    table = score_frame(fw, frame)
    order = list(range(len(frame)))
    rnd.shuffle(order)
    shuffled = score_frame(fw, frame.iloc[order].reset_index(drop=True))
    for new_i, old_i in enumerate(order):
        single = score_frame(fw, frame.iloc[[old_i]].reset_index(drop=True))
        for t, j in ((shuffled, new_i), (single, 0)):
            for leaf in fw.leaves:
                assert t.leaf_points(leaf.id, j) == table.leaf_points(leaf.id, old_i)
            assert t.exact_total(j)[:2] == table.exact_total(old_i)[:2]
            assert t.class_index[j] == table.class_index[old_i]


@pytest.mark.parametrize("fid", IDS)
@SETTINGS
@given(data=st.data())
def test_monotone_kinds_never_lose_points_when_their_metric_improves(fid, data):
    fw = FRAMEWORKS[fid]
    frame = data.draw(metric_rows(fw, n_min=1, n_max=3))
    better = frame.copy()
    for name, unit in units_of(fw).items():
        if unit == "ratio":
            den = better[col(name, "den")].to_numpy()
            num = better[col(name, "num")].to_numpy()
            bump = np.array([data.draw(st.integers(0, int(d - k))) if d > k else 0 for k, d in zip(num, den)])
            better[col(name, "num")] = num + bump
        elif unit == "count":
            better[col(name, "n")] = better[col(name, "n")] + data.draw(st.integers(0, 3))
    before, after = score_frame(fw, frame), score_frame(fw, better)
    for leaf in fw.leaves:
        if not leaf.kind_impl.monotone or leaf.kind_impl.adjustment and leaf.kind == "penalty":
            continue
        for i in range(len(frame)):
            assert after.leaf_points(leaf.id, i) >= before.leaf_points(leaf.id, i), leaf.id


@pytest.mark.parametrize("fid", IDS)
@SETTINGS
@given(data=st.data())
def test_adding_nothing_to_any_figure_is_a_no_op(fid, data):
    """The no-op scenario property: `add 0` to every present rate or count leaves every point where it was."""
    fw = FRAMEWORKS[fid]
    frame = data.draw(metric_rows(fw, n_min=1, n_max=1))
    units = units_of(fw)
    values = {}
    for name, unit in units.items():
        state = int(frame[col(name, "state")][0])
        if unit == "ratio":
            values[name] = MetricValue(name, unit, state, num=int(frame[col(name, "num")][0]),
                                       den=int(frame[col(name, "den")][0]), counted=data.draw(st.booleans()))
        elif unit == "count":
            values[name] = MetricValue(name, unit, state, n=int(frame[col(name, "n")][0]))
    subject = Subject("s", values)
    moved = Subject("s", {k: added(v, {"value": 0}) for k, v in values.items()})
    a = score_frame(fw, build_frame(fw, [subject]), [subject])
    b = score_frame(fw, build_frame(fw, [moved]), [moved])
    assert a.exact_total(0)[:2] == b.exact_total(0)[:2]
    for leaf in fw.leaves:
        assert a.leaf_points(leaf.id, 0) == b.leaf_points(leaf.id, 0)


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=0, max_value=10**9, places=4, allow_nan=False, allow_infinity=False))
def test_numbers_round_trip_through_display_in_both_languages(value):
    for lang in ("vi", "en"):
        assert fraction(display(Fraction(value), 4, lang)) == Fraction(value)


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_dates_round_trip_through_their_text_in_both_languages(day):
    for lang in ("vi", "en"):
        assert dates.parse_date(dates.text(day, lang)) == day
        assert dates.from_day(dates.day(day)) == day


def test_class_boundary_is_exact_not_floating_point(tmp_path):
    """An index of exactly 90 is class A even where float arithmetic lands a hair below."""
    from helpers import leaf_framework, score, subject
    fw = leaf_framework(tmp_path, {"kind": "pro_rata", "metric": "full_online_dossier_rate", "full_from": 100}, "1.1")
    # 1.1 × 27/30 out of 1.1 is exactly 90 %; in floating point it is 89.99999999999999
    t = score(fw, subject({"full_online_dossier_rate": {"numerator": 27, "denominator": 30}}))
    assert t.index[0] < 90  # the float path alone would misclassify this row
    assert t.result(0).total.index == Fraction(90)
    assert fw.classification[int(t.class_index[0])].code == "A"
