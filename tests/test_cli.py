"""The CLI end to end on the shipped example."""
from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources

import jsonschema
from click.testing import CliRunner

from parscore.cli import main
from conftest import ROOT

EXAMPLE = str(ROOT / "tests" / "fixtures" / "reported-only")  # reported figures only, no records


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_score_json_validates_against_the_shipped_schema_and_is_deterministic():
    a = run("score", EXAMPLE, "--format", "json")
    b = run("score", EXAMPLE, "--format", "json")
    assert a.exit_code == 0 and a.output == b.output
    schema = json.loads(resources.files("parscore").joinpath("schemas", "result.schema.json").read_text("utf-8"))
    data = json.loads(a.output)
    jsonschema.validate(data, schema)
    (result,) = data["results"]
    assert result["manifest"]["files"] and all(len(h) == 64 for h in result["manifest"]["files"].values())
    assert result["framework"]["id"] == "reference-par-2025"


def test_table_shows_total_class_and_recovery():
    r = run("score", EXAMPLE, "--lang", "en")
    assert r.exit_code == 0
    assert "Index:" in r.output and "Class:" in r.output
    assert "more dossiers on time" in r.output  # 3.2.1 recovery
    assert "Illustrative data" in r.output


def test_vietnamese_is_default_and_uses_decimal_comma():
    r = run("score", EXAMPLE)
    assert "Chỉ số:" in r.output and "Xếp loại" in r.output and re.search(r"\d+,\d\d%", r.output)


def test_fail_under_exit_codes():
    assert run("score", EXAMPLE, "--fail-under", "50").exit_code == 0
    r = run("score", EXAMPLE, "--fail-under", "99,5", "--lang", "en")
    assert r.exit_code == 1 and "below" in r.output


def test_explain_names_inputs_and_what_to_do():
    r = run("explain", EXAMPLE, "3.2.2", "--lang", "en")
    assert r.exit_code == 0
    assert "5/8" in r.output and "3 more late dossiers with an apology letter" in r.output
    assert "metrics.yaml" in r.output


def test_explain_unknown_leaf():
    r = run("explain", EXAMPLE, "3.2.9", "--lang", "en")
    assert r.exit_code == 2 and "did you mean" in r.output


def test_markdown():
    r = run("score", EXAMPLE, "--format", "markdown", "--lang", "en")
    assert r.exit_code == 0 and r.output.startswith("# ") and "| 3.2.1 |" in r.output


def test_show_and_frameworks_and_test():
    assert "3.2.1" in run("show", "reference-par-2025", "--lang", "en").output
    leaf = run("show", "reference-par-2025", "3.2.1", "--lang", "en").output
    assert "≥ 99.9%: 7 points" in leaf
    assert "reference-par-2025" in run("frameworks").output
    t = run("test", "--lang", "en")
    assert t.exit_code == 0 and "coverage" in t.output and " 0 failed" in t.output


def test_validate_ok():
    r = run("validate", str(ROOT / "criteria" / "reference-par-2025"), EXAMPLE, "--lang", "en")
    assert r.exit_code == 0 and r.output.count("valid") == 2


def test_python_dash_m_entry_point():
    p = subprocess.run([sys.executable, "-m", "parscore", "--help"], capture_output=True, text=True)
    assert p.returncode == 0 and "score" in p.stdout


import re  # noqa: E402
