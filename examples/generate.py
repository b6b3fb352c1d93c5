"""Writes the example bundles: synthetic, ILLUSTRATIVE evidence for the five seed communes.

Also writes each example's golden outputs (expected/<framework>.json), which the tests compare with:

    python examples/generate.py --golden   # refresh only the golden outputs, after an intended change

The seeds (shared/seeds/) are plans: their targets and tasks are real, their results are
not published. Each profile below says how its commune is made to differ (a near-top
commune, one losing points on late dossiers without apologies, one with missing plans
and late reports, one with a weak survey). Seeded, so the output is the same every run:

    python examples/generate.py            # rewrite every example
    python examples/generate.py dao-xa-2025
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

HERE = Path(__file__).parent
ELEMENTS = ["access", "procedures", "civil_servants", "results", "feedback"]
PROCEDURES = [  # (name, legal working days, fee, declared fully online)
    ("Đăng ký khai sinh", 1, 0, True), ("Đăng ký kết hôn", 5, 0, True), ("Chứng thực bản sao", 1, 2000, False),
    ("Đăng ký khai tử", 1, 0, True), ("Xác nhận tình trạng hôn nhân", 3, 0, True),
    ("Chứng thực chữ ký", 1, 10000, False), ("Đăng ký thường trú", 7, 0, True),
    ("Cấp giấy phép xây dựng nhà ở", 15, 75000, False), ("Hỗ trợ hộ nghèo", 10, 0, False),
    ("Đăng ký hộ kinh doanh", 3, 100000, True),
]

NHON_HAU_TASKS = [  # seed 000, Phụ lục 2 (no task 24 in the seed); due = the period its 'Thời gian thực hiện' names, at its last day
    (1, "Xây dựng kế hoạch CCHC năm 2025 của UBND xã", "2024-12-31"), (2, "Tổng kết CCHC năm 2024, triển khai nhiệm vụ năm 2025", "2025-03-31"),
    (3, "Kế hoạch thông tin, tuyên truyền về CCHC", "2025-03-31"), (4, "Kế hoạch kiểm tra công tác CCHC năm 2025", "2025-03-31"),
    (5, "Triển khai Quy định và Bộ Chỉ số đánh giá CCHC năm 2025", "2025-06-30"), (6, "Kế hoạch đánh giá, xác định chỉ số CCHC năm 2025", "2025-09-30"),
    (7, "Khảo sát sự hài lòng của người dân, tổ chức năm 2025", "2025-12-31"), (8, "Hệ thống CNTT đánh giá CCHC, đo lường sự hài lòng", "2025-12-31"),
    (9, "Kế hoạch thực hiện Chương trình hành động về CCHC 2025-2030", "2025-12-31"), (10, "Kế hoạch nâng cao PAR INDEX, SIPAS, PAPI", "2025-12-31"),
    (11, "Kế hoạch theo dõi thi hành pháp luật năm 2025", "2025-03-31"), (12, "Kế hoạch phổ biến, giáo dục pháp luật, hòa giải ở cơ sở", "2025-03-31"),
    (13, "Kế hoạch kiểm tra, rà soát, hệ thống hóa VBQPPL năm 2025", "2025-03-31"), (14, "Mô hình ưu tiên phục vụ đối tượng chính sách, yếu thế", "2025-12-31"),
    (15, "Bộ quy tắc ứng xử tại Bộ phận Một cửa", "2025-12-31"), (16, "Sơ kết Đề án đoàn viên, thanh niên thực hiện DVC trực tuyến", "2025-12-31"),
    (17, "Quy chế Hệ thống quản lý dữ liệu TTHC tỉnh Bình Định", "2025-12-31"), (18, "Đề án sắp xếp, bố trí vị trí việc làm", "2025-03-31"),
    (19, "Phân công chức năng, nhiệm vụ CBCC sau kiện toàn", "2025-12-31"), (20, "Phân cấp, phân quyền trong quản lý nhà nước", "2025-12-31"),
    (21, "Sắp xếp, điều chỉnh vị trí việc làm CBCC", "2025-12-31"), (22, "Kế hoạch đào tạo, bồi dưỡng năm 2025", "2025-12-31"),
    (23, "Tổ chức lại công việc công chức Bộ phận Một cửa", "2025-12-31"), (25, "Công khai tài chính năm 2025", "2025-12-31"),
    (26, "Tự chủ kinh phí quản lý hành chính", "2025-12-31"), (27, "Cơ chế tự chủ đơn vị sự nghiệp (NĐ 60/2021)", "2025-12-31"),
    (28, "Kế hoạch chuyển đổi số xã Nhơn Hậu năm 2025", "2025-03-31"), (29, "Nền tảng tổng hợp, phân tích dữ liệu cấp tỉnh", "2025-12-31"),
    (30, "Hệ thống theo dõi quy trình giải quyết TTHC nội bộ", "2025-12-31"),
]
ANH_SON_TASKS = [  # seed 004, Phụ lục: the rows with no date of their own ('Trong năm 2025', 'Thường xuyên'), due at the period end
    (1, "I.2 Kế hoạch kiểm tra, giám sát kết quả theo dõi thi hành pháp luật", "2025-12-31"),
    (2, "I.3 Kế hoạch rà soát, hệ thống hóa VBQPPL", "2025-12-31"), (3, "I.4 Kế hoạch kiểm tra việc thực hiện VBQPPL", "2025-12-31"),
    (4, "I.5 Kế hoạch tuyên truyền, phổ biến pháp luật", "2025-12-31"), (5, "II.3 Tiếp nhận PAKN về TTHC", "2025-12-31"),
    (6, "II.4 Xử lý PAKN về TTHC", "2025-12-31"), (7, "II.5 TTHC theo cơ chế một cửa liên thông", "2025-12-31"),
    (8, "II.6 TTHC ngành dọc tại Bộ phận một cửa", "2025-12-31"), (9, "II.7 Chứng thực bản sao điện tử", "2025-12-31"),
    (10, "II.13 Nhiệm vụ theo Quyết định 06/QĐ-TTg", "2025-12-31"), (11, "III.4 Sử dụng biên chế hành chính", "2025-12-31"),
    (12, "III.5 Hoàn thiện quy định về vị trí việc làm", "2025-12-31"),
]
TRIEU_AN_TASKS = [  # seed 002, Phụ lục: the rows with neither a figure nor a date of their own, due at the period end
    (1, "III.1 Quy chế hoạt động của UBND xã; kiện toàn chức năng các ngành", "2023-12-31"),
    (2, "III.3 Tổ chức, bố trí cán bộ, công chức theo chỉ đạo của cấp trên", "2023-12-31"),
    (3, "V.1 Cơ chế tự chủ của đơn vị sự nghiệp công lập", "2023-12-31"),
    (4, "V.2 Kiểm tra, kiểm soát thu, chi ngân sách", "2023-12-31"),
    (5, "VII.6 Văn bản chỉ đạo nâng cao PAPI, PCI, PAR INDEX, SIPAS", "2023-12-31"),
]

BASE = dict(p_two_supplements=0.002, p_open=0.01, p_synced=0.995, report_types={}, self_assessment=None, reported={}, models=0, initiatives=1,
            dialogues=2, feedback=30, p_feedback_on_time=0.97, task_list=None, tasks=20, p_task_on_time=0.9)
SEED_TARGETS = {  # reported figures for targets of the plans that no evidence table carries
    "self_inspection_units_rate": {"numerator": 5, "denominator": 8, "source": "Báo cáo tự kiểm tra CCHC"},
    "legal_documents_compliant_rate": {"numerator": 6, "denominator": 6, "source": "Tư pháp xã"},
    "internal_tthc_published_rate": {"numerator": 18, "denominator": 20, "source": "QĐ công bố TTHC nội bộ"},
    "officials_meeting_standard_rate": {"numerator": 19, "denominator": 21, "source": "Hồ sơ CBCC"},
    "online_services_with_dossiers_rate": {"numerator": 41, "denominator": 45, "source": "Cổng DVC"},
    "e_certified_copies_rate": {"value": "62,0", "source": "Sổ chứng thực"},
    "dossiers_recorded_rate": {"numerator": 100, "denominator": 100, "source": "Phần mềm một cửa"},
    "valid_results_digitised_rate": {"value": "17,5", "source": "Bộ phận một cửa"},
    "e_internal_circulation_rate": {"value": "74", "source": "Bộ phận một cửa"},
    "land_construction_satisfaction_rate": {"value": "81,0", "source": "Báo cáo đo lường"},
    "health_satisfaction_rate": {"value": "88,5", "source": "Trạm y tế"},
    "education_satisfaction_rate": {"value": "86,0", "source": "Hội đồng giáo dục"},
    "digital_inspections_rate": {"numerator": 3, "denominator": 8, "source": "Kế hoạch kiểm tra"},
    "internal_tthc_shortened_rate": {"numerator": 5, "denominator": 20, "source": "QĐ phê duyệt quy trình nội bộ"},
    "procedures_published_on_time_rate": {"numerator": 14, "denominator": 15, "source": "QĐ công bố TTHC; CSDL quốc gia về TTHC"},
    "full_online_services_integrated_rate": {"numerator": 40, "denominator": 48, "source": "Cổng DVC quốc gia"},
    "officials_own_dossiers_online_rate": {"numerator": 9, "denominator": 10, "source": "Phần mềm một cửa"},
    "officials_it_proficient_rate": {"numerator": 21, "denominator": 21, "source": "Hồ sơ CBCC"},
    "officials_placed_by_position_rate": {"numerator": 21, "denominator": 21, "source": "Đề án vị trí việc làm"},
    "officials_title_trained_rate": {"numerator": 18, "denominator": 21, "source": "Báo cáo bồi dưỡng theo chức danh"},
    "online_meeting_attendance_rate": {"numerator": 40, "denominator": 40, "source": "Báo cáo họp trực tuyến"},
    "digital_inspections_held": {"value": 1, "source": "Kế hoạch kiểm tra"},
    "digital_transformation_tasks_done_rate": {"numerator": 11, "denominator": 12, "source": "Báo cáo chuyển đổi số"},
}
ALL = ["qd766-2022", "sipas-2017"]
PROFILES: dict[str, dict] = {
    "dao-xa-2025": dict(BASE,
        seed=3, commune="Xã Đào Xá", province="Thái Nguyên", start="2025-01-01", end="2025-12-31",
        frameworks=["reference-par-2025", *ALL, "dao-xa-2025"],
        note="Gần nhóm đầu: hầu hết chỉ tiêu đạt / near the top class: most targets met",
        dossiers=1480, p_late=0.0008, p_two_supplements=0.0, p_apology=1.0, p_online=0.96, p_full_online=0.985,
        p_digitized=0.9985, p_paid_online=0.55, p_synced=1.0, p_reuse=0.85,
        survey_respondents=320, survey_mean={"access": 4.6, "procedures": 4.5, "civil_servants": 4.6, "results": 4.6, "feedback": 4.5},
        tasks=24, p_task_on_time=1.0, p_feedback_on_time=1.0, feedback=22, report_delays={"cchc": {"Q1": -2, "Q2": 0, "Q3": -1, "Q4": -3}},
        docs={"par_plan": "2024-12-31", "propaganda_plan": "2025-02-14", "law_monitoring_report": "2025-11-20", "asset_inspection": "2025-10-15"},
        models=1,
        reported={"dossier_on_time_rate": {"numerator": 1479, "denominator": 1480, "source": "Báo cáo CCHC năm 2025 của xã"},
                  "e_documents_rate": {"value": 100, "source": "Hệ thống quản lý văn bản"}}),
    "nhon-hau-2025": dict(BASE,
        seed=0, commune="Xã Nhơn Hậu", province="Bình Định", start="2025-01-01", end="2025-12-31",
        frameworks=["reference-par-2025", *ALL, "nhon-hau-2025"],
        note="Mất điểm chủ yếu do hồ sơ quá hạn không có thư xin lỗi / loses points mainly on late dossiers without apology letters",
        dossiers=2600, p_late=0.035, p_apology=0.3, p_online=0.86, p_full_online=0.82, p_digitized=0.95, p_paid_online=0.7, p_reuse=0.62,
        survey_respondents=400, survey_mean={"access": 4.3, "procedures": 4.2, "civil_servants": 4.1, "results": 4.3, "feedback": 4.0},
        task_list=NHON_HAU_TASKS, p_task_on_time=0.86, report_delays={"cchc": {"Q1": 0, "Q2": -1, "Q3": 2, "Q4": -2}},
        docs={"par_plan": "2024-12-30", "propaganda_plan": "2025-03-05", "law_monitoring_report": "2025-12-10", "asset_inspection": "2025-09-20",
              "asset_rules": "2024-06-12"},
        reported={"dossier_on_time_rate": {"value": "99,2", "source": "Báo cáo CCHC năm 2025 của xã (tự báo cáo)"}},
        self_assessment=[("3.2.1", "7", "BC-TK-2025", "Hồ sơ đúng hạn trên 99%"), ("3.2.2", "3", "", "Đã xin lỗi đầy đủ"),
                         ("1.6", "1", "BB-DT-01", ""), ("8.1.1", "6,4", "KQ-DTXHH", "")]),
    "anh-son-2025": dict(BASE,
        seed=4, commune="Xã Anh Sơn", province="Thanh Hóa", start="2025-01-01", end="2025-12-31",
        frameworks=["reference-par-2025", *ALL, "anh-son-2025"],
        note="Thiếu kế hoạch và báo cáo chậm / missing plans and late reports",
        dossiers=1900, p_late=0.012, p_apology=0.85, p_online=0.72, p_full_online=0.7, p_digitized=0.9, p_paid_online=0.33, p_reuse=0.8,
        survey_respondents=350, survey_mean={"access": 4.2, "procedures": 4.1, "civil_servants": 4.3, "results": 4.2, "feedback": 3.9},
        task_list=ANH_SON_TASKS, p_task_on_time=0.72,
        report_delays={"cchc": {"Q1": 3, "Q2": 6, "Q4": 0}, "kyluat": {"Q1": 4, "Q2": 0, "Q3": 0, "Q4": 9}, "kstthc": {"Q1": 0, "Q2": 0, "Q3": 1},
                       "sohoa": {"Q1": 0, "Q2": 2, "Q3": 0, "Y": 0}, "cds": {"Q1": 0, "Q2": 0, "Q3": 5, "Y": 0}, "tuyentruyen": {"Q1": 1, "Q2": 0, "Q3": 0}},
        docs={"law_monitoring_report": "2025-12-20", "asset_inspection": "2025-11-28", "tthc_control_plan": "2025-04-08",
              "job_descriptions": "2025-01-24", "staff_evaluation_report": "2025-12-12", "staff_quality_report": "2025-12-05",
              "training_report": "2025-12-22", "budget_report": "2025-11-26", "income_rules": "2025-02-10", "autonomy_report": "2025-11-27",
              "asset_rules": "2025-05-15", "digital_transformation_plan": "2025-03-20",
              "law_monitoring_plan": "2025-02-05", "par_ranking_report": "2025-11-28"}, dialogues=1, initiatives=0,
        self_assessment=[("1.7", "1", "KH-CCHC-2025", "Đã ban hành kế hoạch"), ("1.8", "1", "BC-CCHC", ""), ("1.5", "1", "", "")]),
    "trieu-an-2023": dict(BASE,
        seed=2, commune="Xã Triệu An", province="Quảng Trị", start="2023-01-01", end="2023-12-31",
        frameworks=["reference-par-2023", *ALL, "trieu-an-2023"],
        note="Khảo sát hài lòng yếu / a weak survey result",
        dossiers=820, p_late=0.02, p_apology=0.9, p_online=0.55, p_full_online=0.5, p_digitized=0.8, p_paid_online=0.3, p_reuse=0.6,
        survey_respondents=260, survey_mean={"access": 3.6, "procedures": 3.4, "civil_servants": 3.7, "results": 3.5, "feedback": 3.2},
        task_list=TRIEU_AN_TASKS, p_task_on_time=0.85,
        report_delays={"cchc": {"Q1": 0, "Q2": 0, "Q3": 1, "Q4": 0}, "tinhgian": {"T5": -3, "T11": 4}},
        docs={"par_plan": "2023-02-16", "propaganda_plan": "2023-03-10", "law_monitoring_report": "2023-12-05", "asset_inspection": "2023-10-10",
              "law_monitoring_plan": "2023-01-20", "tthc_control_plan": "2023-02-16", "work_programme": "2023-01-12",
              "par_inspection_plan": "2023-03-15", "unit_assessment_decision": "2023-12-26", "midyear_review_report": "2023-07-05"}),
    "hop-tien-2025h2": dict(BASE,
        seed=1, commune="Xã Hợp Tiến", province="Hải Phòng", start="2025-07-01", end="2025-12-31",
        frameworks=["reference-par-2025", *ALL, "hop-tien-2025h2"],
        note="Nửa cuối năm 2025, sau sắp xếp đơn vị hành chính / second half of 2025, after the reform",
        dossiers=640, p_late=0.008, p_apology=0.8, p_online=0.8, p_full_online=0.75, p_digitized=0.92, p_paid_online=0.45, p_reuse=0.7,
        survey_respondents=180, survey_mean={"access": 4.2, "procedures": 4.1, "civil_servants": 4.2, "results": 4.3, "feedback": 4.0},
        tasks=12, p_task_on_time=0.9, report_delays={"cchc": {"Q1": 0, "Q2": 0, "Q3": -2, "Q4": 1}},
        docs={"par_plan": "2025-01-08", "propaganda_plan": "2025-07-20", "law_monitoring_report": "2025-12-12", "asset_inspection": "2025-11-10"},
        reported={"budget_revenue_rate": {"numerator": 41_870, "denominator": 40_500,
                                          "source": "Báo cáo thu ngân sách xã năm 2025 (triệu đồng, minh họa)"}}),
}

# Figures that no evidence table carries (portal publication, internal e-office, training, budget): reported.
REPORTED_COMMON = {
    # QĐ 766 figures the portal and the national TTHC database carry, not the commune's records (illustrative)
    "procedures_announced_on_time_rate": {"numerator": 47, "denominator": 48, "source": "CSDL quốc gia về TTHC (QĐ công bố của tỉnh)"},
    "procedures_updated_on_time_rate": {"numerator": 46, "denominator": 48, "source": "CSDL quốc gia về TTHC"},
    "procedures_complete_rate": {"numerator": 112, "denominator": 112, "source": "CSDL quốc gia về TTHC"},
    "fee_procedures_integrated_rate": {"numerator": 18, "denominator": 20, "source": "Cổng DVC quốc gia, thống kê thanh toán"},
    "fee_procedures_paid_online_rate": {"numerator": 12, "denominator": 20, "source": "Cổng DVC quốc gia, thống kê thanh toán"},
    "e_certified_copy_rate": {"numerator": 310, "denominator": 1240, "source": "Hệ thống chứng thực điện tử"},
    "population_data_procedure_rate": {"numerator": 60, "denominator": 75, "source": "Cổng DVC quốc gia, ứng dụng dữ liệu dân cư"},
    "procedures_published_portal_rate": {"numerator": 112, "denominator": 112, "source": "Cổng TTĐT tỉnh, danh mục TTHC"},
    "procedures_published_commune_portal_rate": {"numerator": 112, "denominator": 112, "source": "Trang TTĐT của xã"},
    "procedures_published_onsite_rate": {"numerator": 112, "denominator": 112, "source": "Bảng niêm yết tại Bộ phận một cửa"},
    "internal_procedures_approved_rate": {"numerator": 112, "denominator": 112, "source": "QĐ phê duyệt quy trình nội bộ"},
    "inspection_issues_handled_rate": {"numerator": 4, "denominator": 4, "source": "Kết luận kiểm tra CCHC"},
    "assigned_tasks_done_rate": {"numerator": 60, "denominator": 60, "source": "Sổ theo dõi nhiệm vụ được giao"},
    "illegal_documents_handled_rate": {"not_applicable": "không có văn bản bị kiến nghị trong năm", "source": "Phòng Tư pháp"},
    "training_plan_done_rate": {"numerator": 20, "denominator": 20, "source": "Báo cáo đào tạo, bồi dưỡng"},
    "officials_rated_good_rate": {"numerator": 20, "denominator": 21, "source": "QĐ đánh giá, xếp loại CBCC"},
    "investment_disbursement_rate": {"value": "96,4", "source": "Báo cáo giải ngân Kho bạc"},
    "e_work_files_rate": {"value": "62,5", "source": "Hệ thống quản lý văn bản"},
    "e_documents_rate": {"value": "99,2", "source": "Hệ thống quản lý văn bản"},
    "full_online_services_rate": {"numerator": 48, "denominator": 48, "source": "Cổng DVC quốc gia"},
    "online_payment_procedures_enabled_rate": {"numerator": 30, "denominator": 30},
    "online_payment_procedures_used_rate": {"numerator": 22, "denominator": 30},
    "eform_services_rate": {"numerator": 45, "denominator": 48},
    "tthc_misconduct_cases": {"value": 0, "source": "Kết luận thanh tra"},
    "law_monitoring_findings_handled_rate": {"numerator": 3, "denominator": 3, "source": "Văn bản xử lý kết quả theo dõi THPL"},
    "full_online_services_rate_by_q3": {"numerator": 46, "denominator": 48, "source": "Cổng DVC quốc gia, số liệu đến 30/9"},
}


def vn(ts: pd.Timestamp | None) -> str:
    """Datetimes as a Vietnamese export writes them."""
    return "" if ts is None or pd.isna(ts) else ts.strftime("%d/%m/%Y %H:%M")


def generate(name: str, p: dict) -> None:
    rng = np.random.default_rng(p["seed"])
    out = HERE / name
    out.mkdir(exist_ok=True)
    start, end = pd.Timestamp(p["start"]), pd.Timestamp(p["end"])
    days = (end - start).days + 1
    docs: list[dict] = []

    # dossiers
    rows = []
    for i in range(p["dossiers"]):
        proc, legal, fee, declared = PROCEDURES[rng.integers(len(PROCEDURES))]
        received = start + pd.Timedelta(days=int(rng.integers(days))) + pd.Timedelta(hours=int(rng.integers(7, 17)), minutes=int(rng.integers(60)))
        due_day = np.busday_offset(received.date(), legal, roll="forward")
        due = pd.Timestamp(due_day) + pd.Timedelta(hours=17)
        supp = 0
        supp_days = 0
        r = rng.random()
        if r < p["p_two_supplements"]:
            supp, supp_days = 2, int(rng.integers(2, 6))
        elif r < 0.06:
            supp, supp_days = 1, int(rng.integers(1, 5))
        due_effective = due + pd.Timedelta(days=supp_days)
        late = rng.random() < p["p_late"] or supp >= 2
        open_ = rng.random() < p["p_open"] and received > end - pd.Timedelta(days=20)
        finished = None
        if not open_:
            if late:
                finished = due_effective + pd.Timedelta(days=int(rng.integers(1, 6)))
            else:
                finished = max(received + pd.Timedelta(hours=2), due_effective - pd.Timedelta(days=int(rng.integers(0, max(1, legal)))))
            finished = finished.replace(hour=int(rng.integers(8, 17)))
            if late is False and finished.normalize() > due_effective.normalize():
                finished = due_effective.normalize() + pd.Timedelta(hours=15)
        status = "processing" if open_ else "returned"
        late_reason = None
        apology = None
        if late and not open_:
            late_reason = "applicant" if rng.random() < 0.25 else "office"
            if rng.random() < p["p_apology"]:
                doc_id = f"{len(docs) + 1:03d}/{'GT' if late_reason == 'applicant' else 'TXL'}-UBND"
                apology = doc_id
                docs.append({"id": doc_id, "type": "explanation" if late_reason == "applicant" else "apology",
                             "title": ("Văn bản giải trình hồ sơ " if late_reason == "applicant" else "Thư xin lỗi hồ sơ ") + f"HS-{i + 1:05d}",
                             "issued_on": due.strftime("%d/%m/%Y"), "issuer": "UBND xã", "file": "", "dossiers": f"HS-{i + 1:05d}"})
        online = rng.random() < p["p_online"]
        rows.append({
            "id": f"HS-{i + 1:05d}", "procedure": proc, "received_at": vn(received),
            "due_at": vn(due) if rng.random() > 0.03 else "",  # a few exports lack the appointment date
            "finished_at": vn(finished), "returned_at": "", "stopped_at": "", "status": status,
            "channel": "online" if online else ("postal" if rng.random() < 0.05 else "direct"),
            "full_online": "x" if online and declared and rng.random() < p["p_full_online"] else "",
            "procedure_full_online": "x" if declared else "", "supplement_requests": supp, "supplement_days": supp_days,
            "legal_days": legal, "fee": fee, "paid_online": "x" if fee and rng.random() < p["p_paid_online"] else "",
            "digitized": "x" if rng.random() < p["p_digitized"] else "", "e_result": "x" if rng.random() < p["p_digitized"] else "",
            "reused_data": "x" if rng.random() < p["p_reuse"] else "", "synced": "x" if rng.random() < p["p_synced"] else "",
            "late_reason": late_reason or "", "apology_doc": apology or "",
            "dissatisfied": "x" if rng.random() < 0.004 else "", "complained": "",
        })
    # QĐ 766 digitisation columns (portal description 4.4, 4.5) from their own stream, so the draws above stay as they were
    extra = np.random.default_rng(p["seed"] + 766)
    for row in rows:
        row["personal_store"] = "x" if row["digitized"] and extra.random() < 0.5 else ""
        row["population_data"] = "x" if extra.random() < 0.7 else ""
    pd.DataFrame(rows).to_csv(out / "dossiers.csv", index=False)

    # documents: plans, records and decisions the framework asks for
    (out / "files").mkdir(exist_ok=True)
    titles = {"par_plan": "Kế hoạch cải cách hành chính năm", "propaganda_plan": "Kế hoạch tuyên truyền CCHC",
              "law_monitoring_report": "Báo cáo theo dõi thi hành pháp luật", "asset_inspection": "Biên bản kiểm tra tài sản công",
              "asset_rules": "Quy chế quản lý, sử dụng tài sản công", "tthc_control_plan": "Kế hoạch kiểm soát TTHC",
              "job_descriptions": "Bản mô tả công việc, khung năng lực", "staff_evaluation_report": "Báo cáo đánh giá, phân loại công chức",
              "staff_quality_report": "Báo cáo số lượng, chất lượng CBCC", "training_report": "Báo cáo đào tạo, bồi dưỡng",
              "budget_report": "Báo cáo dự toán, chấp hành, quyết toán ngân sách", "income_rules": "Quy định chi trả thu nhập tăng thêm",
              "autonomy_report": "Báo cáo thực hiện cơ chế tự chủ", "digital_transformation_plan": "Kế hoạch chuyển đổi số",
              "law_monitoring_plan": "Kế hoạch theo dõi thi hành pháp luật", "par_ranking_report": "Báo cáo xếp hạng Chỉ số CCHC",
              "work_programme": "Chương trình công tác trọng tâm", "par_inspection_plan": "Kế hoạch kiểm tra công tác CCHC",
              "unit_assessment_decision": "QĐ đánh giá, xếp loại các ngành", "midyear_review_report": "Báo cáo sơ kết CCHC 6 tháng"}
    for k, (dtype, date) in enumerate(sorted(p["docs"].items())):
        doc_id = f"{10 + k}/{'KH' if 'plan' in dtype else 'BC'}-UBND"
        fname = f"files/{dtype}.txt"
        (out / fname).write_text(f"{titles[dtype]} — {p['commune']} (tệp minh họa / illustrative file)\n", encoding="utf-8")
        docs.append({"id": doc_id, "type": dtype, "title": titles[dtype], "issued_on": date, "issuer": "UBND xã", "file": fname, "dossiers": ""})
    for kind, count, title in (("initiative_recognition", p["initiatives"], "QĐ công nhận sáng kiến CCHC"),
                               ("dialogue_minutes", p["dialogues"], "Biên bản hội nghị đối thoại"),
                               ("model_recognition", p["models"], "QĐ của UBND tỉnh nhân rộng mô hình")):
        for j in range(count):
            when = start + pd.Timedelta(days=int(rng.integers(60, days - 30)))
            docs.append({"id": f"{kind[:3].upper()}-{j + 1}/{start.year}", "type": kind, "title": title, "issued_on": when.strftime("%Y-%m-%d"),
                         "issuer": "UBND tỉnh" if kind == "model_recognition" else "UBND xã", "file": "", "dossiers": ""})
    pd.DataFrame(docs).to_csv(out / "documents.csv", index=False)

    # reports: every quarter of the period's year, per report type (deadlines as seed 004 gives them)
    due_days = {"cchc": (("Q1", "03-10"), ("Q2", "06-10"), ("Q3", "09-10"), ("Q4", "11-10")),
                "kyluat": (("Q1", "03-15"), ("Q2", "06-15"), ("Q3", "09-15"), ("Q4", "11-15")),
                "kstthc": (("Q1", "03-15"), ("Q2", "06-15"), ("Q3", "09-15"), ("Y", "12-15")),
                "sohoa": (("Q1", "03-05"), ("Q2", "06-05"), ("Q3", "09-05"), ("Y", "12-05")),
                "cds": (("Q1", "03-20"), ("Q2", "06-20"), ("Q3", "09-20"), ("Y", "12-15")),
                "tuyentruyen": (("Q1", "03-05"), ("Q2", "06-05"), ("Q3", "09-05"), ("Y", "12-05")),
                "tinhgian": (("T5", "05-31"), ("T11", "11-30"))}
    reports = []
    for rtype, delays in sorted(p["report_delays"].items()):
        for q, due in due_days[rtype]:
            due_on = pd.Timestamp(f"{start.year}-{due}")
            delay = delays.get(q)
            reports.append({"type": rtype, "period": q, "due_on": due_on.strftime("%d/%m/%Y"),
                            "submitted_on": "" if delay is None else (due_on + pd.Timedelta(days=delay)).strftime("%d/%m/%Y"), "document": ""})
    pd.DataFrame(reports, columns=["type", "period", "due_on", "submitted_on", "document"]).to_csv(out / "reports.csv", index=False)

    # tasks of the commune's plan: the seed's own list where it has one, else an illustrative dated list
    listed = p["task_list"] or [(t + 1, f"Nhiệm vụ {t + 1} của Kế hoạch CCHC (minh họa)",
                                 (start + pd.Timedelta(days=int((t + 1) * (days - 1) / p["tasks"]))).strftime("%Y-%m-%d")) for t in range(p["tasks"])]
    tasks = []
    for number, title, due_text in listed:
        due = pd.Timestamp(due_text)
        on_time = rng.random() < p["p_task_on_time"]
        done = due - pd.Timedelta(days=int(rng.integers(0, 10))) if on_time else (due + pd.Timedelta(days=int(rng.integers(5, 40))) if rng.random() < 0.6 else None)
        if done is not None and done > end:
            done = None
        tasks.append({"id": f"NV-{number:02d}", "title": title, "owner": "Văn phòng – Thống kê",
                      "product": "Kế hoạch/Báo cáo/Văn bản", "due_on": due.strftime("%d/%m/%Y"), "done_on": "" if done is None else done.strftime("%d/%m/%Y"), "document": ""})
    pd.DataFrame(tasks).to_csv(out / "tasks.csv", index=False)

    # feedback (PAKN)
    fb = []
    for f in range(p["feedback"]):
        rec = start + pd.Timedelta(days=int(rng.integers(days - 20)))
        due = rec + pd.Timedelta(days=10)
        ok = rng.random() < p["p_feedback_on_time"]
        res = due - pd.Timedelta(days=int(rng.integers(0, 8))) if ok else due + pd.Timedelta(days=int(rng.integers(1, 15)))
        fb.append({"id": f"PAKN-{f + 1:03d}", "received_on": rec.strftime("%Y-%m-%d"), "due_on": due.strftime("%Y-%m-%d"),
                   "resolved_on": res.strftime("%Y-%m-%d") if res <= end else "", "satisfied": "có" if ok else "không"})
    pd.DataFrame(fb).to_csv(out / "feedback.csv", index=False)

    # SIPAS answers: two questions per element, Likert 1–5 around the profile's mean
    answers = []
    for r in range(p["survey_respondents"]):
        for el in ELEMENTS:
            for qn in (1, 2):
                a = int(np.clip(np.rint(rng.normal(p["survey_mean"][el], 0.7)), 1, 5))
                answers.append({"respondent": f"P{r + 1:04d}", "element": el, "question": f"{el}.{qn}", "answer": a})
    pd.DataFrame(answers).to_csv(out / "survey.csv", index=False)

    if p.get("self_assessment"):
        pd.DataFrame(p["self_assessment"], columns=["leaf", "points", "evidence", "note"]).to_csv(out / "self_assessment.csv", index=False)

    bundle = {"commune": p["commune"], "province": p["province"], "period": {"start": p["start"], "end": p["end"]},
              "frameworks": p["frameworks"], "illustrative": True, "seed": name,
              "survey": "held", "survey_by": "Sở Nội vụ (minh họa / illustrative)", "note": p["note"] +
              " — số liệu minh họa do examples/generate.py tạo, không phải kết quả thực tế / illustrative data made by examples/generate.py, not actual results"}
    head = "# Illustrative bundle: written by examples/generate.py (do not edit by hand; change the profile and re-run).\n"
    (out / "bundle.yaml").write_text(head + yaml.safe_dump(bundle, allow_unicode=True, sort_keys=False), encoding="utf-8")
    metrics = {**REPORTED_COMMON, **SEED_TARGETS, **p["reported"]}
    (out / "metrics.yaml").write_text(head + "# Figures no evidence table carries, reported by the commune.\n" +
                                      yaml.safe_dump({"metrics": metrics, "manual": p.get("manual", {
                                          "5.1.2": {"points": 3, "note": "Thực hiện đúng quy chế chi tiêu nội bộ; không có sai phạm",
                                                    "evidence": ["QC-CTNB", "KL-KT"]}})}, allow_unicode=True, sort_keys=False), encoding="utf-8")


def golden(name: str) -> None:
    """Score the example against each framework it names and keep the JSON as the expected output."""
    import os
    from parscore import api
    from parscore.scoring.result import to_json
    root = HERE.parent
    cwd = os.getcwd()
    os.chdir(root)  # paths in the JSON are relative to the repo root, wherever this is run from
    try:
        out = HERE / name / "expected"
        out.mkdir(exist_ok=True)
        for result in api.score_bundle_all(f"examples/{name}"):
            (out / f"{result.framework['id']}.json").write_text(to_json(result), encoding="utf-8")
    finally:
        os.chdir(cwd)


def main() -> None:
    args = sys.argv[1:]
    only_golden = "--golden" in args
    names = [a for a in args if not a.startswith("--")] or list(PROFILES)
    for name in names:
        if not only_golden:
            generate(name, PROFILES[name])
        golden(name)
        print(f"wrote examples/{name}" + (" (golden outputs only)" if only_golden else ""))


if __name__ == "__main__":
    main()
