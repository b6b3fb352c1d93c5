"""Sentences for the files a commune office really has: encodings, labels, workbooks, the calendar.

See `parscore.core.messages` for how the catalogue is gathered.
"""
from __future__ import annotations

RESAVE_VI = "mở tệp bằng Excel, chọn Tệp > Lưu dưới dạng > CSV UTF-8 (Comma delimited) (*.csv) rồi lưu lại"
RESAVE_EN = "open it in Excel, File > Save As > CSV UTF-8 (Comma delimited) (*.csv), and save again"

# code: (vi message, vi fix, en message, en fix)
ERRORS: dict[str, tuple[str, str, str, str]] = {
    "csv_cut_character": (
        "tệp UTF-8 có ký tự bị cắt hoặc hỏng (byte {byte} tại vị trí {offset})",
        "sửa ô có chữ bị lỗi ở dòng này, hoặc " + RESAVE_VI,
        "a UTF-8 file with a cut or broken character (byte {byte} at offset {offset})",
        "fix the garbled cell on this line, or " + RESAVE_EN),
    "csv_encoding": (
        "không nhận ra bảng mã của tệp (không phải UTF-8, UTF-16 hay Windows-1258 tiếng Việt)", RESAVE_VI,
        "the file's encoding is not recognised (not UTF-8, UTF-16 or Vietnamese Windows-1258)", RESAVE_EN),
    "sheet_not_found": (
        "trang này không phải bảng nào parscore biết (tìm theo tên trang và dòng tiêu đề)",
        "đặt tên trang là một trong: {titles}; dòng tiêu đề như trong 'parscore template', ví dụ Hồ sơ TTHC cần: {columns}",
        "this sheet is none of the tables parscore knows (looked for by sheet name and header row)",
        "name the sheet one of: {titles}; header row as in 'parscore template', e.g. dossiers needs: {columns}"),
    "header_not_found": (
        "không tìm thấy dòng tiêu đề của bảng {table} trong {rows} dòng đầu",
        "dòng tiêu đề phải có các cột: {columns}",
        "no header row for table {table} in the first {rows} rows",
        "the header row must name the columns: {columns}"),
    "aggregate_unrecognised": (
        "không nhận ra báo cáo tổng hợp: thiếu dòng hoặc cột '{label}'",
        "dùng báo cáo tình hình giải quyết TTHC xuất từ Hệ thống một cửa (các cột: {columns})",
        "not a recognised aggregate report: no row or column '{label}'",
        "use the one-stop system's monthly report on dossier handling (columns: {columns})"),
    "aggregate_inconsistent": (
        "số liệu không khớp: {detail}", "kiểm tra lại các ô của dòng này",
        "figures do not add up: {detail}", "check the cells of this row"),
    "calendar_entry": (
        "ngày {value} trong lịch làm việc: {problem_vi}", "sửa mục này trong rules/calendar/",
        "calendar date {value}: {problem_en}", "fix this entry in rules/calendar/"),
}

# code: (vi, en)
WORDS: dict[str, tuple[str, str]] = {
    "money_grouping": (
        "{place}: '{value}' được đọc là {read}; nếu là {thousands} đồng, ghi {thousands} (không dùng dấu chấm)",
        "{place}: '{value}' is read as {read}; if {thousands} dong is meant, write {thousands} (no dot)"),
    "attachment_missing": (
        "{place}: không tìm thấy tệp đính kèm '{value}' của văn bản {doc}; văn bản này không được tính",
        "{place}: attachment '{value}' of document {doc} not found; that document is not counted"),
    "batch_bundle_crashed": (
        "lỗi nội bộ của parscore khi đọc bộ này ({kind}: {detail}); đã bỏ qua, xin báo lỗi kèm tệp",
        "parscore's own error while reading this bundle ({kind}: {detail}); skipped, please report it with the file"),
    "calendar_used": (
        "hạn giải quyết tính theo lịch làm việc: {calendar}",
        "legal due dates counted on the working calendar: {calendar}"),
    "calendar_national": (
        "ngày nghỉ lễ theo Bộ luật Lao động 2019, Điều 112 (thư viện holidays {version})",
        "public holidays per the Labour Code 2019, Art. 112 (holidays library {version})"),
}
