"""Sentences of `parscore watch` (see `parscore.core.messages`)."""
from __future__ import annotations

# code: (vi message, vi fix, en message, en fix)
ERRORS: dict[str, tuple[str, str, str, str]] = {
    "watch_event": (
        "sự kiện không hợp lệ: {problem_vi}", "sửa dòng này theo lược đồ watch-event.schema.json",
        "invalid event: {problem_en}", "fix this line as watch-event.schema.json describes"),
    "watch_event_type": (
        "bảng '{table}' không có loại sự kiện này{hint}", "dùng một trong: {allowed}",
        "table '{table}' has no such event type{hint}", "use one of: {allowed}"),
    "watch_rule_catch_all": (
        "quy tắc '{rule}' không kiểm tra trường nào của bản ghi", "thêm ít nhất một điều kiện 'field'",
        "rule '{rule}' tests no field of the record", "add at least one 'field' condition"),
    "watch_placeholder": (
        "tên '{value}' không dùng được trong thông điệp{hint}", "chỉ dùng: {allowed}",
        "'{value}' cannot be used in a message{hint}", "use only: {allowed}"),
    "watch_placeholder_mismatch": (
        "thông điệp của '{rule}' dùng các tên khác nhau ở hai ngôn ngữ", "dùng cùng các tên {{…}} trong vi và en",
        "the message of '{rule}' names different values in its two languages", "use the same {{…}} names in vi and en"),
    "watch_rule_duplicate": (
        "mã quy tắc cảnh báo '{rule}' bị trùng (đã có ở {other})", "đổi tên một trong hai quy tắc",
        "alert rule id '{rule}' is used twice (also at {other})", "rename one of the two rules"),
    "watch_no_rules": (
        "không có quy tắc cảnh báo nào", "đặt các tệp *.yaml vào thư mục quy tắc cảnh báo",
        "no alert rules found", "put *.yaml files in the alert rules folder"),
    "web_alerts_bad_day": (
        "ngày '{value}' không đọc được", "nhập ngày dạng dd/mm/yyyy (hoặc yyyy-mm-dd)",
        "the day '{value}' cannot be read", "enter a date as dd/mm/yyyy (or yyyy-mm-dd)"),
    "web_alerts_day_range": (
        "ngày {value} nằm ngoài kỳ của bộ minh chứng", "chọn một ngày từ {first} đến {last}",
        "the day {value} is outside the bundle's period", "pick a day from {first} to {last}"),
    "watch_unavailable": (
        ("không dùng được durable-rules trong Python này (chưa cài, hoặc Python ≥ 3.13): 'parscore watch' không chạy được; "
        "các lệnh khác vẫn dùng bình thường"), "pip install 'durable-rules' với Python 3.11 hoặc 3.12",
        ("durable-rules cannot be used in this Python (not installed, or Python ≥ 3.13): 'parscore watch' cannot run; "
        "every other command works"), "pip install 'durable-rules' under Python 3.11 or 3.12"),
    "watch_no_stream": (
        "không có nguồn sự kiện", "cho --replay TỆP, --events TỆP (hoặc - cho stdin), hoặc --exports CŨ MỚI",
        "no event source", "give --replay FILE, --events FILE (or - for stdin), or --exports OLD NEW"),
}

WORDS: dict[str, tuple[str, str]] = {
    "watch_severity_info": ("thông tin", "info"),
    "watch_severity_warning": ("cảnh báo", "warning"),
    "watch_severity_critical": ("nghiêm trọng", "critical"),
    "watch_no_stake": ("chưa tính được điểm bị đe dọa (không có bộ minh chứng của xã này)",
                       "no stake computed (no bundle for this commune)"),
    "watch_stake_none": ("không làm thay đổi điểm theo {framework}", "changes no points under {framework}"),
    "watch_stake": ("nếu bỏ qua: {rates}; mất {points} điểm theo {framework} ({leaves})",
                    "if ignored: {rates}; {points} points lost under {framework} ({leaves})"),
    "watch_rate_after": ("{metric} còn {rate}", "{metric} falls to {rate}"),
    "watch_summary": (("{alerts} cảnh báo ({parts}) từ {events} sự kiện trong {days} ngày; tổng điểm bị đe dọa {points}; "
                      "khởi động lại bộ luật {restarts} lần"),
                      ("{alerts} alerts ({parts}) from {events} events over {days} days; {points} points at stake in all; "
                      "rules engine restarted {restarts} times")),
    "watch_live_title": ("Cảnh báo đang mở", "Open alerts"),
    "watch_col_day": ("Ngày", "Day"),
    "watch_col_severity": ("Mức", "Severity"),
    "watch_col_commune": ("Xã", "Commune"),
    "watch_col_alert": ("Cảnh báo", "Alert"),
    "watch_col_stake": ("Điểm bị đe dọa", "Points at stake"),
    # the alerts panel of `parscore serve`'s result page
    "web_alerts_head": ("Cảnh báo còn mở của xã (parscore watch)", "The commune's open alerts (parscore watch)"),
    "web_alerts_now": ("Nhìn từ ngày", "As of"),
    "web_alerts_run": ("Xem cảnh báo", "Show alerts"),
    "web_alerts_pending": ("Đang tính các cảnh báo từ hồ sơ đã tải lên… (không chạy JavaScript: bấm «Xem cảnh báo»)",
                           "Computing the alerts from the uploaded records… (without JavaScript: press 'Show alerts')"),
    "web_alerts_summary": ("{open} cảnh báo còn mở ngày {now} ({fired} cảnh báo đã phát từ đầu kỳ đến ngày đó)",
                           "{open} alerts open on {now} ({fired} raised from the period's start to that day)"),
    "web_alerts_problem": ("Không xem được cảnh báo:", "The alerts cannot be shown:"),
    "web_alerts_none": ("Không có cảnh báo nào còn mở ngày này.", "No alert is open on that day."),
    "web_alerts_day": ("Ngày phát", "Raised on"),
    "web_alerts_record": ("Hồ sơ", "Record"),
    "web_alerts_severity": ("Mức", "Severity"),
    "web_alerts_alert": ("Cảnh báo", "Alert"),
    "web_alerts_stake": ("Điểm bị đe dọa", "Points at stake"),
}
