"""Sentences about fidelity to the source texts: trace files, survey and period declarations, evidence references."""
from __future__ import annotations

# code: (vi message, vi fix, en message, en fix)
ERRORS: dict[str, tuple[str, str, str, str]] = {
    "trace_unaccounted": (
        "mục '{item}' không ghi tiêu chí mã hóa nó, cũng không ghi lý do chưa mã hóa",
        "thêm 'leaves: [mã tiêu chí]' hoặc 'not_encoded: lý do'",
        "item '{item}' names neither the leaves that encode it nor why it is not encoded",
        "add 'leaves: [leaf id]' or 'not_encoded: reason'"),
    "trace_both": (
        "mục '{item}' vừa ghi tiêu chí vừa ghi 'not_encoded'", "giữ một trong hai",
        "item '{item}' gives both leaves and 'not_encoded'", "keep one of the two"),
    "trace_quote_missing": (
        "không thấy trích dẫn '{quote}' trong {source} từ dòng {from_line} đến {to_line}",
        "chép nguyên văn lời văn bản và sửa số dòng",
        "quote '{quote}' is not in {source} between lines {from_line} and {to_line}",
        "copy the document's words verbatim and fix the line number"),
    "trace_source_missing": (
        "không tìm thấy văn bản nguồn {source}", "đặt văn bản vào criteria/sources/ hoặc sửa 'source.file'",
        "source document {source} not found", "put the text in criteria/sources/ or fix 'source.file'"),
    "trace_framework": (
        "tệp truy vết ghi khung '{framework}' nhưng nằm trong thư mục của khung '{folder}'", "sửa trường 'framework'",
        "the trace file names framework '{framework}' but sits in the folder of '{folder}'", "fix the 'framework' field"),
    "no_trace": (
        "khung '{framework}' không có tệp truy vết (trace.yaml)", "chỉ khung mã hóa một văn bản nguồn mới có tệp này",
        "framework '{framework}' has no trace file (trace.yaml)", "only frameworks encoding a source document have one"),
}

WORDS: dict[str, tuple[str, str]] = {
    "trace_header": ("Truy vết {framework} ← {document}", "Trace of {framework} ← {document}"),
    "trace_counts": ("{items} mục: {exact} mã hóa đúng nguyên văn, {read} mã hóa theo cách đọc đã nêu, {not_encoded} chưa mã hóa",
                     "{items} items: {exact} encoded exactly, {read} encoded with a stated reading, {not_encoded} not encoded"),
    "trace_not_encoded": ("chưa mã hóa", "not encoded"),
    "trace_reading": ("cách đọc", "reading"),
    "survey_missing": (
        "CẢNH BÁO: khung có phần điều tra xã hội học nhưng bundle không có bảng survey; phần này bị tính là thiếu minh "
        "chứng (0 điểm). Nếu không tổ chức điều tra, khai 'survey: not_held' trong bundle.yaml để quy đổi về thang 100.",
        "WARNING: the framework has a survey part but the bundle has no survey table; it counts as missing evidence "
        "(0 points). If no survey was held, declare 'survey: not_held' in bundle.yaml to rescale to 100."),
    "survey_declared_but_missing": (
        "CẢNH BÁO: bundle.yaml khai có điều tra xã hội học (survey: held) nhưng không có bảng survey; phần điều tra bị "
        "tính là thiếu minh chứng (0 điểm). Nộp bảng survey.csv.",
        "WARNING: bundle.yaml declares a survey was held (survey: held) but the bundle has no survey table; the survey "
        "part counts as missing evidence (0 points). Submit survey.csv."),
    "self_above_max": (
        "Tự chấm {id}: {points} điểm, vượt điểm tối đa {max} của tiêu chí ({loc})",
        "Self-assessment {id}: {points} points claimed, above the criterion's maximum of {max} ({loc})"),
    "self_unresolved_evidence": (
        "Tự chấm {id}: tài liệu kiểm chứng không có trong bộ hồ sơ đã nộp: {refs} ({loc})",
        "Self-assessment {id}: evidence not among the submitted documents or files: {refs} ({loc})"),
    "before_period": (
        "hạn {due} trước ngày đầu kỳ đánh giá {start}: không áp dụng",
        "due {due}, before the period starts on {start}: not applicable"),
}
