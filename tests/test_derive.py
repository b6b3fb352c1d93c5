"""Metrics derived from records: the QĐ 766 timing rules and the other rules/ derivations, at their edges."""
from __future__ import annotations

import datetime as dt
from fractions import Fraction

import numpy as np
import pandas as pd

from helpers import derived, make_bundle
from parscore.evidence.derive import Context, derive_metrics
from parscore.evidence.tables import ROW, Evidence
from parscore import api
from parscore.core import dates


def dossier(i, received, due=None, finished=None, supplements=0, supplement_days=0, legal_days=None, **kw):
    row = {"id": f"HS-{i}", "procedure": "Đăng ký khai sinh", "received_at": received, "due_at": due or "",
           "finished_at": finished or "", "status": "returned" if finished else "processing", "channel": "direct",
           "supplement_requests": supplements, "supplement_days": supplement_days,
           "legal_days": "" if legal_days is None else legal_days}
    row.update(kw)
    return row


def on_time(tmp_path, rows, **kw):
    m = derived(make_bundle(tmp_path, {"dossiers": rows}, **kw))["dossier_on_time_rate"]
    return m.num, m.den, m.provenance.failing_records


def test_finished_by_the_due_day_is_on_time_and_after_is_late(tmp_path):
    rows = [dossier(1, "03/03/2025 08:00", "05/03/2025 17:00", "05/03/2025 16:59"),
            dossier(2, "03/03/2025 08:00", "05/03/2025 08:00", "05/03/2025 16:00"),  # same day, later hour: on time (a day)
            dossier(3, "03/03/2025 08:00", "05/03/2025 17:00", "06/03/2025 08:00")]
    assert on_time(tmp_path, rows) == (2, 3, ("HS-3",))


def test_two_supplement_requests_count_as_late_even_when_finished_early(tmp_path):
    rows = [dossier(1, "2025-03-03", "2025-03-10", "2025-03-04", supplements=1, supplement_days=2),
            dossier(2, "2025-03-03", "2025-03-10", "2025-03-04", supplements=2, supplement_days=2)]
    assert on_time(tmp_path, rows) == (1, 2, ("HS-2",))


def test_supplement_waiting_time_is_excluded(tmp_path):
    # Due 10/03, the citizen took 3 days to supplement: finishing on 13/03 is on time, 14/03 late.
    rows = [dossier(1, "2025-03-03", "2025-03-10", "2025-03-13", supplements=1, supplement_days=3),
            dossier(2, "2025-03-03", "2025-03-10", "2025-03-14", supplements=1, supplement_days=3)]
    assert on_time(tmp_path, rows) == (1, 2, ("HS-2",))


def test_open_dossiers_are_judged_at_the_period_end(tmp_path):
    rows = [dossier(1, "2025-12-29", "2026-01-05"),   # open, not yet due at 31/12: on time
            dossier(2, "2025-12-01", "2025-12-10"),   # open and overdue: late
            dossier(3, "2025-12-29", "2025-12-31")]   # open, due on the last day: on time
    assert on_time(tmp_path, rows) == (2, 3, ("HS-2",))


def test_no_due_date_uses_the_legal_maximum_in_working_days(tmp_path):
    # Received Friday 07/03/2025 with 3 working days: due Wednesday 12/03.
    rows = [dossier(1, "2025-03-07 09:00", None, "2025-03-12 15:00", legal_days=3),
            dossier(2, "2025-03-07 09:00", None, "2025-03-13 09:00", legal_days=3)]
    assert on_time(tmp_path, rows) == (1, 2, ("HS-2",))


def test_scope_is_dossiers_received_or_processed_in_the_period(tmp_path):
    rows = [dossier(1, "2024-12-20", "2025-01-03", "2025-01-02"),   # received before, finished in the period: in
            dossier(2, "2024-11-01", "2024-11-05", "2024-11-04"),   # finished before the period: out
            dossier(3, "2026-01-02", "2026-01-05")]                 # received after: out
    assert on_time(tmp_path, rows)[:2] == (1, 1)


def test_apology_coverage_office_needs_an_apology_applicant_an_explanation(tmp_path):
    docs = [{"id": "01/TXL", "type": "apology", "title": "Thư xin lỗi", "issued_on": "2025-03-11"},
            {"id": "02/GT", "type": "explanation", "title": "Giải trình", "issued_on": "2025-03-11"},
            {"id": "03/TXL", "type": "apology", "title": "Thư xin lỗi", "issued_on": "2025-03-11"}]
    late = dict(due="2025-03-10", finished="2025-03-12")
    rows = [dossier(1, "2025-03-03", **late, late_reason="office", apology_doc="01/TXL"),
            dossier(2, "2025-03-03", **late, late_reason="applicant", apology_doc="02/GT"),
            dossier(3, "2025-03-03", **late, late_reason="office", apology_doc="02/GT"),    # an explanation is not an apology
            dossier(4, "2025-03-03", **late, late_reason="applicant", apology_doc="03/TXL"),  # an apology also covers it
            dossier(5, "2025-03-03", **late, late_reason="office"),                         # nothing
            dossier(6, "2025-03-03", "2025-03-10", "2025-03-09")]                           # on time: not counted
    all_m = derived(make_bundle(tmp_path, {"dossiers": rows, "documents": docs}))
    m = all_m["late_dossier_apology_rate"]
    assert (m.num, m.den, m.provenance.failing_records) == (3, 5, ("HS-3", "HS-5"))
    letters = all_m["late_dossier_apology_letter_rate"]  # seed 003: a letter for every late dossier, whoever's fault
    assert (letters.num, letters.den, letters.provenance.failing_records) == (2, 5, ("HS-2", "HS-3", "HS-5"))


def test_online_full_online_payment_digitisation_reuse(tmp_path):
    base = dict(due="2025-03-10", finished="2025-03-05")
    rows = [dossier(1, "2025-03-03", **base, channel="online", full_online="x", procedure_full_online="x", fee=20000,
                    paid_online="có", digitized="x", e_result="x", reused_data="1", synced="x"),
            dossier(2, "2025-03-03", **base, channel="online", full_online="", procedure_full_online="x", fee="0",
                    digitized="x", e_result="", synced="x"),
            dossier(3, "2025-03-03", **base, channel="direct", procedure_full_online="", fee="5.000,5", paid_online="không")]
    m = derived(make_bundle(tmp_path, {"dossiers": rows}))
    frac = lambda k: (m[k].num, m[k].den)  # noqa: E731
    assert frac("online_submission_rate") == (1, 3)  # HS-2 is online but has no e-result for a paper result (QĐ 766, 3.3)
    assert frac("full_online_dossier_rate") == (1, 2)       # only procedures declared fully online count
    assert frac("online_payment_dossier_rate") == (1, 2)    # only dossiers with a fee count
    assert frac("dossier_digitised_rate") == (1, 3)         # digitised components and an electronic result
    assert frac("data_reuse_rate") == (1, 3)
    assert frac("dossiers_synced_rate") == (2, 3)
    assert frac("e_result_rate") == (1, 3)


def test_dossier_satisfaction_excludes_dissatisfied_complained_and_late(tmp_path):
    ok = dict(due="2025-03-10", finished="2025-03-05")
    rows = [dossier(1, "2025-03-03", **ok), dossier(2, "2025-03-03", **ok, dissatisfied="x"),
            dossier(3, "2025-03-03", **ok, complained="x"), dossier(4, "2025-03-03", "2025-03-10", "2025-03-11")]
    m = derived(make_bundle(tmp_path, {"dossiers": rows}))["dossier_satisfaction_rate"]
    assert (m.num, m.den) == (1, 4)


def test_dossier_satisfaction_counts_late_and_complained_separately(tmp_path):
    # QĐ 766 portal description 5.4: 100 % − late rate − complaint rate; a late dossier also complained about costs twice
    ok, late = dict(due="2025-03-10", finished="2025-03-05"), dict(due="2025-03-10", finished="2025-03-11")
    rows = [dossier(1, "2025-03-03", **ok), dossier(2, "2025-03-03", **ok), dossier(3, "2025-03-03", **ok),
            dossier(4, "2025-03-03", **late, complained="x")]
    m = derived(make_bundle(tmp_path, {"dossiers": rows}))["dossier_satisfaction_rate"]
    assert (m.num, m.den, m.provenance.failing_records) == (2, 4, ("HS-4",))  # 100 % − 25 % − 25 %: the old count said 3/4
    assert m.provenance.detail["minus"] == [1, 1]
    rows = [dossier(i, "2025-03-03", **late, dissatisfied="x") for i in (1, 2)]
    m = derived(make_bundle(tmp_path / "floor", {"dossiers": rows}))["dossier_satisfaction_rate"]
    assert (m.num, m.den) == (0, 2)  # 100 % − 100 % − 100 % is floored at 0 %


def test_qd766_digitisation_sync_personal_store_population_data(tmp_path):
    base = dict(due="2025-03-10", finished="2025-03-05")
    rows = [dossier(1, "2025-03-03", **base, digitized="x", e_result="x", synced="x", personal_store="x", population_data="x"),
            dossier(2, "2025-03-03", **base, digitized="x", e_result="", paper_result="không"),  # no paper result: no e-result owed
            dossier(3, "2025-03-03", **base, digitized="x", e_result=""),                        # paper result without an e-result
            dossier(4, "2025-03-03", **base, digitized="", e_result="x", paper_result="không")]
    m = derived(make_bundle(tmp_path, {"dossiers": rows}))
    frac = lambda k: (m[k].num, m[k].den)  # noqa: E731
    assert frac("digitisation_766_rate") == (2, 4)  # portal description 4.2
    assert frac("dossier_digitised_rate") == (1, 4)  # the seeds' reading: both digitised and an e-result
    assert frac("e_result_rate") == (1, 2)  # 4.1: only procedures returning a paper result
    assert frac("portal_sync_rate") == (1, 4)
    assert frac("personal_store_rate") == (1, 4) and frac("population_data_dossier_rate") == (1, 4)


def test_qd766_sync_rate_with_no_dossiers_is_zero_not_not_applicable(tmp_path):
    rows = [dossier(1, "2024-03-03", "2024-03-10", "2024-03-05")]  # outside the period: nothing received in it
    res = api.score_bundle(make_bundle(tmp_path, {"dossiers": rows}), "qd766-2022")
    leaf = next(x for x in res.leaves if x.id == "1.4")
    assert (leaf.status, leaf.points) == ("zero", 0)  # portal description 1.4: 'tỷ lệ hồ sơ đồng bộ = 0'
    assert leaf.explanation("vi").endswith("(mẫu số bằng 0: tính là 0 %)")
    assert leaf.explanation("en").endswith("(zero denominator: scored as 0 %)")
    assert next(x for x in res.leaves if x.id == "2.1").status == "not_applicable"


def test_feedback_satisfaction_takes_out_dissatisfied_reopened_and_late(tmp_path):
    fb = [{"id": "P1", "received_on": "2025-03-01", "due_on": "2025-03-10", "resolved_on": "2025-03-09"},
          {"id": "P2", "received_on": "2025-03-01", "due_on": "2025-03-10", "resolved_on": "2025-03-09", "dissatisfied": "x"},
          {"id": "P3", "received_on": "2025-03-01", "due_on": "2025-03-10", "resolved_on": "2025-03-09", "reopened": "x"},
          {"id": "P4", "received_on": "2025-03-01", "due_on": "2025-03-10", "resolved_on": "2025-03-11"},
          {"id": "P5", "received_on": "2024-12-01", "due_on": "2024-12-10", "resolved_on": "2025-01-03"}]  # received before
    m = derived(make_bundle(tmp_path, {"feedback": fb}))["feedback_satisfaction_rate"]
    assert (m.num, m.den, m.provenance.failing_records) == (1, 4, ("P2", "P3", "P4"))


def test_feedback_on_time_open_items_judged_at_period_end(tmp_path):
    fb = [{"id": "P1", "received_on": "2025-03-01", "due_on": "2025-03-10", "resolved_on": "2025-03-10"},
          {"id": "P2", "received_on": "2025-03-01", "due_on": "2025-03-10", "resolved_on": "2025-03-11"},
          {"id": "P3", "received_on": "2025-12-28", "due_on": "2026-01-07", "resolved_on": ""},   # open, not yet due
          {"id": "P4", "received_on": "2025-11-28", "due_on": "2025-12-07", "resolved_on": ""}]   # open, overdue
    m = derived(make_bundle(tmp_path, {"feedback": fb}))["feedback_on_time_rate"]
    assert (m.num, m.den, m.provenance.failing_records) == (2, 4, ("P2", "P4"))


def test_reports_and_plan_tasks_on_time(tmp_path):
    reports = [{"type": "cchc", "period": "Q1", "due_on": "10/03/2025", "submitted_on": "10/03/2025"},
               {"type": "cchc", "period": "Q2", "due_on": "10/06/2025", "submitted_on": "11/06/2025"},
               {"type": "cchc", "period": "Q3", "due_on": "10/09/2025", "submitted_on": ""}]
    tasks = [{"id": "T1", "title": "a", "due_on": "2025-02-01", "done_on": "2025-02-01"},
             {"id": "T2", "title": "b", "due_on": "2025-02-01", "done_on": "2025-02-02"},
             {"id": "T3", "title": "c", "due_on": "2025-06-01", "done_on": ""},
             {"id": "T4", "title": "d", "due_on": "2026-02-01", "done_on": ""}]  # due after the period: not counted
    m = derived(make_bundle(tmp_path, {"reports": reports, "tasks": tasks}))
    assert (m["reports_on_time_rate"].num, m["reports_on_time_rate"].den) == (1, 3)
    assert m["par_reports_submitted"].series["Q2"] is not None and m["par_reports_submitted"].series["Q3"] is None
    assert (m["plan_tasks_on_time_rate"].num, m["plan_tasks_on_time_rate"].den) == (1, 3)


def test_full_online_share_is_over_online_dossiers_only(tmp_path):
    ok = dict(due="2025-03-10", finished="2025-03-05")
    rows = [dossier(1, "2025-03-03", **ok, channel="online", full_online="x"), dossier(2, "2025-03-03", **ok, channel="online"),
            dossier(3, "2025-03-03", **ok, channel="direct", full_online="x")]
    m = derived(make_bundle(tmp_path, {"dossiers": rows}))["full_online_share_of_online_rate"]
    assert (m.num, m.den) == (1, 2)


def test_report_series_are_kept_apart_by_type(tmp_path):
    reports = [{"type": "kstthc", "period": "Q1", "due_on": "15/03/2025", "submitted_on": "14/03/2025"},
               {"type": "kyluat", "period": "Q1", "due_on": "15/03/2025", "submitted_on": "20/03/2025"},
               {"type": "kstthc", "period": "Y", "due_on": "15/12/2025", "submitted_on": ""}]
    m = derived(make_bundle(tmp_path, {"reports": reports}))
    from parscore.core.dates import day
    import datetime as dt_
    assert m["reports_tthc_control_submitted"].series == {"Q1": day(dt_.date(2025, 3, 14)), "Y": None}
    assert m["reports_discipline_submitted"].series == {"Q1": day(dt_.date(2025, 3, 20))}


def test_sipas_per_element_and_overall_share_of_respondents_satisfied(tmp_path):
    answers = []
    for r, scores in {"A": (5, 4), "B": (4, 3), "C": (2, 3)}.items():
        for q, a in zip(("access.1", "access.2"), scores):
            answers.append({"respondent": r, "element": "access", "question": q, "answer": a})
        answers.append({"respondent": r, "element": "results", "question": "results.1", "answer": 5})
    m = derived(make_bundle(tmp_path, {"survey": answers}))
    assert (m["sipas_access"].num, m["sipas_access"].den) == (1, 3)   # means 4.5, 3.5, 2.5
    assert (m["sipas_results"].num, m["sipas_results"].den) == (3, 3)
    assert (m["sipas_overall"].num, m["sipas_overall"].den) == (2, 3)  # means 4.67, 4.0, 3.33
    assert m["sipas_access"].provenance.failing_records == ("B", "C")


def test_sipas_2023_policy_elements_are_shares_of_respondents_satisfied(tmp_path):
    """SIPAS 2023–2026 (criteria/sipas-2023): sipas_policy_making and sipas_policy_implementation, per element."""
    answers = [{"respondent": r, "element": e, "question": f"{e}.1", "answer": a}
               for r, e, a in (("A", "policy_making", 5), ("B", "policy_making", 3), ("A", "policy_implementation", 4))]
    m = derived(make_bundle(tmp_path, {"survey": answers}))
    assert (m["sipas_policy_making"].num, m["sipas_policy_making"].den) == (1, 2)
    assert (m["sipas_policy_implementation"].num, m["sipas_policy_implementation"].den) == (1, 1)


def test_document_metrics_take_the_first_issue_date_and_count_events(tmp_path):
    docs = [{"id": "71/KH", "type": "par_plan", "title": "KH CCHC", "issued_on": "31/12/2024"},
            {"id": "72/KH", "type": "par_plan", "title": "KH CCHC (sửa đổi)", "issued_on": "15/03/2025"},
            {"id": "BB1", "type": "dialogue_minutes", "title": "Đối thoại", "issued_on": "2025-06-01"},
            {"id": "BB0", "type": "dialogue_minutes", "title": "Đối thoại 2024", "issued_on": "2024-06-01"}]
    m = derived(make_bundle(tmp_path, {"documents": docs}))
    from parscore.core.dates import from_day
    assert str(from_day(m["par_plan_issued_on"].day)) == "2024-12-31"
    assert m["dialogues_held"].n == 1            # only those in the period
    assert m["propaganda_plan_issued_on"].state == 1  # none: absent, so the leaf says which document is missing


def test_published_hue_case_percentages_over_processed(tmp_path):
    """61,827 level-3 dossiers processed: 43,434 early, 11,795 on time, 4,331 late, the rest other end states."""
    n_early, n_on, n_late, total = 43_434, 11_795, 4_331, 61_827
    n_other = total - n_early - n_on - n_late
    received = pd.Timestamp("2025-03-03 08:00")
    due = pd.Timestamp("2025-03-10 17:00")
    finished = ([due - pd.Timedelta(days=2)] * n_early + [due - pd.Timedelta(hours=1)] * n_on +
                [due + pd.Timedelta(days=3)] * n_late + [pd.NaT] * n_other)
    stopped = [pd.NaT] * (n_early + n_on + n_late) + [due - pd.Timedelta(days=1)] * n_other
    frame = pd.DataFrame({
        ROW: np.arange(total) + 2, "id": [f"HS-{i}" for i in range(total)], "procedure": "x",
        "received_at": received, "due_at": due, "finished_at": pd.to_datetime(finished), "returned_at": pd.NaT,
        "stopped_at": pd.to_datetime(stopped), "withdrawn_at": pd.NaT, "pending_supplement_since": pd.NaT,
        "status": ["finished"] * (total - n_other) + ["refused"] * n_other,
        "channel": "online", "supplement_requests": 0, "supplement_days": 0, "legal_days": np.nan, "legal_time_unit": None,
        "fee": 0.0, "late_reason": None, "apology_doc": None,
        "paper_result": True, **{c: False for c in ("full_online", "procedure_full_online", "paid_online", "digitized", "e_result",
                              "reused_data", "synced", "dissatisfied", "complained")}})
    ev = Evidence(tables={"dossiers": frame}, sources={"dossiers": "synthetic"})
    ctx = Context.of(pd.Timestamp("2025-01-01").date(), pd.Timestamp("2025-12-31").date())
    cat = api.catalogue()
    got = derive_metrics([cat[k] for k in ("dossier_early_rate", "dossier_on_due_day_rate", "dossier_late_rate")], ev, ctx)
    assert [(v.num, v.den) for v in got.values()] == [(n_early, total), (n_on, total), (n_late, total)]
    pct = [round(float(Fraction(100 * v.num, v.den)), 1) for v in got.values()]
    assert pct == [70.3, 19.1, 7.0]
    assert n_early + n_on + n_late < total


# The dated documents and report series the seed plans ask for (issue 11): metric -> document type or report type.
PLAN_DOCUMENTS = {
    "law_monitoring_plan_issued_on": "law_monitoring_plan", "tthc_control_plan_issued_on": "tthc_control_plan",
    "work_programme_issued_on": "work_programme", "par_inspection_plan_issued_on": "par_inspection_plan",
    "unit_assessment_decision_issued_on": "unit_assessment_decision", "midyear_review_report_issued_on": "midyear_review_report",
    "par_ranking_report_issued_on": "par_ranking_report", "job_descriptions_issued_on": "job_descriptions",
    "staff_evaluation_report_issued_on": "staff_evaluation_report", "staff_quality_report_issued_on": "staff_quality_report",
    "training_report_issued_on": "training_report", "budget_report_issued_on": "budget_report",
    "income_rules_issued_on": "income_rules", "autonomy_report_issued_on": "autonomy_report",
    "digital_transformation_plan_issued_on": "digital_transformation_plan"}
PLAN_SERIES = {"staff_reduction_reports_submitted": "tinhgian", "reports_digitisation_submitted": "sohoa",
               "reports_digital_transformation_submitted": "cds", "reports_propaganda_submitted": "tuyentruyen"}


def test_plan_documents_and_report_series_are_dated_from_their_own_type(tmp_path):
    docs = [{"id": f"{i}/KH", "type": t, "title": t, "issued_on": f"2025-03-{i + 1:02d}"} for i, t in enumerate(PLAN_DOCUMENTS.values())]
    docs += [{"id": "OLD/QC", "type": "asset_rules", "title": "quy chế", "issued_on": "2024-06-12"},  # in force from before the period
             {"id": "X/KH", "type": "law_monitoring_plan", "title": "x", "issued_on": "2024-12-20"}]  # before the period: not this year's
    reports = [{"type": t, "period": "Q1", "due_on": "2025-03-05", "submitted_on": "2025-03-04"} for t in PLAN_SERIES.values()]
    m = derived(make_bundle(tmp_path, {"documents": docs, "reports": reports}))
    for i, name in enumerate(PLAN_DOCUMENTS):
        assert dates.from_day(m[name].day) == dt.date(2025, 3, i + 1), name
    assert dates.from_day(m["asset_rules_issued_on"].day) == dt.date(2024, 6, 12)
    for name in PLAN_SERIES:
        assert dates.from_day(m[name].series["Q1"]) == dt.date(2025, 3, 4), name


def test_every_derived_metric_in_the_catalogue_is_exercised_by_a_test():
    """A derivation added to rules/ without a test here fails this test (names listed in this file)."""
    text = open(__file__, encoding="utf-8").read()
    missing = [name for name, m in api.catalogue().items() if m.derive and name not in text
               and not name.startswith(("procedures_published", "sipas_civil", "sipas_procedures", "sipas_feedback"))]
    assert missing == [], missing
    # initiatives_recognised, recognised_models_extra, law_monitoring_report_issued_on, asset_inspection_done_on
    # share the document count/first shapes tested above.
