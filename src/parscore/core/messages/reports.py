"""Words of the documents parscore hands out: the HTML report, the self-assessment report, the ranking workbook."""
from __future__ import annotations

# code: (vi, en)
WORDS: dict[str, tuple[str, str]] = {
    "report_title": ("Báo cáo kết quả chấm điểm", "Scoring report"),
    "report_commune": ("Xã", "Commune"),
    "report_province": ("Tỉnh", "Province"),
    "report_period": ("Kỳ đánh giá", "Period"),
    "report_framework": ("Bộ tiêu chí", "Framework"),
    "report_decision": ("Văn bản", "Decision"),
    "report_generated_on": ("Ngày chạy", "Run on"),
    "report_hashes": ("Mã băm dữ liệu đầu vào (sha256)", "Input hashes (sha256)"),
    "report_summary": ("Tóm tắt theo từng bộ tiêu chí", "Summary per framework"),
    "report_charts": ("Biểu đồ", "Charts"),
    "report_fields_chart": ("Điểm đạt và điểm mất theo lĩnh vực", "Points earned and lost per field"),
    "report_costly_chart": ("Các tiêu chí mất nhiều điểm nhất", "The leaves that cost most"),
    "report_compare_fields": ("Năm nay so với năm trước, theo lĩnh vực", "This year against last year, per field"),
    "report_compare_leaves": ("Tiêu chí tăng, giảm điểm so với năm trước", "Leaves improved or worse than last year"),
    "report_earned": ("Điểm đạt", "Earned"),
    "report_lost": ("Điểm mất", "Lost"),
    "report_this_year": ("Năm nay", "This year"),
    "report_last_year": ("Năm trước", "Last year"),
    "report_improved": ("tăng", "improved"),
    "report_worse": ("giảm", "worse"),
    "report_change": ("Thay đổi", "Change"),
    "report_leaves": ("Bảng điểm từng tiêu chí", "Points of every leaf"),
    "report_only_lost": ("Chỉ hiện tiêu chí bị mất điểm", "Only leaves that lost points"),
    "report_expand_all": ("Mở tất cả giải thích", "Expand all explanations"),
    "report_failing": ("Bản ghi không đạt", "Failing records"),
    "report_failing_more": ("và {n} bản ghi khác", "and {n} more"),
    "report_no_warnings": ("Không có cảnh báo.", "No warnings."),
    "report_self_assessment": ("Tự chấm điểm so với điểm tính được", "Self-assessment against computed points"),
    "report_self_points": ("Điểm tự chấm", "Self-score"),
    "report_computed_points": ("Điểm tính được", "Computed"),
    "report_difference": ("Chênh lệch", "Difference"),
    "report_requirement": ("Yêu cầu", "Requirement"),
    "report_no_lost": ("Không có tiêu chí nào bị mất điểm.", "No leaf lost points."),
    "report_bonus_earned": ("Điểm thưởng đạt được", "Bonus earned"),
    "report_penalty_applied": ("Điểm trừ áp dụng", "Penalty applied"),
    "report_adjustments": ("Điểm thưởng, điểm trừ", "Bonus and penalty"),
    "report_illustrative": ("Dữ liệu minh họa, không phải kết quả thực tế.", "Illustrative data, not actual results."),
    "report_print": ("In / lưu PDF", "Print / save as PDF"),
    "report_no_previous": ("—", "—"),
}

# code: (vi message, vi fix, en message, en fix)
ERRORS: dict[str, tuple[str, str, str, str]] = {
    "previous_not_json": (
        "không đọc được kết quả năm trước: {problem}", "dùng tệp do 'parscore score --format json' ghi ra, hoặc thư mục bộ minh chứng",
        "cannot read last year's result: {problem}", "give a file written by 'parscore score --format json', or a bundle folder"),
    "previous_no_framework": (
        "kết quả năm trước không có bộ tiêu chí '{framework}' (có: {found})", "chấm lại năm trước theo bộ tiêu chí này",
        "last year's result has no framework '{framework}' (it has: {found})", "score last year under this framework"),
    "previous_bad_value": (
        "giá trị '{value}' không phải là số", "ghi số, ví dụ 12.5 hoặc \"25/2\"",
        "value '{value}' is not a number", "write a number, e.g. 12.5 or \"25/2\""),
    "report_format_needs_out": (
        "định dạng {format} là tệp nhị phân, cần --out", "thêm --out bao-cao.{format}",
        "format {format} is a binary file and needs --out", "add --out report.{format}"),
}

WORDS |= {
    "batch_mixed_period": ("kỳ đánh giá khác các bộ còn lại ({detail})", "a different period from the others' ({detail})"),
    "batch_mixed_framework": ("không dùng bộ tiêu chí của lần xếp hạng (có: {detail})",
                              "does not name the batch's framework (it names: {detail})"),
    "batch_mixed_skipped": ("không xếp hạng; thêm --mixed để vẫn xếp hạng", "not ranked; add --mixed to rank it anyway"),
    "batch_mixed_ranked": ("vẫn xếp hạng (--mixed)", "ranked anyway (--mixed)"),
}
