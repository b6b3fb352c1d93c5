"""Province report calendars (issue 11, item 3): the quarterly-report deadlines of reference-par-2025 leaf 1.8 are
the bundle's province's, read from rules/report_calendars/, not one province's dates imposed on all."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from helpers import dump, leaf_framework, make_bundle
from parscore import api
from parscore.core import reportcalendar
from parscore.core.errors import InputErrors

# Reports sent on the 10th of the quarter's last month: on time in Thanh Hóa (due the 10th), late in Hải Phòng
# (due 'trước ngày 10', by the 9th) — except Q4, sent 10/11, before Hải Phòng's 9/12.
SENT = (("Q1", "2025-03-10"), ("Q2", "2025-06-10"), ("Q3", "2025-09-10"), ("Q4", "2025-11-10"))


def _bundle(tmp: Path, province: str, framework: str = "reference-par-2025") -> Path:
    reports = [{"type": "cchc", "period": q, "due_on": on, "submitted_on": on} for q, on in SENT]
    d = make_bundle(tmp, {"reports": reports}, name=province.replace(" ", "-"), framework=framework)
    head = yaml.safe_load((d / "bundle.yaml").read_text("utf-8"))
    head["province"] = province
    (d / "bundle.yaml").write_text(dump(head), "utf-8")
    return d


def _dues(leaf) -> dict[str, dt.date]:  # type: ignore[no-untyped-def]
    return {e["key"]: e["due"] for e in leaf.facts["series"]}


def test_two_provinces_calendars_give_different_due_dates_for_the_same_leaf(tmp_path):
    thanh_hoa = api.score_bundle(_bundle(tmp_path, "Thanh Hóa"), "reference-par-2025").leaf("1.8")
    hai_phong = api.score_bundle(_bundle(tmp_path, "Hải Phòng"), "reference-par-2025").leaf("1.8")
    assert _dues(thanh_hoa)["Q1"] == dt.date(2025, 3, 10) and _dues(hai_phong)["Q1"] == dt.date(2025, 3, 9)
    assert thanh_hoa.status == "full" and thanh_hoa.points == 1
    assert hai_phong.status == "partial" and hai_phong.points == pytest.approx(0.25)
    assert hai_phong.facts["late"] == ["Q1", "Q2", "Q3"]
    # each date says where it comes from
    assert "hai-phong-2025.yaml" in hai_phong.facts["calendar_sources"]["Q1"]
    assert "seed 001" in hai_phong.facts["calendar_sources"]["Q1"]
    assert not hai_phong.facts["calendar_borrowed"]


def test_province_names_match_whatever_the_tone_mark_placement(tmp_path):
    leaf = api.score_bundle(_bundle(tmp_path, "thanh hoá"), "reference-par-2025").leaf("1.8")
    assert leaf.facts["calendar_file"].endswith("thanh-hoa-2025.yaml") and not leaf.facts["calendar_borrowed"]


def test_a_province_without_a_calendar_borrows_the_named_one_and_says_so(tmp_path):
    r = api.score_bundle(_bundle(tmp_path, "Thái Nguyên"), "reference-par-2025")
    assert r.leaf("1.8").facts["calendar_borrowed"] and r.leaf("1.8").status == "full"
    w = [x for x in r.warnings if x.code == "report_calendar_borrowed"]
    assert len(w) == 1 and "Thái Nguyên" in w[0].text.en and "Thanh Hóa" in w[0].text.en and "1.8" in w[0].text.en


def test_a_missing_province_calendar_gives_a_clear_message(tmp_path):
    fw_dir = tmp_path / "fw"
    shutil.copytree(ROOT / "criteria" / "reference-par-2025", fw_dir)
    manifest = fw_dir / "manifest.yaml"
    manifest.write_text(manifest.read_text("utf-8").replace("report_calendar: Thanh Hóa\n", ""), "utf-8")
    r = api.score_bundle(_bundle(tmp_path, "Thái Nguyên"), str(fw_dir))
    leaf = r.leaf("1.8")
    assert leaf.status == "missing_evidence" and leaf.points == 0  # never "not applicable": that would pay
    assert "no report calendar" in leaf.explanation.en and "lịch báo cáo" in leaf.explanation.vi
    w = [x for x in r.warnings if x.code == "report_calendar_missing"]
    assert len(w) == 1
    assert "Thái Nguyên 2025" in w[0].text.en and "rules/report_calendars/" in w[0].text.en and "1.8" in w[0].text.en


def test_a_calendar_leaf_before_the_period_start_is_not_applicable_by_its_provinces_dates(tmp_path):
    reports = [{"type": "cchc", "period": q, "due_on": on, "submitted_on": on} for q, on in SENT[2:]]
    d = make_bundle(tmp_path, {"reports": reports}, start="2025-07-01", name="half")
    head = yaml.safe_load((d / "bundle.yaml").read_text("utf-8"))
    head["province"] = "Hải Phòng"
    (d / "bundle.yaml").write_text(dump(head), "utf-8")
    leaf = api.score_bundle(d, "reference-par-2025").leaf("1.8")
    assert leaf.facts["before_period"] == ["Q1", "Q2"] and leaf.facts["late"] == ["Q3"] and leaf.points == pytest.approx(0.5)


def test_a_framework_naming_an_unknown_calendar_is_bad_input(tmp_path):
    fw_dir = tmp_path / "fw"
    shutil.copytree(ROOT / "criteria" / "reference-par-2025", fw_dir)
    manifest = fw_dir / "manifest.yaml"
    manifest.write_text(manifest.read_text("utf-8").replace("report_calendar: Thanh Hóa", "report_calendar: Atlantis"),
                        "utf-8")
    with pytest.raises(InputErrors) as exc:
        api.load_framework(str(fw_dir))
    text = "\n".join(e.render("en") for e in exc.value.errors)
    assert "Atlantis" in text and "manifest.yaml" in text


@pytest.mark.parametrize("rule, expect", [
    ({"kind": "deadlines", "metric": "par_reports_submitted", "calendar": "par_quarterly", "keys": ["Q1"],
      "due": [{"key": "Q1", "on": "2025-03-10"}]}, "exactly one of 'due'"),
    ({"kind": "deadlines", "metric": "par_reports_submitted", "calendar": "par_quarterly"}, "exactly one of 'due'"),
    ({"kind": "deadlines", "metric": "par_reports_submitted", "calendar": "par_quartely", "keys": ["Q1"]},
     "par_quartely"),
    ({"kind": "deadlines", "metric": "par_reports_submitted", "calendar": "par_quarterly", "keys": ["Q5"]}, "'Q5'"),
])
def test_a_bad_calendar_rule_is_located(tmp_path, rule, expect):
    with pytest.raises(InputErrors) as exc:
        leaf_framework(tmp_path, rule, 1)
    text = "\n".join(e.render("en") for e in exc.value.errors)
    assert expect in text and "tree.yaml" in text


def _calendars(tmp: Path, body: str) -> Path:
    d = tmp / "cals"
    d.mkdir()
    shutil.copy(ROOT / "rules" / "report_calendars" / "series.yaml", d / "series.yaml")
    (d / "x-2025.yaml").write_text(body, "utf-8")
    return d


@pytest.mark.parametrize("body, expect", [
    ("province: X\nyear: 2025\nseries:\n  par_quartely:\n  - {key: Q1, 'on': '2025-03-10', source: seed}\n",
     "par_quartely"),
    ("province: X\nyear: 2025\nseries:\n  par_quarterly:\n  - {key: Q9, 'on': '2025-03-10', source: seed}\n", "'Q9'"),
    ("province: X\nyear: 2025\nseries:\n  par_quarterly:\n  - {key: Q1, 'on': '2024-03-10', source: seed}\n",
     "2024-03-10"),
    ("province: X\nyear: 2025\nseries:\n  par_quarterly:\n  - {key: Q1, 'on': '2025-02-30', source: seed}\n",
     "2025-02-30"),
    ("province: X\nyear: 2025\nseries:\n  par_quarterly:\n  - {key: Q1, 'on': '2025-03-10'}\n", "source"),
])
def test_a_bad_calendar_file_is_located(tmp_path, body, expect):
    with pytest.raises(InputErrors) as exc:
        reportcalendar.load(str(_calendars(tmp_path, body)))
    text = "\n".join(e.render("en") for e in exc.value.errors)
    assert expect in text and "x-2025.yaml" in text


def test_every_shipped_calendar_date_cites_its_source():
    cals = reportcalendar.load()
    assert {reportcalendar.fold(c.province) for c in cals.calendars} >= {"thanh hoa", "hai phong"}
    for cal in cals.calendars:
        for series in cal.series.values():
            for due in series.values():
                assert "seed" in due.source or "QĐ" in due.source or "KH" in due.source, due.source
