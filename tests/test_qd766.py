"""QĐ 766 per the portal's description (issue 11, item 2): zero denominators, source strength, the group splits."""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from helpers import make_bundle

from parscore import api
from parscore.cli import main
from parscore.core.errors import InputErrors
from parscore.criteria.framework import STRENGTHS, strength_marks
from parscore.kinds.base import when_empty
from parscore.metrics.catalogue import WHEN_EMPTY
from parscore.metrics.columns import ABSENT, PRESENT
from parscore.scoring.assemble import score_loaded

ROOT = Path(__file__).resolve().parents[1]


# ---- zero denominators ------------------------------------------------------------------------------------------

def test_every_ratio_metric_says_what_a_zero_denominator_means_and_why():
    ratios = [m for m in api.catalogue().values() if m.unit == "ratio"]
    assert ratios and all(m.when_empty in WHEN_EMPTY and m.when_empty_source for m in ratios)
    assert all(m.when_empty_source is None for m in api.catalogue().values() if m.unit != "ratio")
    assert api.catalogue()["portal_sync_rate"].when_empty == "zero"  # the description's own rule (1.4)


def test_the_schema_refuses_a_ratio_without_a_zero_denominator_policy(tmp_path):
    rules = tmp_path / "metrics"
    rules.mkdir()
    (rules / "x.yaml").write_text(
        "metrics:\n- name: x_rate\n  unit: ratio\n  title: {vi: x, en: x}\n  definition: {vi: x, en: x}\n  source: s\n",
        encoding="utf-8")
    with pytest.raises(InputErrors) as err:
        api.registry(rules=rules).catalogue  # noqa: B018
    assert "when_empty" in str(err.value)


@pytest.mark.parametrize("policy, expected", [("not_applicable", ([0, 3], [0, 4])), ("zero", ([0, 3], [1, 4])),
                                              ("full", ([1, 3], [1, 4]))])
def test_when_empty_reads_a_zero_denominator_as_its_metric_says(policy, expected):
    metric = type("M", (), {"when_empty": policy})()
    num, den = when_empty(metric, np.array([0, 3]), np.array([0, 4]), np.array([PRESENT, PRESENT]))  # type: ignore[arg-type]
    assert (num.tolist(), den.tolist()) == expected
    # an absent figure stays absent: the policy is about an empty denominator, not about missing evidence
    num, den = when_empty(metric, np.array([0]), np.array([0]), np.array([ABSENT]))  # type: ignore[arg-type]
    assert (num.tolist(), den.tolist()) == ([0], [0])


@pytest.mark.parametrize("policy, status, points", [("not_applicable", "not_applicable", 0), ("zero", "zero", 0),
                                                    ("full", "full", 20)])
def test_scoring_honours_each_policy_end_to_end(tmp_path, policy, status, points):
    rules = tmp_path / "rules" / "metrics"
    shutil.copytree(ROOT / "rules" / "metrics", rules)
    par = rules / "par.yaml"
    text = par.read_text(encoding="utf-8")
    at = text.index("- name: dossier_on_time_rate")
    head, tail = text[:at], text[at:]
    tail = tail.replace("  when_empty: not_applicable", f"  when_empty: {policy}", 1)
    par.write_text(head + tail, encoding="utf-8")
    reg = api.registry(rules=rules)
    assert reg.catalogue["dossier_on_time_rate"].when_empty == policy
    fw = reg.load("qd766-2022")
    rows = [{"id": "HS-1", "procedure": "x", "received_at": "2024-03-03", "due_at": "2024-03-10",
             "finished_at": "2024-03-05", "status": "returned", "channel": "direct"}]  # before the period: 0/0 in 2025
    bundle = api.load_bundle(make_bundle(tmp_path, {"dossiers": rows}))
    leaf = next(x for x in score_loaded(fw, bundle).leaves if x.id == "2.1")
    assert (leaf.status, leaf.points) == (status, points)


# ---- the group splits (maxima table, sourceRows 2–25) -------------------------------------------------------------

def test_group_splits_follow_the_portal_maxima_table():
    fw = api.load_framework("qd766-2022")
    splits = {f.id: [c.max_points for c in f.children] for f in fw.fields}
    assert splits == {"1": [6, 4, 2, 6], "2": [20], "3": [12], "4": [2, 2, 6], "5": [6, 4, 2, 2, 4, 2, 2], "6": [6, 6, 6]}
    assert fw.get("3.1").view.metrics["metric"].name == "full_online_dossier_rate"  # full-online dossiers / eligible
    assert fw.get("6.3").view.metrics["metric"].name == "dossier_satisfaction_rate"
    assert fw.total_points == 100


def test_every_leaf_has_examples_at_and_below_threshold_and_not_applicable():
    fw = api.load_framework("qd766-2022")
    for leaf in fw.leaves:
        assert {"at_threshold", "below_threshold", "not_applicable"} <= {c.tag for c in leaf.cases}, leaf.id
    report = api.run_cases(fw)
    assert report.failures == [] and len(report.outcomes) == sum(len(leaf.cases) for leaf in fw.leaves) == 76
    assert report.uncovered == ()


def test_thresholds_the_description_states_are_marked_portal_description_the_rest_illustrative():
    fw = api.load_framework("qd766-2022")
    stated = {"4.1": 80, "5.2": 80, "5.4": 80, "6.3": 90}  # 'Đạt từ …% trở lên sẽ đạt điểm tối đa' (3.5, 4.2, 4.3, 5.4)
    for leaf in fw.leaves:
        full = leaf.view.params.full_from * 100
        mark = leaf.source["strength"]["requirement"]
        if leaf.id in stated:
            assert (full, mark) == (stated[leaf.id], "portal_description"), leaf.id
        else:
            assert (full, mark) == (100, "illustrative"), leaf.id
        assert leaf.source["strength"]["points"] == "portal_description"


# ---- source strength ---------------------------------------------------------------------------------------------

def test_every_figure_of_the_qd766_framework_carries_a_source_strength():
    fw = api.load_framework("qd766-2022")
    for node in fw.nodes():
        assert node.source and set(node.source["strength"]) == {"requirement", "points"}, node.id
    assert all(b.strength for b in fw.blocks) and all(c.strength for c in fw.classification)
    counts = strength_marks(fw)
    assert set(counts) == set(STRENGTHS)
    assert counts == {"official": 0, "portal_description": 36, "illustrative": 18}


def test_a_strength_outside_the_three_is_refused(tmp_path):
    shutil.copytree(ROOT / "criteria" / "qd766-2022", tmp_path / "qd766-2022")
    manifest = tmp_path / "qd766-2022" / "manifest.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("strength: portal_description", "strength: rumour", 1),
                        encoding="utf-8")
    with pytest.raises(InputErrors) as err:
        api.load_framework(str(tmp_path / "qd766-2022"))
    assert "rumour" in str(err.value)


def test_show_prints_each_mark_vietnamese_first():
    vi = CliRunner().invoke(main, ["show", "qd766-2022"])
    assert vi.exit_code == 0
    assert "Độ tin cậy nguồn: điểm — mô tả kỹ thuật của Cổng DVC quốc gia (nguồn thứ cấp); yêu cầu — minh họa" in vi.output
    assert "văn bản chính thức 0 · mô tả kỹ thuật của Cổng DVC quốc gia (nguồn thứ cấp) 36 · minh họa 18" in vi.output
    en = CliRunner().invoke(main, ["show", "qd766-2022", "6.3", "--lang", "en"])
    assert "Source strength: points — the national portal's technical description (secondary source); " \
           "requirement — the national portal's technical description (secondary source)" in en.output
    assert "zero denominator: not applicable" in en.output
    sync = CliRunner().invoke(main, ["show", "qd766-2022", "1.4"])
    assert "mẫu số bằng 0: tính là 0 %" in sync.output


def test_every_qd766_source_cites_the_secondary_source_by_its_index_ids():
    fw = api.load_framework("qd766-2022")
    for leaf in fw.leaves:
        assert "70571676199" in leaf.source["points"], leaf.id  # the maxima table
        assert "70311388051" in leaf.source["requirement"] or "70571676199" in leaf.source["requirement"], leaf.id
    assert "41A27E55E251C616408D310EE7467CC831D373ED95B108FD65D5832A337087AF" in (ROOT / "criteria/qd766-2022/manifest.yaml").read_text(encoding="utf-8")
