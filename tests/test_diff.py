"""parscore diff: leaves added, removed and changed between editions, and a bundle's per-leaf change."""
from __future__ import annotations

import json

from click.testing import CliRunner

from conftest import ROOT
from parscore import api
from parscore.cli import main
from parscore.criteria.diff import diff_frameworks


def test_editions_differ_where_the_seeds_differ():
    changes = {c.id: c for c in diff_frameworks(api.load_framework("reference-par-2025"), api.load_framework("reference-par-2023"))}
    assert changes["1.8"].change == "removed"
    assert changes["3.2.1"].what == ("bands",)
    assert changes["7.1.1"].after["full_from"] == 80 and changes["7.1.1"].before["full_from"] == 50
    assert set(changes["1.7"].what) >= {"max_points", "due"}
    assert "1.1" not in changes  # unchanged leaves are not listed


def test_a_framework_against_itself_has_no_changes():
    fw = api.load_framework("qd766-2022")
    assert diff_frameworks(fw, fw) == []


def test_diff_with_a_bundle_json():
    r = CliRunner().invoke(main, ["diff", "reference-par-2025", "reference-par-2023", "--bundle", str(ROOT / "examples" / "trieu-an-2023"), "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    scores = {s["id"]: s for s in data["scores"]}
    assert scores["3.2.1"]["b"] == 7 and scores["3.2.1"]["exact"]["b"] == "7" and scores["1.8"]["b"] is None
    assert data["total"]["a"]["index"] != data["total"]["b"]["index"]


def test_diff_unknown_framework_is_a_located_error():
    r = CliRunner().invoke(main, ["diff", "reference-par-2025", "reference-par-2042", "--lang", "en"])
    assert r.exit_code == 2 and "did you mean" in r.output
