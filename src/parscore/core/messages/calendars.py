"""Sentences about province report calendars (rules/report_calendars/) and the deadline leaves that read them."""
from __future__ import annotations

# code: (vi message, vi fix, en message, en fix)
ERRORS: dict[str, tuple[str, str, str, str]] = {
    "report_series_unknown": (
        "chuỗi báo cáo '{series}' không có trong rules/report_calendars/series.yaml (có: {known})",
        "sửa tên chuỗi hoặc khai báo nó trong series.yaml",
        "report series '{series}' is not in rules/report_calendars/series.yaml (known: {known})",
        "fix the series name or declare it in series.yaml"),
    "report_key_unknown": (
        "kỳ báo cáo '{key}' không thuộc chuỗi '{series}' (có: {known})", "dùng một trong các kỳ đã khai báo",
        "report key '{key}' is not one of series '{series}' (known: {known})", "use one of the declared keys"),
    "report_date_year": (
        "hạn {value} không thuộc năm {year} của lịch", "sửa ngày hoặc đặt nó vào lịch của năm đó",
        "due date {value} is not in the calendar's year {year}", "fix the date or put it in that year's calendar"),
    "deadlines_due_or_calendar": (
        "tiêu chí hạn nộp phải có đúng một trong hai: 'due' (ngày của văn bản nguồn) hoặc 'calendar' + 'keys' (lịch của tỉnh)",
        "giữ 'due' khi văn bản nguồn ghi ngày; dùng 'calendar' khi ngày là của tỉnh",
        "a deadline leaf needs exactly one of 'due' (the source's own dates) or 'calendar' + 'keys' (the province's calendar)",
        "keep 'due' where the source gives dates; use 'calendar' where the dates are the province's"),
    "report_calendar_unknown": (
        "khung chỉ định lịch báo cáo của '{province}' nhưng không có tệp lịch nào của tỉnh này trong rules/report_calendars/",
        "thêm tệp lịch của tỉnh hoặc sửa trường 'report_calendar'",
        "the framework names the report calendar of '{province}' but rules/report_calendars/ has none for it",
        "add that province's calendar file or fix the 'report_calendar' field"),
}

WORDS: dict[str, tuple[str, str]] = {
    "report_calendar_missing": (
        "Không có lịch báo cáo của tỉnh {province} năm {years} (rules/report_calendars/): các tiêu chí hạn nộp theo lịch "
        "của tỉnh ({leaves}) không chấm được và bị tính là thiếu minh chứng. Thêm tệp lịch của tỉnh, mỗi ngày ghi nguồn.",
        "No report calendar for {province} {years} (rules/report_calendars/): the deadline leaves that read the "
        "province's calendar ({leaves}) cannot be judged and count as missing evidence. Add the province's calendar "
        "file, each date citing its source."),
    "report_calendar_borrowed": (
        "Tỉnh {province} chưa có lịch báo cáo năm {years}; khung dùng lịch của {used} cho {leaves} (mượn, không phải lịch của tỉnh).",
        "{province} has no report calendar for {years}; the framework uses {used}'s for {leaves} (borrowed, not the "
        "province's own)."),
}
