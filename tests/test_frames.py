"""The DataFrame door: api.score_frame and api.validate_frame."""
from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

from parscore import api
from parscore.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(str(p) for p in (ROOT / "examples").iterdir() if (p / "bundle.yaml").is_file())


def test_score_frame_on_the_five_examples_equals_parscore_score() -> None:
    frame = api.score_frame(EXAMPLES)
    assert len(frame) == 5
    for row, path in zip(frame.itertuples(), EXAMPLES):
        out = CliRunner().invoke(main, ["score", path, "--format", "json", "--framework", row.framework])
        first = json.loads(out.output)["results"][0]  # `score` without --framework lists this one first
        assert row.framework == first["framework"]["id"] == api.load_bundle(path).frameworks[0]
        assert row.index == pytest.approx(float(Fraction(first["total"]["exact"]["index"])), abs=1e-12)
        assert round(row.index + 1e-12, 2) == first["total"]["index"]


def test_score_frame_columns_fields_leaves_and_bonus() -> None:
    frame = api.score_frame(EXAMPLES[:2], "reference-par-2025")
    result = api.score_bundle(EXAMPLES[0], "reference-par-2025")
    leaves = [c for c in frame.columns if c.startswith("points:") and c[len("points:"):] in {x.id for x in result.leaves}]
    assert len(leaves) == len(result.leaves)
    fields = ["points:" + f for b in result.blocks for f in b.fields]
    assert frame.loc[0, fields].sum() == pytest.approx(frame.loc[0, "points"])
    assert frame.loc[0, "lost:9.1"] == 0  # an unearned bonus is not a loss
    assert len(api.score_frame(EXAMPLES[0], all_frameworks=True)) == 4


def test_validate_frame_lists_problems(tmp_path: Path) -> None:
    bad = tmp_path / "bundle"
    bad.mkdir()
    (bad / "bundle.yaml").write_text("commune: [\n", encoding="utf-8")
    frame = api.validate_frame([bad, ROOT / "examples" / "dao-xa-2025"])
    assert list(frame.columns) == ["path", "file", "row", "column", "value", "code", "message_vi", "message_en"]
    assert len(frame) >= 1 and set(frame["path"]) == {str(bad)}
    assert frame.iloc[0]["code"] == "yaml_syntax" and frame.iloc[0]["row"] is not None
    assert "YAML" in frame.iloc[0]["message_vi"] and "malformed YAML" in frame.iloc[0]["message_en"]
