"""Sentences for the hardening checks: limits, hostile files, and the outliers worth a warning.

Every limit named here is listed in docs/limits.md.
"""
from __future__ import annotations

# code: (vi message, vi fix, en message, en fix)
ERRORS: dict[str, tuple[str, str, str, str]] = {
    "number_too_large": (
        "'{value}' vượt giới hạn độ lớn (nhỏ hơn {limit})", "kiểm tra lại số (thừa chữ số?)",
        "'{value}' is beyond the magnitude limit (below {limit})", "check the figure (extra digits?)"),
    "number_too_precise": (
        "'{value}' có quá {limit} chữ số thập phân", "làm tròn tới {limit} chữ số sau dấu phẩy",
        "'{value}' has more than {limit} decimals", "round it to {limit} decimals"),
    "yaml_control_char": (
        "có ký tự điều khiển {char} ở cột {column}", "xoá ký tự này (thường do sao chép từ phần mềm khác)",
        "control character {char} at column {column}", "delete it (it usually comes from copy-pasting)"),
    "yaml_too_deep": (
        "lồng nhau quá {limit} cấp", "làm phẳng cấu trúc; không tệp nào của parscore cần sâu như vậy",
        "nested deeper than {limit} levels", "flatten it; no parscore file needs that depth"),
    "yaml_bad_scalar": (
        "giá trị '{value}' {problem_vi}", "đặt giá trị trong dấu nháy nếu là chữ, hoặc sửa lại",
        "value '{value}' {problem_en}", "quote it if it is text, or correct it"),
    "csv_ragged_row": (
        "dòng có {found} ô nhưng tiêu đề có {expected} cột", "xoá ô thừa hoặc đặt ô có dấu phẩy trong dấu nháy kép",
        "the row has {found} fields but the header has {expected}", "remove the extra fields or quote fields holding a comma"),
    "csv_empty": (
        "tệp CSV rỗng (không có dòng tiêu đề)", "xuất lại bảng kèm dòng tiêu đề, hoặc xoá tệp",
        "the CSV file is empty (no header row)", "export the table again with its header row, or delete the file"),
    "too_many_rows": (
        "bảng có {rows} dòng, vượt giới hạn {limit}", "chia bộ minh chứng theo kỳ đánh giá",
        "the table has {rows} rows, over the {limit} limit", "split the bundle by assessment period"),
    "date_out_of_range": (
        "ngày '{value}' nằm ngoài khoảng {low}–{high}", "kiểm tra năm (gõ nhầm?)",
        "date '{value}' is outside {low}–{high}", "check the year (a typo?)"),
    "zip_too_many_entries": (
        "tệp zip có {count} mục, vượt giới hạn {limit} mục", "chỉ đóng gói các tệp của bộ minh chứng",
        "the zip holds {count} entries, over the {limit}-entry limit", "pack only the bundle's files"),
    "zip_ratio": (
        "mục '{value}' nén {ratio}:1, vượt tỷ lệ nén cho phép {limit}:1 (nghi bom nén)",
        "đóng gói lại với các tệp gốc",
        "entry '{value}' expands {ratio}:1, over the {limit}:1 limit (a zip bomb?)", "re-pack the original files"),
    "zip_too_large": (
        "tệp zip giải nén ra {size} byte, vượt giới hạn {limit} byte", "chia nhỏ bộ minh chứng",
        "the zip unpacks to {size} bytes, over the {limit}-byte limit", "split the bundle"),
    "symlink_refused": (
        "là liên kết tượng trưng (symlink); bộ minh chứng chỉ được chứa tệp thật",
        "sao chép tệp thật vào bộ minh chứng thay cho liên kết",
        "is a symbolic link; a bundle may hold only real files", "copy the real file into the bundle instead"),
    "sweep_too_large": (
        "lưới có {points} điểm, vượt giới hạn {limit}", "tăng bước (STEP) hoặc thu hẹp khoảng",
        "the grid has {points} points, over the {limit} limit", "use a larger STEP or a narrower range"),
    "batch_mixed_frameworks": (
        "các bộ minh chứng dùng bộ tiêu chí khác nhau ({frameworks}); không thể xếp hạng chung",
        "chọn một bộ tiêu chí bằng --framework, hoặc chấm từng nhóm riêng",
        "the bundles use different frameworks ({frameworks}); they cannot share one ranking",
        "choose one with --framework, or batch each group separately"),
    "batch_not_bundle": (
        "thư mục không có bundle.yaml nên không phải bộ minh chứng", "thêm bundle.yaml hoặc bỏ thư mục khỏi lô",
        "the folder has no bundle.yaml, so it is not a bundle", "add a bundle.yaml or leave the folder out"),
    "framework_manifest_missing": (
        "thư mục bộ tiêu chí không có manifest.yaml", "thêm manifest.yaml (xem criteria/reference-par-2025)",
        "the framework folder has no manifest.yaml", "add a manifest.yaml (see criteria/reference-par-2025)"),
    "negative_tolerance": (
        "dung sai '{value}' là số âm", "ghi dung sai ≥ 0 (điểm phần trăm), ví dụ 0,5",
        "tolerance '{value}' is negative", "write a tolerance ≥ 0 (percentage points), e.g. 0.5"),
    "band_unreachable": (
        "ngưỡng {value}% không bao giờ đạt được (tỷ lệ tối đa là 100%)", "sửa ngưỡng về 0–100%",
        "threshold {value}% can never be reached (a rate is at most 100%)", "correct the threshold to 0–100%"),
}

WORDS: dict[str, tuple[str, str]] = {
    "date_outlier": ("ngày {value} ({where}) nằm xa kỳ đánh giá {start}–{end}; kiểm tra lại năm",
                     "date {value} ({where}) lies far outside the assessment period {start}–{end}; check the year"),
    "formula_cached_missing": ("ô {cell} là công thức chưa có giá trị tính sẵn; mở tệp bằng Excel, lưu lại rồi chạy lại",
                               "cell {cell} is a formula with no cached value; open and save the file in Excel, then run again"),
}
