"""Bad input: one located line per problem, in the user's language, exit code 2, no traceback, nothing written."""
from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from parscore.cli import main


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    # CliRunner swallows a crash into .exception; a bug must not hide behind exit 3 either
    assert (result.exception is None or isinstance(result.exception, SystemExit)) and result.exit_code != 3, result.output
    return result


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


BUNDLE_CASES = [
    # (what, old text in metrics.yaml, new text, expected pieces of the one-line error)
    ("negative count", "dialogues_held: {value: 2,", "dialogues_held: {value: -2,", ["metrics.yaml:", "metrics.dialogues_held.value", "-2"]),
    ("numerator above denominator", "{numerator: 27, denominator: 30,", "{numerator: 31, denominator: 30,", ["metrics.plan_tasks_on_time_rate", "31", "30"]),
    ("percentage above 100", 'sipas_access: {value: "91,2"', 'sipas_access: {value: "101,2"', ["metrics.sipas_access.value", "101,2"]),
    ("NaN", 'e_work_files_rate: {value: "62,5"}', "e_work_files_rate: {value: .nan}", ["metrics.e_work_files_rate.value", "NaN"]),
    ("not a number", 'e_work_files_rate: {value: "62,5"}', 'e_work_files_rate: {value: "sáu mươi"}', ["e_work_files_rate.value", "sáu mươi"]),
    ("unknown metric", "dialogues_held:", "dialogue_held:", ["metrics.dialogue_held", "did you mean 'dialogues_held'"]),
    ("malformed YAML", "manual:\n", "manual: [\n", ["metrics.yaml:", "malformed YAML"]),
    ("unknown key", "source: \"Sổ công văn đi\"", "sourse: \"Sổ công văn đi\"", ["sourse", "did you mean 'source'"]),
    ("bad date", "value: 14/02/2025", "value: 31/02/2025", ["propaganda_plan_issued_on.value", "31/02/2025"]),
    ("manual points above max", "    points: 3\n", "    points: 4\n", ["manual.5.1.2.points", "0–3"]),
]


@pytest.mark.parametrize("what,old,new,pieces", BUNDLE_CASES, ids=[c[0] for c in BUNDLE_CASES])
def test_bad_bundle(example, tmp_path, what, old, new, pieces):
    edit(example / "metrics.yaml", old, new)
    out = tmp_path / "out.json"
    r = run("score", str(example), "--lang", "en", "--format", "json", "--out", str(out))
    assert r.exit_code == 2, r.output
    lines = [x for x in r.output.splitlines() if x.strip()]
    assert len(lines) == 1, lines
    for piece in pieces:
        assert piece in lines[0], (piece, lines[0])
    assert re.search(r"metrics\.yaml:\d+", lines[0]), lines[0]
    assert " — fix: " in lines[0]
    assert not out.exists()  # nothing half-written


def test_errors_speak_vietnamese(example):
    edit(example / "metrics.yaml", "dialogues_held: {value: 2,", "dialogues_held: {value: -2,")
    r = run("score", str(example), "--lang", "vi")
    assert r.exit_code == 2 and "số âm" in r.output and "cách sửa" in r.output


def test_every_error_reported_at_once(example):
    edit(example / "metrics.yaml", "dialogues_held: {value: 2,", "dialogues_held: {value: -2,")
    edit(example / "metrics.yaml", 'sipas_access: {value: "91,2"', 'sipas_access: {value: "101"')
    r = run("score", str(example), "--lang", "en")
    assert r.exit_code == 2 and len(r.output.strip().splitlines()) == 2


def test_missing_bundle_file(tmp_path):
    r = run("score", str(tmp_path / "nowhere"), "--lang", "en")
    assert r.exit_code == 2 and "nowhere" in r.output and "file not found" in r.output


def test_bundle_without_bundle_yaml(tmp_path):
    (tmp_path / "b").mkdir()
    r = run("score", str(tmp_path / "b"), "--lang", "en")
    assert r.exit_code == 2 and "bundle.yaml" in r.output and "file not found" in r.output


def test_yaml_alias_bomb_refused(example):
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\n"
    (example / "metrics.yaml").write_text(bomb + (example / "metrics.yaml").read_text(encoding="utf-8"))
    r = run("score", str(example), "--lang", "en")
    assert r.exit_code == 2 and "anchors/aliases" in r.output and "metrics.yaml:1" in r.output


FRAMEWORK_CASES = [
    ("unknown kind", "kind: count_at_least\n", "kind: count_at_leas\n",
     ["tree.yaml:", "rule.kind", "did you mean 'count_at_least'"]),
    ("unknown metric", "metric: dialogues_held", "metric: dialogue_held", ["tree.yaml:", "did you mean 'dialogues_held'"]),
    ("parent sum", "max_points: '5'\n  children:\n  - id: '2.1'", "max_points: '6'\n  children:\n  - id: '2.1'",
     ["tree.yaml:", "2 declares 6 points but its children sum to 5"]),
    ("schema violation", "not_applicable: shrink", "not_applicable: shrinks", ["manifest.yaml:", "shrinks", "not allowed"]),
    ("bad parameter", "full_from: 50", "full_from: fifty", ["tree.yaml:", "rule.full_from", "kinds/pro_rata"]),
    ("malformed YAML", "fields:\n", "fields: [\n", ["tree.yaml:", "malformed YAML"]),
]


@pytest.mark.parametrize("what,old,new,pieces", FRAMEWORK_CASES, ids=[c[0] for c in FRAMEWORK_CASES])
def test_bad_framework(framework_copy, example, what, old, new, pieces):
    target = framework_copy / ("manifest.yaml" if "not_applicable: shrink" in old else "tree.yaml")
    edit(target, old, new)
    for args in (("validate", str(framework_copy)), ("score", str(example), "--framework", str(framework_copy))):
        r = run(*args, "--lang", "en")
        assert r.exit_code == 2, r.output
        line = next(x for x in r.output.splitlines() if x.strip())
        for piece in pieces:
            assert piece in r.output, (piece, r.output)
        assert re.search(r"\.yaml:\d+", line), line


def test_unknown_framework_id(example):
    r = run("score", str(example), "--framework", "reference-par-2052", "--lang", "en")
    assert r.exit_code == 2 and "did you mean 'reference-par-2025'" in r.output


def test_usage_error_exit_2(example):
    r = run("score", str(example), "--format", "pdf")
    assert r.exit_code == 2


def test_fail_under_bad_value(example):
    r = run("score", str(example), "--fail-under", "tám mươi", "--lang", "en")
    assert r.exit_code == 2 and "--fail-under" in r.output


def test_a_table_cut_short_of_errors_says_so_last(tmp_path):
    """Past MAX_ERRORS_PER_TABLE, the "N more errors, fix the ones above" line closes the table's list."""
    import csv
    import shutil
    from pathlib import Path

    bundle = tmp_path / "b"
    shutil.copytree(Path(__file__).resolve().parents[1] / "examples" / "dao-xa-2025", bundle)
    path = bundle / "dossiers.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    col = rows[0].index("received_at")
    for row in rows[1:]:
        row[col] = "01/01/1800 08:00"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    r = run("score", str(bundle), "--lang", "en")
    lines = r.output.strip().splitlines()
    assert r.exit_code == 2 and len(lines) == 51
    assert lines[0].startswith("b/dossiers.csv:2: dossiers.received_at: ")
    assert lines[-1].startswith(f"b/dossiers.csv: dossiers: {len(rows) - 1 - 50} more errors in this table"), lines[-1]
