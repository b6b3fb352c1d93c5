"""The five example communes: golden outputs, and the differences they are built to show."""
from __future__ import annotations

import pytest

from conftest import ROOT
from parscore import api
from parscore.scoring.result import to_json

EXAMPLES = sorted(p.name for p in (ROOT / "examples").iterdir() if (p / "bundle.yaml").is_file())
REFRESH = "python examples/generate.py --golden"


def results(name):
    return {r.framework["id"]: r for r in api.score_bundle_all(f"examples/{name}")}


@pytest.fixture(autouse=True)
def at_repo_root(monkeypatch):
    monkeypatch.chdir(ROOT)  # the JSON names files relative to the repo root


def test_there_are_five_examples_marked_illustrative():
    assert len(EXAMPLES) == 5
    for name in EXAMPLES:
        assert api.load_bundle(f"examples/{name}").illustrative


@pytest.mark.parametrize("name", EXAMPLES)
def test_golden_outputs(name):
    got = results(name)
    expected_dir = ROOT / "examples" / name / "expected"
    assert sorted(got) == sorted(p.stem for p in expected_dir.glob("*.json")), f"frameworks changed; refresh with: {REFRESH}"
    for fid, result in got.items():
        expected = (expected_dir / f"{fid}.json").read_text(encoding="utf-8")
        assert to_json(result) == expected, f"examples/{name} under {fid} differs from its golden output; if intended: {REFRESH}"


@pytest.mark.parametrize("name", EXAMPLES)
def test_each_example_scores_against_the_reference_qd766_sipas_and_its_own_plan(name):
    ids = set(results(name))
    assert {"qd766-2022", "sipas-2017"} <= ids
    assert any(i.startswith("reference-par-") for i in ids)
    assert len(ids) == 4


def test_the_examples_differ_the_way_real_communes_do():
    ref = {n: next(r for f, r in results(n).items() if f.startswith("reference-par-")) for n in EXAMPLES}
    index = {n: r.total.index for n, r in ref.items()}
    # Đào Xá is the best and in the top class
    assert max(index, key=index.get) == "dao-xa-2025" and ref["dao-xa-2025"].total.classification.code == "A"
    # Nhơn Hậu loses points mainly on late dossiers without apologies: its two largest losses are 3.2.1 and 3.2.2
    nh = ref["nhon-hau-2025"]
    assert {x.id for x in sorted(nh.leaves, key=lambda x: x.points_lost, reverse=True)[:2]} == {"3.2.1", "3.2.2"}
    apology = next(o for o in nh.leaf("3.2.2").observed if o.metric == "late_dossier_apology_letter_rate")
    assert apology.failing_count > 40
    # Anh Sơn has missing plans and late reports
    an = ref["anh-son-2025"]
    assert an.leaf("1.7").status == "missing_evidence" and an.leaf("1.5").status == "missing_evidence"
    assert an.leaf("1.8").status == "partial"
    # Triệu An has the weakest survey
    sipas = {n: results(n)["sipas-2017"].total.index for n in EXAMPLES}
    assert min(sipas, key=sipas.get) == "trieu-an-2023" and sipas["trieu-an-2023"] < 50
