"""What-if, goal seeking, sensitivity, sweeps and batch grading."""
from __future__ import annotations

import json
from fractions import Fraction

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import ROOT
from helpers import dump
from parscore import api
from parscore.cli import main
from parscore.scoring.result import to_json
from parscore.planning.scenario import EMPTY, scenario_from
from parscore.core.yamlio import loads

EX = ROOT / "examples"
SC = EX / "scenarios"
EXAMPLES = sorted(p.name for p in EX.iterdir() if (p / "bundle.yaml").is_file())


def run(*args):
    r = CliRunner().invoke(main, [str(a) for a in args])
    # CliRunner swallows a crash into .exception; a bug must not hide behind exit 3 either
    assert (r.exception is None or isinstance(r.exception, SystemExit)) and r.exit_code != 3, r.output
    return r


@pytest.fixture(autouse=True)
def at_repo_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_empty_scenario_is_the_identity(name):
    bundle = api.load_bundle(f"examples/{name}")
    for fid in bundle.frameworks:
        fw = api.load_framework(fid)
        for empty in (EMPTY, api.load_scenario(SC / "empty.yaml")):
            assert to_json(api.score_scenario(fw, bundle, empty)[0]) == to_json(api.score_loaded(fw, bundle))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(["dossier_on_time_rate", "late_dossier_apology_letter_rate", "sipas_access", "e_work_files_rate"]),
                       st.tuples(st.integers(0, 500), st.integers(0, 500)), max_size=4))
def test_empty_scenario_identity_on_any_reported_figures(figures):
    doc = loads(dump({"name": "x", "set": {m: {"numerator": min(a, b), "denominator": max(a, b)} for m, (a, b) in figures.items()}}), "s.yaml")
    sc = scenario_from(doc, api.catalogue())
    bundle = api.load_bundle(ROOT / "tests" / "fixtures" / "reported-only")
    fw = api.load_framework("reference-par-2025")
    changed = api.score_scenario(fw, bundle, sc)[0]
    # applying nothing on top of the changed bundle changes nothing
    from parscore.planning.scenario import apply_to_bundle
    b2, _ = apply_to_bundle(bundle, sc, api.catalogue())
    assert to_json(api.score_scenario(fw, b2, EMPTY)[0]) == to_json(api.score_loaded(fw, b2))
    assert changed.total.points == api.score_loaded(fw, b2).total.points


def test_record_edits_move_the_leaves_that_read_them():
    w = api.whatif("examples/nhon-hau-2025", [api.load_scenario(SC / "fix-apologies.yaml")])
    before, after = w.baseline.leaf("3.2.2"), w.runs[0][1].leaf("3.2.2")
    assert before.status == "zero" and after.status == "full"
    assert w.runs[0][1].total.points - w.baseline.total.points == 3


def test_plan_issued_and_reports_submitted_scenario():
    w = api.whatif("examples/anh-son-2025", [api.load_scenario(SC / "plan-on-time.yaml")])
    after = w.runs[0][1]
    assert w.baseline.leaf("1.7").status == "missing_evidence" and after.leaf("1.7").status == "full"
    assert after.leaf("1.8").points > w.baseline.leaf("1.8").points


def test_whatif_json_and_class_change():
    r = run("whatif", "examples/anh-son-2025", SC / "plan-on-time.yaml", SC / "fix-apologies.yaml", "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert [s["scenario"] for s in data["results"]] == ["plan and reports", "apologies"]
    assert data["results"][0]["leaf_deltas"]["1.7"] == 1 and data["results"][0]["leaf_deltas"]["exact"]["1.7"] == "1"


@pytest.mark.parametrize("name,target", [("nhon-hau-2025", "90"), ("anh-son-2025", "B"), ("trieu-an-2023", "80"), ("hop-tien-2025h2", "A")])
def test_a_plans_actions_applied_as_a_scenario_reach_the_index_it_announced(name, target):
    p = api.plan(f"examples/{name}", target)
    if p.steps:
        assert p.final.total.index == p.steps[-1].running_index  # announced == re-scored, exactly
    assert p.reached == (p.final.total.index >= p.target_index)
    costs = [s.cost for s in p.steps]
    assert p.total_cost == sum(costs, Fraction(0))


def test_plan_says_when_the_target_cannot_be_reached():
    # Anh Sơn's late reports and its plan issued too late cannot be recovered within the period
    p = api.plan("examples/anh-son-2025", "100", framework="anh-son-2025")
    assert not p.reached and p.best_reachable_index is not None and p.best_reachable_index < 100
    r = run("plan", "examples/anh-son-2025", "--target", "100", "--framework", "anh-son-2025", "--lang", "en")
    assert "cannot be reached" in r.output


def test_plan_exact_for_small_sets_is_no_costlier_than_greedy(tmp_path):
    costs = tmp_path / "costs.yaml"
    costs.write_text(dump({"actions": {"more_events": 50}, "metrics": {"late_dossier_apology_letter_rate": "0,5"}}))
    p = api.plan("examples/nhon-hau-2025", "88", costs, framework="reference-par-2025")
    assert p.reached
    assert all(s.option.action != "more_events" or s.cost >= 50 for s in p.steps)


def test_plan_bad_target_and_bad_costs(tmp_path):
    r = run("plan", "examples/nhon-hau-2025", "--target", "X", "--lang", "en")
    assert r.exit_code == 2 and "neither a percentage nor a class" in r.output
    bad = tmp_path / "c.yaml"
    bad.write_text(dump({"metrics": {"dossier_ontime_rate": 1}}))
    r = run("plan", "examples/nhon-hau-2025", "--target", "90", "--costs", bad, "--lang", "en")
    assert r.exit_code == 2 and "did you mean 'dossier_on_time_rate'" in r.output


def test_sensitivity_levers_are_ranked_and_their_thresholds_are_real():
    from parscore.planning.sensitivity import levers
    bundle = api.load_bundle("examples/nhon-hau-2025")
    fw = api.load_framework("reference-par-2025")
    lv = levers(fw, bundle, api.score_loaded(fw, bundle))
    assert lv and all(a.best_per_unit >= b.best_per_unit for a, b in zip(lv, lv[1:]))
    apology = next(x for x in lv if x.metric == "late_dossier_apology_letter_rate")
    assert apology.threshold_gain == 3 and apology.per_unit == 0  # all-or-nothing: one letter alone earns nothing
    r = run("sensitivity", "examples/nhon-hau-2025", "--format", "json")
    assert r.exit_code == 0 and json.loads(r.output)["results"][0]["metric"] == lv[0].metric


def test_sweep_grid_is_exact_at_band_edges(tmp_path):
    out = tmp_path / "s.csv"
    r = run("sweep", "examples/nhon-hau-2025", "--vary", "dossier_on_time_rate=99,8:100:0,1", "--out", out)
    assert r.exit_code == 0, r.output
    import pandas as pd
    t = pd.read_csv(out)
    assert list(t["dossier_on_time_rate"]) == [99.8, 99.9, 100.0]
    assert t["points"][1] - t["points"][0] == pytest.approx(3.5)  # 99.9 % enters the top band exactly


def test_sweep_of_100000_points_in_one_call():
    from parscore.scoring.frame import Subject
    from parscore.planning.sweep import parse_axis, sweep
    bundle = api.load_bundle("examples/nhon-hau-2025")
    fw = api.load_framework("reference-par-2025")
    axes = [parse_axis("dossier_on_time_rate=90:100:0,01", fw, api.catalogue()),  # 1,001 values
            parse_axis("sipas_access=0:99:1", fw, api.catalogue())]              # 100 values
    table, scores = sweep(fw, Subject("b", bundle.metrics, bundle.manual), axes)
    assert len(table) == 100_100 and scores.n == 100_100
    assert table["index"].is_monotonic_increasing is False  # two axes, so the index is not one sorted column
    assert set(table["classification"]) <= {b.code for b in fw.classification}


def test_sweep_bad_axis():
    r = run("sweep", "examples/nhon-hau-2025", "--vary", "dossier_ontime_rate=0:1:1", "--lang", "en")
    assert r.exit_code == 2 and "did you mean" in r.output
    r = run("sweep", "examples/nhon-hau-2025", "--vary", "dossier_on_time_rate=90:120:1", "--lang", "en")
    assert r.exit_code == 2


def test_batch_ranks_are_consistent_with_scores_and_a_broken_bundle_is_skipped(tmp_path):
    import shutil
    for name in EXAMPLES:
        shutil.copytree(EX / name, tmp_path / name)
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "bundle.yaml").write_text("commune: [\n")
    out = tmp_path / "ranking.json"
    r = run("batch", tmp_path, "--framework", "reference-par-2025", "--out", out, "--jobs", "2", "--mixed")
    assert r.exit_code == 0, r.output
    data = json.loads(out.read_text())
    ranks = [(e["rank"], Fraction(e["exact"]["index"])) for e in data["results"]]
    assert len(ranks) == 5 and len(data["skipped"]) == 1 and "broken" in data["skipped"][0]["bundle"]
    for (r1, i1), (r2, i2) in zip(ranks, ranks[1:]):
        assert (r1 < r2 and i1 > i2) or (r1 == r2 and i1 == i2)
    for e in data["results"]:  # each index equals the single-bundle score
        assert Fraction(e["exact"]["index"]) == api.score_bundle(e["bundle"], "reference-par-2025").total.index
    assert sum(data["distribution"].values()) == 5


def test_batch_with_a_scenario_gives_rank_changes_and_writes_excel(tmp_path):
    out = tmp_path / "r.xlsx"
    r = run("batch", *[EX / n for n in EXAMPLES], "--framework", "reference-par-2025", "--scenario", SC / "fix-apologies.yaml", "--out", out, "--jobs", "1")
    assert r.exit_code == 0, r.output
    import openpyxl
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Xếp hạng", "Điểm theo lĩnh vực", "Phân loại", "Điểm mất nhiều nhất", "Bộ bị bỏ qua"]
    head = [c.value for c in wb["Xếp hạng"][4]]
    assert "Hạng sau kịch bản" in head and "Thay đổi hạng" in head


def test_scenario_bad_input_is_located(tmp_path):
    cases = [({"name": "x", "set": {"dossier_ontime_rate": {"value": 99}}}, "did you mean 'dossier_on_time_rate'"),
             ({"name": "x", "evidence": [{"issue_document": {"type": "par_plan", "on": "32/01/2025"}}]}, "'32/01/2025' is not a valid date"),
             ({"name": "x", "framework": {"leaves": {"3.2.9": {"full_from": 80}}}}, "has no criterion '3.2.9'"),
             ({"name": "x", "framework": {"leaves": {"3.2.1": {"bands": "high"}}}}, "kinds/bands"),
             ({"name": "x", "evidence": [{"submit_report": {"type": "cchc", "period": "Q9", "on": "2025-01-01"}}]}, "reference 'cchc Q9' is not in reports"),
             ({"name": "x", "evidence": [{"finish_late": {"count": 1}}]}, "s.yaml:")]
    for data, piece in cases:
        p = tmp_path / "s.yaml"
        p.write_text(dump(data))
        r = run("whatif", "examples/nhon-hau-2025", p, "--lang", "en")
        assert r.exit_code == 2 and piece in r.output, (data, r.output)


def test_tasks_and_feedback_edits_make_them_on_time(tmp_path):
    p = tmp_path / "s.yaml"
    p.write_text(dump({"name": "t", "evidence": [{"complete_tasks": {"count": "all"}}, {"resolve_feedback_on_time": {"count": "all"}}]}))
    w = api.whatif("examples/nhon-hau-2025", [api.load_scenario(p)])
    after = w.runs[0][1]
    assert after.leaf("1.2").status == "full" and after.leaf("3.3.1").status == "full"
    assert w.baseline.leaf("1.2").status != "full"


def test_a_sweep_in_chunks_gives_the_rows_of_the_whole_grid():
    import pandas as pd
    from parscore.scoring.frame import Subject
    from parscore.planning.sweep import parse_axis, sweep, sweep_table
    bundle = api.load_bundle("examples/nhon-hau-2025")
    fw = api.load_framework("reference-par-2025")
    axes = [parse_axis("dossier_on_time_rate=90:100:0,5", fw, api.catalogue()),
            parse_axis("sipas_access=0:99:7", fw, api.catalogue())]
    subject = Subject("b", bundle.metrics, bundle.manual)
    whole, _ = sweep(fw, subject, axes)
    pd.testing.assert_frame_equal(sweep_table(fw, subject, axes, chunk=37), whole)


@pytest.mark.parametrize("example", ["nhon-hau-2025", "anh-son-2025"])
def test_a_plan_written_as_a_scenario_file_reads_back_to_the_same_result(example):
    bundle = api.load_bundle(ROOT / "examples" / example)
    made = api.plan(bundle, "98")
    assert made.scenario is not None and made.scenario.set
    text = api.scenario_yaml(made.scenario)
    again = api.parse_scenario(text, "plan.yaml")
    assert set(again.set) == set(made.scenario.set)
    for name, value in made.scenario.set.items():  # each value reads back as it was (provenance aside)
        back = again.set[name]
        assert (back.state, back.num, back.den, back.counted, back.n, back.day, dict(back.series)) == \
            (value.state, value.num, value.den, value.counted, value.n, value.day, dict(value.series))
    result, _ = api.score_scenario(api.load_framework(bundle.frameworks[0]), bundle, again)
    assert result.total.index == made.final.total.index


def test_every_unit_writes_an_entry_that_parses_back():
    from parscore.core.errors import Collector
    from parscore.core.yamlio import Located
    from parscore.metrics.values import MetricValue, entry_of, parse_entry
    values = [MetricValue("r", "ratio", num=3, den=7), MetricValue("p", "ratio", num=9735, den=10000, counted=False),
              MetricValue("c", "count", n=4), MetricValue("d", "date", day=20100),
              MetricValue("s", "date_series", series={"Q1": 20100, "Q2": None})]
    for v in values:
        c = Collector()
        back = parse_entry(c, Located({}, "<t>", {}), ("set", v.name), v.name, v.unit, entry_of(v))
        assert not c.errors and back is not None
        assert (back.num, back.den, back.counted, back.n, back.day, dict(back.series)) == \
            (v.num, v.den, v.counted, v.n, v.day, dict(v.series))
