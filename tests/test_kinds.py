"""Each rule kind against its own case file (src/parscore/kinds/<kind>/cases.yaml), one parametrised test."""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from helpers import leaf_framework, read_yaml, score, subject
from parscore.kinds import REGISTRY
from parscore.core.numbers import fraction

KINDS = Path(__file__).resolve().parents[1] / "src" / "parscore" / "kinds"


def _cases():
    for path in sorted(KINDS.glob("*/cases.yaml")):
        data = read_yaml(path)
        for g, group in enumerate(data["groups"]):
            for case in group["cases"]:
                yield pytest.param(path.parent.name, g, group, case, id=f"{path.parent.name}[{g}]:{case['name']}")


@pytest.mark.parametrize("file,group_index,group,case", list(_cases()))
def test_kind_case(tmp_path, file, group_index, group, case):
    fw = leaf_framework(tmp_path, group["leaf"]["rule"], group["leaf"]["max_points"], group.get("not_applicable", "shrink"))
    table = score(fw, subject(case["metrics"], case.get("manual")))
    leaf = table.result(0).leaf("1.1")
    expect = case["expect"]
    assert (leaf.points, leaf.status) == (fraction(expect["points"]), expect["status"]), leaf.explanation.en
    if "to_recover" in expect:
        want = expect["to_recover"]
        assert leaf.to_recover is not None, leaf.explanation.en
        assert leaf.to_recover.action == want["action"]
        assert leaf.to_recover.gain == fraction(want["gain"])
        if "amount" in want:
            assert leaf.to_recover.amount == fraction(want["amount"])
    assert leaf.explanation.vi and leaf.explanation.en and "{" not in leaf.explanation.en


def test_every_kind_has_a_case_file():
    covered = set()
    for path in KINDS.glob("*/cases.yaml"):
        for group in read_yaml(path)["groups"]:
            covered.add(group["leaf"]["rule"]["kind"])
    assert covered == set(REGISTRY.names())


def test_registry_refuses_a_second_kind_of_the_same_name():
    from parscore.kinds.base import Kind

    class Dup(Kind):
        name = "bands"
    with pytest.raises(ValueError, match="registered twice"):
        REGISTRY.register(Dup)


def test_unknown_kind_suggests_the_closest():
    err = REGISTRY.lookup("band", file="t.yaml", line=3)
    assert "did you mean 'bands'" in err.render("en")
    assert "có phải ý bạn là 'bands'" in err.render("vi")


def test_points_are_fractions_not_floats(tmp_path):
    fw = leaf_framework(tmp_path, {"kind": "pro_rata", "metric": "full_online_dossier_rate", "full_from": 90}, 4)
    leaf = score(fw, subject({"full_online_dossier_rate": {"numerator": 1, "denominator": 3}})).result(0).leaf("1.1")
    assert leaf.points == Fraction(40, 27) and isinstance(leaf.points, Fraction)
