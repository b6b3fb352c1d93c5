"""Survey and period honesty, and dossier end states (issue 11)."""
from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from helpers import make_bundle
from parscore import api
from test_derive import dossier, on_time
from conftest import ROOT


def _trieu_an(tmp_path: Path, survey: str | None, keep_table: bool) -> Path:
    dst = tmp_path / "trieu-an"
    shutil.copytree(ROOT / "examples" / "trieu-an-2023", dst, ignore=shutil.ignore_patterns("expected"))
    if not keep_table:
        (dst / "survey.csv").unlink()
    head = yaml.safe_load((dst / "bundle.yaml").read_text("utf-8"))
    head.pop("survey", None)  # the example declares `survey: held`; each test sets its own declaration
    if survey:
        head["survey"] = survey
    (dst / "bundle.yaml").write_text(yaml.safe_dump(head, allow_unicode=True), "utf-8")
    return dst


def test_dropping_the_survey_table_does_not_pay(tmp_path):
    with_survey = api.score_bundle(_trieu_an(tmp_path / "a", None, True), "reference-par-2023")
    without = api.score_bundle(_trieu_an(tmp_path / "b", None, False), "reference-par-2023")
    assert without.total.index <= with_survey.total.index
    assert without.total.survey == "zero" and without.leaf("8.1.1").status == "missing_evidence"
    assert without.warnings[0].code == "survey_missing" and "survey: not_held" in without.warnings[0].text.en
    assert not any(w.code == "survey_missing" for w in with_survey.warnings)


def test_a_declared_survey_not_held_is_rescaled(tmp_path):
    declared = api.score_bundle(_trieu_an(tmp_path, "not_held", False), "reference-par-2023")
    assert declared.total.survey == "rescaled" and declared.leaf("8.1.1").status == "not_applicable"
    assert not any(x.counts_toward_max for x in declared.leaves if x.block == "survey")  # the index is over the appraised part
    assert not any(w.code == "survey_missing" for w in declared.warnings)


def test_a_survey_declared_held_but_missing_is_flagged_as_such(tmp_path):
    r = api.score_bundle(_trieu_an(tmp_path, "held", False), "reference-par-2023")
    assert r.total.survey == "zero" and "survey: held" in r.warnings[0].text.en


def test_a_bad_survey_declaration_is_located(tmp_path):
    d = _trieu_an(tmp_path, "maybe", True)
    errors = api.validate([d])
    text = "\n".join(e.render("en") for _, errs in errors for e in errs)
    assert "bundle.yaml" in text and "maybe" in text


def _half_year(tmp_path: Path, start: str) -> Path:
    reports = [{"type": "cchc", "period": q, "due_on": due, "submitted_on": due}
               for q, due in (("Q3", "2025-09-10"), ("Q4", "2025-11-10"))]
    return make_bundle(tmp_path, {"reports": reports}, start=start, end="2025-12-31", name=start)


def test_a_second_half_bundle_is_not_held_to_january_deadlines(tmp_path):
    half = api.score_bundle(_half_year(tmp_path, "2025-07-01"), "reference-par-2025")
    year = api.score_bundle(_half_year(tmp_path, "2025-01-01"), "reference-par-2025")
    plan, reports = half.leaf("1.7"), half.leaf("1.8")  # plan due 09/01/2025; reports 10/3, 10/6, 10/9, 10/11
    assert plan.status == "not_applicable" and "before the period starts" in plan.explanation.en
    assert reports.status == "full" and "Q1, Q2" in reports.explanation.en
    assert year.leaf("1.7").status == "missing_evidence" and year.leaf("1.8").points < reports.points
    # the same in a plan framework: Anh Sơn's January deadlines
    anh = api.score_bundle(_half_year(tmp_path / "x", "2025-07-01"), "anh-son-2025")
    assert anh.leaf("2.1").status == "not_applicable" and anh.leaf("2.10").status == "not_applicable"
    assert anh.leaf("2.9").status == "not_applicable"  # Quý I plan


def test_a_plan_that_prepares_the_period_still_applies(tmp_path):
    d = make_bundle(tmp_path, {"documents": [{"id": "1/KH", "type": "par_plan", "title": "KH", "issued_on": "2023-02-16"}]},
                    start="2023-01-01", end="2023-12-31", framework="trieu-an-2023")
    leaf = api.score_bundle(d, "trieu-an-2023").leaf("VII.1")  # 'Trước 01/2023', due 31/12/2022
    assert leaf.status == "zero"


def test_a_withdrawn_dossier_ends_when_withdrawn(tmp_path):
    rows = [dossier(1, "2025-03-03 08:00", "2025-03-10 17:00", status="withdrawn", withdrawn_at="2025-03-05 09:00"),
            dossier(2, "2025-03-03 08:00", "2025-03-10 17:00", "2025-03-09 10:00")]
    num, den, failing = on_time(tmp_path, rows)
    assert (num, den, failing) == (2, 2, ())  # before the fix it stayed open and was judged late at the period end


def test_a_dossier_waiting_on_a_supplement_is_timed_at_the_request(tmp_path):
    rows = [dossier(1, "2025-12-01 08:00", "2025-12-10 17:00", status="pending_supplement",
                    pending_supplement_since="2025-12-05 10:00", supplement_requests=1),
            dossier(2, "2025-12-01 08:00", "2025-12-10 17:00", status="pending_supplement",
                    pending_supplement_since="2025-12-12 10:00", supplement_requests=1)]  # asked after its due date
    num, den, failing = on_time(tmp_path, rows)
    assert (num, den, failing) == (1, 2, ("HS-2",))


def test_qd766_online_dossier_needs_an_e_result_where_the_result_is_paper(tmp_path):
    base = dict(due="2025-03-10 17:00", finished="2025-03-05 10:00")
    rows = [dossier(1, "2025-03-03 08:00", **base, channel="online", e_result="x"),                    # counted
            dossier(2, "2025-03-03 08:00", **base, channel="online", e_result=""),                     # paper result, none e
            dossier(3, "2025-03-03 08:00", **base, channel="online", e_result="", paper_result="không"),  # no paper result
            dossier(4, "2025-03-03 08:00", **base, channel="direct", e_result="x")]
    from helpers import derived
    m = derived(make_bundle(tmp_path, {"dossiers": rows}))["online_submission_rate"]
    assert (m.num, m.den) == (2, 4)  # any online dossier would have given 3/4
