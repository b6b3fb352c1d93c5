"""Trace files: every numbered item of a seed → the leaves that encode it, or why none does (issue 11)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from parscore import api
from parscore.cli import main
from parscore.core.errors import InputErrors
from parscore.criteria.framework import load_framework
from parscore.criteria.trace import load_trace
from conftest import ROOT

# framework -> the seed it encodes (criteria/sources/<seed>_*.txt)
SEEDED = {"nhon-hau-2025": "000", "hop-tien-2025h2": "001", "trieu-an-2023": "002", "dao-xa-2025": "003",
          "reference-par-2025": "003", "anh-son-2025": "004"}
PLANS = ("nhon-hau-2025", "hop-tien-2025h2", "trieu-an-2023", "dao-xa-2025", "anh-son-2025")


@pytest.mark.parametrize("fw_id", sorted(SEEDED))
def test_every_seed_item_is_traced_to_existing_leaves_or_a_reason(fw_id: str) -> None:
    trace = api.trace(fw_id)  # raises InputErrors on an unaccounted item, a missing leaf or a quote not in the seed
    assert Path(trace.source_file).name.startswith(SEEDED[fw_id] + "_")
    fw = api.load_framework(fw_id)
    for item in trace.items:
        assert item.leaves or item.not_encoded
        assert all(leaf in fw for leaf in item.leaves)
    counts = trace.counts()
    assert counts["items"] == counts["exact"] + counts["read"] + counts["not_encoded"]


@pytest.mark.parametrize("fw_id", PLANS)
def test_every_leaf_of_a_plan_comes_from_a_traced_item(fw_id: str) -> None:
    fw = api.load_framework(fw_id)
    named = {leaf for item in api.trace(fw_id).items for leaf in item.leaves}
    assert {leaf.id for leaf in fw.leaves} - named == set()


def _copy(tmp_path: Path, fw_id: str = "hop-tien-2025h2") -> Path:
    root = tmp_path / "criteria"
    shutil.copytree(ROOT / "criteria" / fw_id, root / fw_id)
    shutil.copytree(ROOT / "criteria" / "sources", root / "sources")
    return root / fw_id


def _edit(folder: Path, change) -> None:
    data = yaml.safe_load((folder / "trace.yaml").read_text("utf-8"))
    change(data["items"])
    (folder / "trace.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


def _codes(folder: Path) -> list[str]:
    with pytest.raises(InputErrors) as err:
        load_trace(load_framework(folder))
    return [e.code for e in err.value.errors]


def test_an_item_with_neither_leaves_nor_reason_fails_located(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder, lambda items: items[0].pop("not_encoded"))
    with pytest.raises(InputErrors) as err:
        load_trace(load_framework(folder))
    e = err.value.errors[0]
    assert e.code == "trace_unaccounted" and e.file.endswith("trace.yaml") and e.line and e.where == "items.0"


def test_an_item_naming_a_missing_leaf_fails_with_did_you_mean(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder, lambda items: items[1].update(leaves=["1.11"]))
    with pytest.raises(InputErrors) as err:
        load_trace(load_framework(folder))
    assert [e.code for e in err.value.errors] == ["unknown_leaf"]
    assert "1.1" in err.value.render("en")


def test_a_quote_not_in_the_seed_fails(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder, lambda items: items[2].update(quote="Hoàn thành 99 % nhiệm vụ được giao"))
    assert _codes(folder) == ["trace_quote_missing"]


def test_leaves_and_a_reason_together_fail(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder, lambda items: items[1].update(not_encoded="both"))
    assert _codes(folder) == ["trace_both"]


def test_show_trace_prints_items_and_counts() -> None:
    out = CliRunner().invoke(main, ["show", "anh-son-2025", "--trace", "--lang", "en"])
    assert out.exit_code == 0, out.output
    assert "PL II.2" in out.output and "→ 2.4" in out.output
    counts = api.trace("anh-son-2025").counts()
    assert f"{counts['items']} items: {counts['exact']} encoded exactly" in out.output
    one = CliRunner().invoke(main, ["show", "anh-son-2025", "2.4", "--trace", "--lang", "en"])
    assert "PL II.2" in one.output and "PL III.1" not in one.output


def test_show_trace_of_a_framework_without_one_is_bad_input() -> None:
    out = CliRunner().invoke(main, ["show", "qd766-2022", "--trace"])
    assert out.exit_code == 2 and "trace.yaml" in out.output
