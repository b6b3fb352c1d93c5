"""Each item the seed audit (issue 11) found wrongly encoded, pinned to its corrected reading."""
from __future__ import annotations

import importlib.util
from fractions import Fraction

from helpers import derived, make_bundle, score, subject
from parscore import api
from test_derive import dossier
from conftest import ROOT


def points(fw_id: str, metrics: dict, leaf: str) -> tuple[Fraction, str]:
    fw = api.load_framework(fw_id)
    table = score(fw, subject(metrics))
    return table.leaf_points(leaf, 0), table.status(leaf, 0)


def metric_of(fw_id: str, leaf: str) -> str:
    return next(iter(api.load_framework(fw_id).get(leaf).view.metrics.values())).name


def rule(fw_id: str, leaf: str) -> dict:
    return dict(api.load_framework(fw_id).get(leaf).rule)


# ---- seed 003 (Đào Xá) -----------------------------------------------------------------------------------------

def test_003_2_1_1_needs_the_handling_documents_as_well_as_the_report():
    for fw in ("reference-par-2025", "dao-xa-2025"):
        metrics = {"law_monitoring_report_issued_on": {"value": "2025-06-30"},
                   "law_monitoring_findings_handled_rate": {"numerator": 2, "denominator": 3}}
        assert points(fw, metrics, "2.1.1.a")[1] == "full"
        assert points(fw, metrics, "2.1.1.b") == (0, "zero")  # the report alone no longer earns 2.1.1


def test_003_7_3_2_is_measured_at_its_deadline_quarter_iii():
    assert metric_of("reference-par-2025", "7.3.2") == "full_online_services_rate_by_q3"
    assert metric_of("dao-xa-2025", "7.3.2") == "full_online_services_rate_by_q3"
    # 100% reached by December but not by 30/09 earns nothing more
    late = {"full_online_services_rate": {"numerator": 48, "denominator": 48},
            "full_online_services_rate_by_q3": {"numerator": 40, "denominator": 48}}
    assert points("dao-xa-2025", late, "7.3.2") == (0, "zero")


def test_003_3_2_2_needs_an_apology_letter_an_explanation_does_not_replace_it(tmp_path):
    docs = [{"id": "01/TXL", "type": "apology", "title": "Thư xin lỗi", "issued_on": "2025-03-11"},
            {"id": "02/GT", "type": "explanation", "title": "Giải trình", "issued_on": "2025-03-11"}]
    late = dict(due="2025-03-10", finished="2025-03-12")
    rows = [dossier(1, "2025-03-03", **late, late_reason="office", apology_doc="01/TXL"),
            dossier(2, "2025-03-03", **late, late_reason="applicant", apology_doc="02/GT")]
    m = derived(make_bundle(tmp_path, {"dossiers": rows, "documents": docs}))
    assert (m["late_dossier_apology_letter_rate"].num, m["late_dossier_apology_letter_rate"].den) == (1, 2)
    assert (m["late_dossier_apology_rate"].num, m["late_dossier_apology_rate"].den) == (2, 2)  # seed 004's rule
    for fw in ("dao-xa-2025", "reference-par-2025", "reference-par-2023"):
        assert metric_of(fw, "3.2.2") == "late_dossier_apology_letter_rate"
    assert metric_of("anh-son-2025", "1.9") == "late_dossier_apology_rate"


def test_field_6_of_the_reference_frameworks_is_the_seeds_row_6_2():
    text = (ROOT / "criteria" / "sources" / "003_d0aaff9133802037.txt").read_text("utf-8")
    assert "6.2\tCông tác quản lý, sử dụng tài sản công" in text and "6.2.1\tKiểm tra việc thực hiện quản lý tài sản công" in text
    for fw in ("reference-par-2025", "reference-par-2023"):
        assert "6.2" in api.load_framework(fw).get("6").title.vi


# ---- seed 000 (Nhơn Hậu) ---------------------------------------------------------------------------------------

def test_000_3_2_is_publication_on_time_not_coverage():
    assert metric_of("nhon-hau-2025", "3.2") == "procedures_published_on_time_rate"
    covered_but_late = {"procedures_published_portal_rate": {"numerator": 20, "denominator": 20},
                        "procedures_published_on_time_rate": {"numerator": 19, "denominator": 20}}
    assert points("nhon-hau-2025", covered_but_late, "3.2") == (0, "zero")


def test_000_task_dates_quarter_i_and_task_1_before_the_period():
    spec = importlib.util.spec_from_file_location("generate", ROOT / "examples" / "generate.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)  # type: ignore[union-attr]
    due = {n: d for n, _, d in gen.NHON_HAU_TASKS}
    assert due[18] == "2025-03-31"  # 'Quý I'
    assert due[1] == "2024-12-31"  # 'Tháng 12/2024': before the 2025 period
    assert api.load_framework("nhon-hau-2025").get("T.1").max_points == 28  # 29 tasks less task 1
    item = next(i for i in api.trace("nhon-hau-2025").items if i.item == "PL2 1")
    assert item.not_encoded and "before the 2025 period" in item.not_encoded


def test_000_on_time_100_percent_is_encoded():
    assert rule("nhon-hau-2025", "3.3")["kind"] == "all_of" and metric_of("nhon-hau-2025", "3.3") == "dossier_on_time_rate"
    assert points("nhon-hau-2025", {"dossier_on_time_rate": {"numerator": 999, "denominator": 1000}}, "3.3") == (0, "zero")


# ---- seed 002 (Triệu An) ---------------------------------------------------------------------------------------

def test_002_communication_plan_01_2023_is_due_31_january():
    for fw, leaf in (("trieu-an-2023", "VII.4"), ("reference-par-2023", "1.5")):
        assert str(rule(fw, leaf)["due"]) in ("2023-01-31",)
        assert points(fw, {"propaganda_plan_issued_on": {"value": "2023-02-01"}}, leaf)[0] == 0
        assert "seed 002" in api.load_framework(fw).get(leaf).source["requirement"]
        assert "seed 003" not in api.load_framework(fw).get(leaf).source["requirement"]


def test_002_tren_80_percent_is_strictly_above_in_both_frameworks():
    exactly_80 = {"e_work_files_rate": {"numerator": 800, "denominator": 1000}}
    assert points("trieu-an-2023", exactly_80, "VI.3") == (0, "zero")
    full = api.load_framework("reference-par-2023").get("7.1.1").max_points
    assert points("reference-par-2023", exactly_80, "7.1.1")[0] < full
    assert points("reference-par-2023", {"e_work_files_rate": {"numerator": 801, "denominator": 1000}}, "7.1.1")[0] == full


def test_002_officials_trained_for_their_title_is_officials_not_places():
    assert metric_of("trieu-an-2023", "IV.4") == "officials_title_trained_rate"


def test_002_january_and_quarterly_deadlines_are_encoded():
    due = {leaf: str(rule("trieu-an-2023", leaf)["due"]) for leaf in ("I.2", "II.1", "VII.2", "VII.3", "VII.7", "VII.8")}
    assert due == {"I.2": "2023-01-31", "II.1": "2023-01-31", "VII.2": "2023-01-31", "VII.3": "2023-03-31",
                   "VII.7": "2023-12-31", "VII.8": "2023-07-31"}
    assert [d["key"] for d in rule("trieu-an-2023", "VII.5")["due"]] == ["Q2", "Q4"]
    assert [d["key"] for d in rule("trieu-an-2023", "III.4")["due"]] == ["T5", "T11"]


def test_reference_2023_marks_every_target_without_a_2023_source_as_borrowed():
    for leaf in api.load_framework("reference-par-2023").leaves:
        req = leaf.source["requirement"]
        assert "seed 002" in req or "BORROWED for 2023" in req or req.startswith("illustrative"), leaf.id


# ---- seed 004 (Anh Sơn) ----------------------------------------------------------------------------------------

def test_004_on_time_tren_98_is_strictly_above_and_says_why():
    assert points("anh-son-2025", {"dossier_on_time_rate": {"numerator": 980, "denominator": 1000}}, "1.1") == (0, "zero")
    assert points("anh-son-2025", {"dossier_on_time_rate": {"numerator": 981, "denominator": 1000}}, "1.1")[0] == 1
    assert "trên 98%" in api.load_framework("anh-son-2025").get("1.1").source["requirement"]


def test_004_digitised_results_do_not_demand_digitised_components():
    metrics = {"e_result_rate": {"numerator": 50, "denominator": 50},
               "dossier_digitised_rate": {"numerator": 25, "denominator": 50}}
    assert points("anh-son-2025", metrics, "1.2") == (1, "full")


def test_004_apology_rule_cited_as_appendix_row_ii_9():
    assert "mục II.9" in api.load_framework("anh-son-2025").get("1.9").source["requirement"]
    assert "mục III" not in api.catalogue()["late_dossier_apology_rate"].source


def test_004_dated_report_series_are_the_seeds_dates():
    fw = api.load_framework("anh-son-2025")
    series = {leaf.id: [str(d["on"]) for d in leaf.rule["due"]] for leaf in fw.leaves if leaf.kind == "deadlines"}
    assert series["2.4"] == ["2025-03-15", "2025-06-15", "2025-09-15", "2025-12-15"]  # TTHC control
    assert series["2.6"] == ["2025-03-05", "2025-06-05", "2025-09-05", "2025-12-05"]  # digitisation
    assert series["2.7"] == ["2025-03-20", "2025-06-20", "2025-09-20", "2025-12-15"]  # digital transformation
    assert series["2.8"] == ["2025-03-05", "2025-06-05", "2025-09-05", "2025-12-05"]  # communication
    assert str(fw.get("2.1").rule["due"]) == "2025-01-09"  # 'Trước ngày 10/1/2025'
