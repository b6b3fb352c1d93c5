"""Writes the example bundles: synthetic, ILLUSTRATIVE evidence for the five seed communes.

The seeds (shared/seeds/) are plans: their targets and tasks are real, their results are
not published. Each profile below says how its commune is made to differ (a near-top
commune, one losing points on late dossiers without apologies, one with missing plans
and late reports, one with a weak survey). Seeded, so the output is the same every run:

    python examples/generate.py            # rewrite every example
    python examples/generate.py dao-xa-2025
"""
from __future__ import annotations

import datetime as dt
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

PROFILES: dict[str, dict] = {
    "dao-xa-2025": dict(
        seed=3, commune="Xã Đào Xá", province="Thái Nguyên", start="2025-01-01", end="2025-12-31",
        frameworks=["reference-par-2025"],
        note="Gần nhóm đầu: hầu hết chỉ tiêu đạt / near the top class: most targets met",
        dossiers=1480, p_late=0.0008, p_two_supplements=0.0, p_apology=1.0, p_online=0.93, p_full_online=0.94,
        p_digitized=0.98, p_paid_online=0.55, p_synced=1.0, p_reuse=0.7, p_open=0.01,
        survey_respondents=320, survey_mean={"access": 4.5, "procedures": 4.4, "civil_servants": 4.6, "results": 4.5, "feedback": 4.3},
        tasks=24, p_task_on_time=1.0, report_delays={"Q1": -2, "Q2": 0, "Q3": -1, "Q4": -3},
        docs={"par_plan": "2024-12-31", "propaganda_plan": "2025-02-14", "law_monitoring_report": "2025-11-20",
              "asset_inspection": "2025-10-15"},
        initiatives=1, dialogues=2, models=1, feedback=22, p_feedback_on_time=1.0,
        reported={"dossier_on_time_rate": {"numerator": 1479, "denominator": 1480, "source": "Báo cáo CCHC năm 2025 của xã"}},
        self_assessment=None,
    ),
}

# Figures that no evidence table carries (portal publication, internal e-office, training, budget): reported.
REPORTED_COMMON = {
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
    pd.DataFrame(rows).to_csv(out / "dossiers.csv", index=False)

    # documents: plans, records and decisions the framework asks for
    (out / "files").mkdir(exist_ok=True)
    titles = {"par_plan": "Kế hoạch cải cách hành chính năm", "propaganda_plan": "Kế hoạch tuyên truyền CCHC",
              "law_monitoring_report": "Báo cáo theo dõi thi hành pháp luật", "asset_inspection": "Biên bản kiểm tra tài sản công"}
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

    # reports: quarterly PAR reports with the seed-004 deadlines
    reports = []
    for q, due in (("Q1", "03-10"), ("Q2", "06-10"), ("Q3", "09-10"), ("Q4", "11-10")):
        due_on = pd.Timestamp(f"{start.year}-{due}")
        if not (start <= due_on <= end):
            continue
        delay = p["report_delays"].get(q)
        reports.append({"type": "cchc", "period": q, "due_on": due_on.strftime("%d/%m/%Y"),
                        "submitted_on": "" if delay is None else (due_on + pd.Timedelta(days=delay)).strftime("%d/%m/%Y"), "document": ""})
    pd.DataFrame(reports, columns=["type", "period", "due_on", "submitted_on", "document"]).to_csv(out / "reports.csv", index=False)

    # tasks of the commune's plan
    tasks = []
    for t in range(p["tasks"]):
        due = start + pd.Timedelta(days=int((t + 1) * (days - 1) / p["tasks"]))
        on_time = rng.random() < p["p_task_on_time"]
        done = due - pd.Timedelta(days=int(rng.integers(0, 10))) if on_time else (due + pd.Timedelta(days=int(rng.integers(5, 40))) if rng.random() < 0.6 else None)
        if done is not None and done > end:
            done = None
        tasks.append({"id": f"NV-{t + 1:02d}", "title": f"Nhiệm vụ {t + 1} của Kế hoạch CCHC", "owner": "Văn phòng – Thống kê",
                      "product": "Báo cáo/Văn bản", "due_on": due.strftime("%d/%m/%Y"), "done_on": "" if done is None else done.strftime("%d/%m/%Y"), "document": ""})
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
              "frameworks": p["frameworks"], "illustrative": True, "seed": name, "note": p["note"] +
              " — số liệu minh họa do examples/generate.py tạo, không phải kết quả thực tế / illustrative data made by examples/generate.py, not actual results"}
    head = "# Illustrative bundle: written by examples/generate.py (do not edit by hand; change the profile and re-run).\n"
    (out / "bundle.yaml").write_text(head + yaml.safe_dump(bundle, allow_unicode=True, sort_keys=False), encoding="utf-8")
    metrics = {**REPORTED_COMMON, **p.get("reported_common", {}), **p["reported"]}
    (out / "metrics.yaml").write_text(head + "# Figures no evidence table carries, reported by the commune.\n" +
                                      yaml.safe_dump({"metrics": metrics, "manual": p.get("manual", {
                                          "5.1.2": {"points": 3, "note": "Thực hiện đúng quy chế chi tiêu nội bộ; không có sai phạm",
                                                    "evidence": ["QC-CTNB", "KL-KT"]}})}, allow_unicode=True, sort_keys=False), encoding="utf-8")


def main() -> None:
    names = sys.argv[1:] or list(PROFILES)
    for name in names:
        generate(name, PROFILES[name])
        print(f"wrote examples/{name}")


if __name__ == "__main__":
    main()
