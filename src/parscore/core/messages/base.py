"""The core sentences of the message catalogue (see `parscore.core.messages`).

Keeping them in one table means a message cannot exist in one language only:
`tests/test_messages.py` checks that both languages carry the same placeholders.
"""
from __future__ import annotations

# code: (vi message, vi fix, en message, en fix)
ERRORS: dict[str, tuple[str, str, str, str]] = {
    "file_missing": (
        "không tìm thấy tệp", "kiểm tra lại đường dẫn",
        "file not found", "check the path"),
    "file_too_large": (
        "tệp lớn {size} byte, vượt giới hạn {limit} byte", "chia nhỏ tệp hoặc bỏ dữ liệu thừa",
        "file is {size} bytes, over the {limit}-byte limit", "split the file or drop unneeded data"),
    "yaml_syntax": (
        "YAML sai cú pháp: {problem}", "sửa cú pháp YAML tại dòng này",
        "malformed YAML: {problem}", "fix the YAML syntax at this line"),
    "yaml_alias": (
        "YAML dùng neo/bí danh (& hoặc *), không được phép", "viết đầy đủ giá trị thay cho bí danh",
        "YAML anchors/aliases (& or *) are not allowed", "write the value out instead of the alias"),
    "yaml_duplicate_key": (
        "khóa '{key}' bị lặp", "xóa một trong hai khóa",
        "key '{key}' is repeated", "remove one of the two keys"),
    "yaml_not_mapping": (
        "nội dung tệp phải là một bảng khóa–giá trị", "bắt đầu tệp bằng các cặp 'khóa: giá trị'",
        "the file must hold a mapping", "start the file with 'key: value' pairs"),
    "schema": (
        "{problem_vi}", "xem lược đồ {schema}",
        "{problem_en}", "see schema {schema}"),
    "unknown_key": (
        "khóa '{key}' không hợp lệ{hint}", "dùng một trong: {allowed}",
        "unknown key '{key}'{hint}", "use one of: {allowed}"),
    "unknown_kind": (
        "loại quy tắc '{kind}' không tồn tại{hint}", "dùng một trong: {allowed}",
        "unknown rule kind '{kind}'{hint}", "use one of: {allowed}"),
    "unknown_metric": (
        "chỉ số '{metric}' không có trong danh mục chỉ số (rules/){hint}", "khai báo chỉ số trong rules/ hoặc sửa tên",
        "metric '{metric}' is not in the metric catalogue (rules/){hint}", "declare it in rules/ or fix the name"),
    "metric_unit": (
        "chỉ số '{metric}' có đơn vị '{unit}', loại '{kind}' cần '{wanted}'", "chọn chỉ số có đơn vị '{wanted}'",
        "metric '{metric}' has unit '{unit}', kind '{kind}' needs '{wanted}'", "pick a metric with unit '{wanted}'"),
    "parent_sum": (
        "điểm tối đa {parent} là {declared} nhưng tổng các mục con là {children}", "sửa max_points của mục cha hoặc các mục con",
        "{parent} declares {declared} points but its children sum to {children}", "fix max_points of the parent or of its children"),
    "duplicate_id": (
        "mã '{id}' bị trùng (đã có ở {other})", "mỗi mã chỉ dùng một lần",
        "id '{id}' is used twice (also at {other})", "give every id once"),
    "duplicate_name": (
        "tên '{name}' đã được đăng ký ({other})", "đổi tên",
        "name '{name}' is already registered ({other})", "rename it"),
    "unknown_framework": (
        "không có khung đánh giá '{framework}'{hint}", "xem danh sách bằng 'parscore frameworks'",
        "no framework '{framework}'{hint}", "list them with 'parscore frameworks'"),
    "unknown_leaf": (
        "khung '{framework}' không có tiêu chí '{leaf}'{hint}", "xem các mã bằng 'parscore show {framework}'",
        "framework '{framework}' has no criterion '{leaf}'{hint}", "list ids with 'parscore show {framework}'"),
    "bad_number": (
        "'{value}' không phải là số", "ghi số dạng 12,5 hoặc 12.5",
        "'{value}' is not a number", "write the number as 12,5 or 12.5"),
    "nan": (
        "giá trị không xác định (NaN)", "ghi số thực tế hoặc khai báo not_applicable",
        "value is NaN", "give the real figure or declare not_applicable"),
    "negative": (
        "số âm {value} không hợp lệ", "số đếm và giá trị phải ≥ 0",
        "negative value {value}", "counts and values must be ≥ 0"),
    "not_integer": (
        "số đếm phải là số nguyên, nhận được {value}", "ghi số nguyên",
        "a count must be a whole number, got {value}", "write a whole number"),
    "num_over_den": (
        "tử số {numerator} lớn hơn mẫu số {denominator}", "tử số không được vượt mẫu số",
        "numerator {numerator} is above denominator {denominator}", "the numerator cannot exceed the denominator"),
    "percent_over_100": (
        "tỷ lệ {value}% vượt 100%", "ghi tỷ lệ trong khoảng 0–100",
        "rate {value}% is above 100%", "give a rate between 0 and 100"),
    "bad_date": (
        "'{value}' không phải ngày hợp lệ", "ghi ngày dạng 2025-03-10 hoặc 10/03/2025",
        "'{value}' is not a valid date", "write dates as 2025-03-10 or 10/03/2025"),
    "metric_value_shape": (
        "chỉ số '{metric}' (đơn vị {unit}) cần {wanted}", "xem 'parscore show' để biết dạng dữ liệu",
        "metric '{metric}' (unit {unit}) needs {wanted}", "see 'parscore show' for the expected shape"),
    "manual_points": (
        "điểm chấm tay {value} nằm ngoài khoảng 0–{max}", "ghi điểm trong khoảng cho phép",
        "manual points {value} are outside 0–{max}", "give points within the range"),
    "bundle_framework": (
        "hồ sơ minh chứng không nêu khung đánh giá", "thêm 'framework:' vào bundle.yaml hoặc dùng --framework",
        "the bundle names no framework", "add 'framework:' to bundle.yaml or pass --framework"),
    "case_mismatch": (
        "ví dụ '{case}': mong đợi {expected}, nhận {got}", "sửa ví dụ hoặc quy tắc",
        "case '{case}': expected {expected}, got {got}", "fix the case or the rule"),
    "template_field": (
        "mẫu diễn giải dùng trường '{name}' không có", "dùng một trong: {allowed}",
        "explanation template uses unknown field '{name}'", "use one of: {allowed}"),
    "band_order": (
        "các mức phải giảm dần theo ngưỡng và điểm", "sắp xếp mức từ ngưỡng cao xuống thấp",
        "bands must descend by threshold and points", "order bands from the highest threshold down"),
    "points_over_max": (
        "điểm {value} vượt điểm tối đa {max}", "giảm điểm mức xuống ≤ điểm tối đa",
        "points {value} exceed the maximum {max}", "lower the band's points to ≤ the maximum"),
    "unknown_column": (
        "cột '{column}' không có trong bảng {table}{hint}", "dùng một trong: {allowed}",
        "column '{column}' is not a column of table {table}{hint}", "use one of: {allowed}"),
    "missing_column": (
        "bảng {table} thiếu cột bắt buộc '{column}'", "thêm cột '{header}'",
        "table {table} lacks the required column '{column}'", "add the column '{header}'"),
    "duplicate_column": (
        "cột '{column}' xuất hiện hai lần", "giữ một cột",
        "column '{column}' appears twice", "keep one of them"),
    "empty_cell": (
        "ô bắt buộc '{column}' bị trống", "điền giá trị",
        "required cell '{column}' is empty", "fill it in"),
    "bad_bool": (
        "'{value}' không phải có/không", "ghi có/không, x, 1/0 hoặc true/false",
        "'{value}' is not yes/no", "write có/không, x, 1/0 or true/false"),
    "bad_enum": (
        "giá trị '{value}' không hợp lệ{hint}", "dùng một trong: {allowed}",
        "value '{value}' is not allowed{hint}", "use one of: {allowed}"),
    "out_of_range": (
        "giá trị {value} nằm ngoài khoảng {low}–{high}", "ghi giá trị trong khoảng",
        "value {value} is outside {low}–{high}", "give a value within the range"),
    "bad_reference": (
        "tham chiếu '{value}' không có trong {target}", "thêm bản ghi {target} hoặc sửa mã",
        "reference '{value}' is not in {target}", "add the {target} record or fix the id"),
    "path_escapes": (
        "đường dẫn tệp '{value}' nằm ngoài hồ sơ minh chứng", "dùng đường dẫn tương đối bên trong thư mục hồ sơ",
        "file path '{value}' leaves the bundle", "use a relative path inside the bundle folder"),
    "zip_unsafe": (
        "mục '{value}' trong tệp zip {problem_vi}", "đóng gói lại tệp zip chỉ với đường dẫn tương đối",
        "zip entry '{value}' {problem_en}", "re-pack the zip with relative paths only"),
    "more_errors": (
        "còn {n} lỗi khác trong bảng này", "sửa các lỗi trên rồi kiểm tra lại",
        "{n} more errors in this table", "fix the ones above and check again"),
    "bad_bundle_sheet": (
        "trang '{sheet}': {problem_vi}", "xem mẫu bằng 'parscore template'",
        "sheet '{sheet}': {problem_en}", "see the layout with 'parscore template'"),
    "out_is_folder": (
        "'{file}' là một thư mục, không phải tệp", "ghi tên tệp đầu ra, ví dụ ket-qua.json",
        "'{file}' is a folder, not a file", "name an output file, e.g. result.json"),
    "out_folder_missing": (
        "thư mục '{folder}' không tồn tại", "tạo thư mục trước hoặc chọn thư mục khác",
        "folder '{folder}' does not exist", "create it first or choose another folder"),
    "batch_all_failed": (
        "không chấm được: {error}", "sửa bộ minh chứng này",
        "could not be scored: {error}", "fix this bundle"),
    "template_not_xlsx": (
        "sổ mẫu phải là tệp .xlsx", "đặt tên tệp kết thúc bằng .xlsx",
        "the template is an .xlsx workbook", "name the file with .xlsx"),
    "unknown_document": (
        "không nhận ra loại tệp (bộ tiêu chí, bộ minh chứng, kịch bản, chi phí, quy tắc)", "kiểm tra tên và nội dung tệp",
        "not a parscore document (framework, bundle, scenario, costs, rules)", "check the file's name and content"),
    "sweep_range": (
        "không quét được {metric} ({unit}) trên khoảng này", "tỷ lệ: 0 ≤ LO ≤ HI ≤ 100, STEP > 0; số đếm: số nguyên 0 ≤ LO ≤ HI, STEP ≥ 1; ngày không quét được",
        "cannot sweep {metric} ({unit}) over this range", "rates: 0 ≤ LO ≤ HI ≤ 100, STEP > 0; counts: whole 0 ≤ LO ≤ HI, STEP ≥ 1; dates cannot be swept"),
    "adjustment_kind_in_scoring_block": (
        "tiêu chí {leaf} dùng loại cộng/trừ điểm '{kind}' trong khối chấm điểm '{block}'", "chuyển tiêu chí sang khối điểm thưởng/trừ hoặc đổi loại quy tắc",
        "leaf {leaf} uses the adjustment kind '{kind}' in the scoring block '{block}'", "move it to the bonus/penalty block or change its kind"),
    "scoring_kind_in_adjustment_block": (
        "tiêu chí {leaf} dùng loại chấm điểm '{kind}' trong khối điểm thưởng/trừ '{block}'", "dùng loại bonus hoặc penalty",
        "leaf {leaf} uses the scoring kind '{kind}' in the adjustment block '{block}'", "use the bonus or penalty kind"),
    "bad_target": (
        "mục tiêu '{value}' không phải phần trăm hay mã xếp loại của {framework}{hint}", "ghi chỉ số (85 hoặc 85,5) hoặc một mã: {classes}",
        "target '{value}' is neither a percentage nor a class of {framework}{hint}", "give an index (85 or 85.5) or one of: {classes}"),
    "sweep_axis_shape": (
        "'{value}' không đúng dạng CHỈ_SỐ=THẤP:CAO:BƯỚC", "ví dụ dossier_on_time_rate=90:100:0,1",
        "'{value}' is not METRIC=LO:HI:STEP", "e.g. dossier_on_time_rate=90:100:0.1"),
    "zip_broken": (
        "không đọc được tệp zip ({problem})", "nén lại thư mục hồ sơ thành tệp .zip",
        "not a readable zip file ({problem})", "re-create the .zip from the bundle folder"),
    "xlsx_broken": (
        "không đọc được sổ Excel ({problem})", "mở tệp bằng Excel và lưu lại dạng .xlsx",
        "not a readable .xlsx workbook ({problem})", "open it in Excel and save it again as .xlsx"),
    "usage": (
        "{problem}", "xem 'parscore --help'",
        "{problem}", "see 'parscore --help'"),
}

# UI words: code -> (vi, en)
WORDS: dict[str, tuple[str, str]] = {
    "value": ("giá trị", "value"),
    "fix": ("cách sửa", "fix"),
    "did_you_mean": ("; có phải ý bạn là '{name}'?", "; did you mean '{name}'?"),
    "full": ("đạt tối đa", "full"),
    "partial": ("đạt một phần", "partial"),
    "zero": ("không đạt", "zero"),
    "not_applicable": ("không áp dụng", "not applicable"),
    "missing_evidence": ("thiếu minh chứng", "missing evidence"),
    "manual": ("chấm tay", "manual"),
    "error": ("lỗi", "error"),
    "id": ("Mã", "Id"),
    "criterion": ("Tiêu chí", "Criterion"),
    "points": ("Điểm", "Points"),
    "max": ("Tối đa", "Max"),
    "lost": ("Mất", "Lost"),
    "status": ("Trạng thái", "Status"),
    "why": ("Lý do", "Why"),
    "to_recover": ("Để lấy lại điểm", "To recover"),
    "total": ("Tổng", "Total"),
    "index": ("Chỉ số", "Index"),
    "class": ("Xếp loại", "Class"),
    "survey_rescaled": ("không có điều tra xã hội học: quy đổi về thang 100", "no survey: rescaled to 100"),
    "survey_present": ("có điều tra xã hội học", "survey present"),
    "survey_zero": ("không có điều tra xã hội học: phần khảo sát 0 điểm", "no survey: the survey part scores zero"),
    "warnings": ("Cảnh báo", "Warnings"),
    "requires": ("Yêu cầu", "Requires"),
    "evidence": ("Tài liệu kiểm chứng", "Evidence required"),
    "source": ("Nguồn", "Source"),
    "inputs": ("Dữ liệu đầu vào", "Inputs"),
    "not_counted": ("không tính vào điểm tối đa", "not counted toward the maximum"),
    "unclassified": ("chưa xếp loại", "unclassified"),
    "cap_adjustment": ("điều chỉnh theo mức trần", "cap adjustment"),
    "reported": ("báo cáo", "reported"),
    "derived": ("tính từ hồ sơ", "derived"),
    "case_ok": ("{n} ví dụ đạt, {bad} sai", "{n} cases passed, {bad} failed"),
    "coverage": ("độ phủ: {covered}/{leaves} tiêu chí có ví dụ tại ngưỡng và ngay dưới ngưỡng ({pct}%)",
                 "coverage: {covered}/{leaves} leaves have a case at the threshold and just below it ({pct}%)"),
    "not_covered": ("chưa phủ", "not covered"),
    "valid": ("hợp lệ", "valid"),
    "fw_id": ("Mã", "Id"),
    "fw_version": ("Phiên bản", "Version"),
    "fw_province": ("Tỉnh", "Province"),
    "fw_year": ("Năm", "Year"),
    "fw_decision": ("Văn bản", "Decision"),
    "fw_title": ("Tên", "Title"),
    "rule_kind": ("loại quy tắc", "rule kind"),
    "metrics": ("chỉ số đo", "metrics"),
    "change_added": ("thêm", "added"),
    "change_removed": ("bỏ", "removed"),
    "change_changed": ("đổi", "changed"),
    "param_max_points": ("điểm tối đa", "maximum points"),
    "param_kind": ("loại quy tắc", "rule kind"),
    "param_metric": ("chỉ số đo", "metric"),
    "param_bands": ("các mức điểm", "bands"),
    "param_full_from": ("đạt tối đa từ", "full from"),
    "param_due": ("hạn", "due"),
    "batch_written": ("{out}: xếp hạng {ranked} xã, bỏ qua {skipped}", "{out}: {ranked} ranked, {skipped} skipped"),
    "no_index": ("không tính được chỉ số", "no index could be computed"),
    "below_threshold": ("Chỉ số {index}% thấp hơn ngưỡng {threshold}%", "index {index}% is below --fail-under {threshold}%"),
    "interrupted": ("đã dừng theo yêu cầu (Ctrl-C)", "interrupted (Ctrl-C)"),
    "internal_bug": ("lỗi nội bộ của parscore ({error}); xin báo lỗi kèm mã băm dữ liệu vào: {hashes}",
                     "internal error in parscore ({error}); please report it with the input hashes: {hashes}"),
}
