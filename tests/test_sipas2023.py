"""SIPAS 2023–2026 (criteria/sipas-2023, QĐ 1001/QĐ-BNV) against the published national figures.

The Bộ Nội vụ published, for SIPAS 2023 (17/4/2024), the five service elements — access 83.00%, procedures
83.02%, civil servants 83.12%, outcomes 83.03%, complaint settlement 82.27% — and the overall index 82.66%
(vietnamnews.vn/society/1654134; TTXVN 18/4/2024). A survey whose satisfied shares equal the element figures
reproduces them exactly, leaf by leaf. The overall figure is not reproduced, and cannot be from what is
published: the plain mean of the five elements is 82.888%, so the decision's aggregation (and the policy part's
2023 value) is not the one parscore can state; the manifest says so and this test pins the gap.
"""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pandas as pd
import yaml

from helpers import dump
from parscore import api

N = 10_000  # respondents: the published figures have two decimals of a percent
SIPAS_2023 = {"access": 8300, "procedures": 8302, "civil_servants": 8312, "results": 8303, "feedback": 8227}
LEAF = {"access": "DV.1", "procedures": "DV.2", "civil_servants": "DV.3", "results": "DV.4", "feedback": "DV.5"}


def _survey_bundle(tmp: Path, satisfied: dict[str, int], name: str = "sipas") -> Path:
    """One question per element; the first `satisfied[element]` respondents answer 5, the rest 2."""
    d = tmp / name
    d.mkdir(parents=True)
    ids = pd.Series([f"P{i:05d}" for i in range(N)])
    frames = [pd.DataFrame({"respondent": ids, "element": element, "question": f"{element}.1",
                            "answer": [5] * good + [2] * (N - good)}) for element, good in satisfied.items()]
    pd.concat(frames).to_csv(d / "survey.csv", index=False)
    (d / "bundle.yaml").write_text(dump({"commune": "Xã Thử", "province": "T", "survey": "held",
                                         "period": {"start": "2023-01-01", "end": "2023-12-31"},
                                         "framework": "sipas-2023"}), "utf-8")
    return d


def test_a_survey_matching_the_published_2023_elements_reproduces_each_element(tmp_path):
    r = api.score_bundle(_survey_bundle(tmp_path, SIPAS_2023), "sipas-2023")
    for element, good in SIPAS_2023.items():
        leaf = r.leaf(LEAF[element])
        assert leaf.facts["rate"] == Fraction(100 * good, N), element  # 83.00 %, 83.02 %, …
        assert leaf.points == Fraction(10 * good, N)  # exact: 8.3 of 10 points
    # no policy answers in the set: the policy leaves are not applicable (shrink), the index is the service part
    assert r.leaf("CS.1").status == "not_applicable" and r.leaf("CS.2").status == "not_applicable"


def test_the_published_2023_overall_figure_is_not_the_mean_of_its_elements(tmp_path):
    r = api.score_bundle(_survey_bundle(tmp_path, SIPAS_2023), "sipas-2023")
    mean = Fraction(sum(SIPAS_2023.values()), 5 * N) * 100
    assert mean == Fraction("82.888")
    assert r.total.index == mean  # the index over the service part is the plain mean, by the illustrative weights
    assert mean != Fraction("82.66")  # the published SIPAS 2023: the aggregation of QĐ 1001 is something else


def test_the_published_2024_access_figure_is_reproduced(tmp_path):
    r = api.score_bundle(_survey_bundle(tmp_path, {"access": 8427}), "sipas-2023")
    assert r.leaf("DV.1").facts["rate"] == Fraction("84.27")  # SIPAS 2024, news.laodong.vn 6/4/2025


def test_sipas_2023_reads_the_new_survey_elements(tmp_path):
    d = _survey_bundle(tmp_path, {"policy_making": 7000, "policy_implementation": 9000}, name="policy")
    r = api.score_bundle(d, "sipas-2023")
    assert r.leaf("CS.1").points == Fraction("17.5") and r.leaf("CS.2").points == Fraction("22.5")  # 25 × 70 %, 25 × 90 %
    assert r.leaf("DV.1").status == "not_applicable"


def test_sipas_2023_manifest_names_the_decision_and_labels_its_weights():
    fw = api.load_framework("sipas-2023")
    assert fw.decision["number"] == "1001/QĐ-BNV" and str(fw.decision["date"]) == "2023-12-11"
    assert "NOT reproduced" in fw.decision["note"]
    for leaf in fw.leaves:
        assert leaf.source["points"].startswith("illustrative"), leaf.id
    head = yaml.safe_load((Path(fw.directory) / "manifest.yaml").read_text("utf-8"))
    assert {s["id"] for s in head["sources"]} >= {"qd-1001", "sipas-2023-results", "sipas-2024-results"}
