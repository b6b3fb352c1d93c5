"""Portal-friendly JSON: one shape for every command, valid against its schema, the same bytes every run, and
the same numbers in JavaScript as in Python."""
from __future__ import annotations

import json
import shutil
import subprocess
from fractions import Fraction
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from referencing import Registry, Resource

from parscore import api
from parscore.cli import main
from parscore.core.portal import number

ROOT = Path(__file__).resolve().parents[1]
EX = ROOT / "examples"
SC = EX / "scenarios"
NHON_HAU = str(EX / "nhon-hau-2025")
KINDS = ("score", "whatif", "plan", "sensitivity", "sweep", "batch", "diff", "explain", "validate", "test")


def _schemas() -> dict[str, dict]:
    folder = resources.files("parscore").joinpath("schemas")
    out = {}
    for kind in ("result", *KINDS[1:]):
        out[kind] = json.loads(folder.joinpath(f"{kind}.schema.json").read_text("utf-8"))
    return out


SCHEMAS = _schemas()
REGISTRY = Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in SCHEMAS.values())


def commands(tmp: Path) -> dict[str, tuple[list[str], Path | None]]:
    """Each JSON-writing command: its arguments, and the file it writes (None: stdout)."""
    return {
        "score": (["score", NHON_HAU, "--format", "json"], None),
        "whatif": (["whatif", NHON_HAU, str(SC / "fix-apologies.yaml"), "--format", "json"], None),
        "plan": (["plan", NHON_HAU, "--target", "90", "--format", "json"], None),
        "sensitivity": (["sensitivity", NHON_HAU, "--format", "json"], None),
        "sweep": (["sweep", NHON_HAU, "--vary", "dossier_on_time_rate=90:100:5", "--out", str(tmp / "s.json")], tmp / "s.json"),
        "batch": (["batch", *[str(p) for p in sorted(EX.glob("*-20*"))], "--framework", "reference-par-2025",
                   "--out", str(tmp / "b.json"), "--jobs", "1"], tmp / "b.json"),
        "diff": (["diff", "reference-par-2025", "reference-par-2023", "--bundle", str(EX / "trieu-an-2023"), "--format", "json"], None),
        "explain": (["explain", NHON_HAU, "--format", "json"], None),
        "validate": (["validate", NHON_HAU, str(EX / "no-such-bundle"), "--format", "json"], None),
        "test": (["test", "qd766-2022", "sipas-2017", "--format", "json"], None),
    }


def run_json(args: list[str], out: Path | None) -> str:
    r = CliRunner().invoke(main, args)
    assert r.exit_code == (2 if args[0] == "validate" else 0), r.output  # validate: one path does not exist
    return out.read_text(encoding="utf-8") if out else r.output


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, tuple[str, str]]:
    tmp = tmp_path_factory.mktemp("json")
    got = {}
    for kind, (args, out) in commands(tmp).items():
        first = run_json(args, out)
        second = run_json(args, out)
        got[kind] = (first, second)
    return got


@pytest.mark.parametrize("kind", KINDS)
def test_every_json_output_has_one_shape_validates_and_is_deterministic(outputs, kind) -> None:
    first, second = outputs[kind]
    assert first == second, f"{kind}: JSON differs between two runs"
    data = json.loads(first)
    assert data["schema_version"] == "2" and data["kind"] == kind and isinstance(data["results"], list)
    schema = SCHEMAS["result" if kind == "score" else kind]
    assert schema["$id"] == f"urn:parscore:schema:{kind}:2"
    jsonschema.Draft202012Validator(schema, registry=REGISTRY).validate(data)


def test_numbers_are_rounded_to_the_decimals_and_exact_beside_them(outputs) -> None:
    data = json.loads(outputs["score"][0])
    result = api.score_bundle(NHON_HAU)
    (first,) = [r for r in data["results"] if r["framework"]["id"] == result.framework["id"]]
    assert first["total"]["index"] == number(result.total.index, 2) == 83.75
    assert Fraction(first["total"]["exact"]["index"]) == result.total.index
    leaf = next(x for x in first["leaves"] if x["id"] == "7.1.2")
    assert isinstance(leaf["points"], (int, float)) and Fraction(leaf["exact"]["points"]) == result.leaf("7.1.2").points
    # Totals equal the sum of their parts exactly (in `exact`), and to the rounding in the numbers.
    assert sum(Fraction(x["exact"]["points"]) for x in first["leaves"]) == Fraction(first["total"]["exact"]["points"]) \
        - sum(Fraction(b["exact"]["cap_adjustment"]) for b in first["blocks"])


def test_batch_json_equals_the_single_scores(outputs) -> None:
    data = json.loads(outputs["batch"][0])
    assert [m["bundle"].rsplit("/", 1)[-1] for m in data["mixed"]] == ["hop-tien-2025h2", "trieu-an-2023"]
    assert all(not m["ranked"] for m in data["mixed"]) and len(data["results"]) == 3
    for e in data["results"]:
        r = api.score_bundle(e["bundle"], "reference-par-2025")
        assert Fraction(e["exact"]["index"]) == r.total.index and e["index"] == number(r.total.index, 2)
        assert sum(Fraction(f["exact"]["points"]) for f in e["fields"]) == r.total.points


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
@pytest.mark.parametrize("kind", ["score", "batch", "plan", "sensitivity", "explain", "test"])
def test_javascript_reads_the_same_numbers(outputs, kind, tmp_path: Path) -> None:
    text = outputs[kind][0]
    path = tmp_path / "x.json"
    path.write_text(text, encoding="utf-8")
    script = "process.stdout.write(JSON.stringify(JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'))))"
    node = subprocess.run(["node", "-e", script, str(path)], capture_output=True, text=True, check=True, timeout=60)
    assert json.loads(node.stdout) == json.loads(text)


def test_validate_and_test_json_say_what_the_text_says(outputs) -> None:
    checked = json.loads(outputs["validate"][0])["results"]
    assert [r["valid"] for r in checked] == [True, False]
    assert checked[1]["problems"][0]["code"] == "file_missing" and "not found" in checked[1]["problems"][0]["message"]["en"]
    cases = json.loads(outputs["test"][0])["results"]
    assert [c["framework"] for c in cases] == ["qd766-2022", "sipas-2017"] and all(c["failed"] == 0 for c in cases)
    explained = json.loads(outputs["explain"][0])["results"]
    assert "3.2.2" in {x["id"] for x in explained} and all(x["exact"]["points_lost"] != "0" or x["status"] != "full"
                                                            for x in explained)
