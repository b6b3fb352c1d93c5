"""The clerk-made corpus: every file shape a commune office produces, built from `base/` as its tools would save it.

`base/` is checked in as text (UTF-8, `;`-separated, Vietnamese headers and labels, dates typed five ways,
attachments named with spaces, Vietnamese letters and a backslash). The binary shapes are made here, the way
Excel on Vietnamese Windows, a macOS zip or the one-stop system would make them; each case says what must
happen: it scores (and what the records must show), or it fails with one located Vietnamese line.
"""
from __future__ import annotations

import datetime as dt
import shutil
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BASE = Path(__file__).resolve().parent / "base"


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[Path], Path]  # makes the file(s) under a temporary folder, returns what to score
    fails_with: tuple[str, ...] = ()  # substrings of the one located Vietnamese line; empty = it scores
    warns: tuple[str, ...] = ()  # substrings of a warning the score must carry


def _copy(tmp: Path, name: str) -> Path:
    d = tmp / name
    shutil.copytree(BASE, d)
    return d


def to_cp1258(text: str) -> bytes:
    """As Windows writes Vietnamese in cp1258: a precomposed letter where the code page has one, else the letter
    without its tone followed by the combining tone mark."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tone = "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tone))
            out += base.encode("cp1258") + tone.encode("cp1258")
    return out


def _recode(tmp: Path, name: str, encoding: str, sep: str, bom: bytes = b"") -> Path:
    d = _copy(tmp, name)
    for csv in d.glob("*.csv"):
        text = csv.read_text(encoding="utf-8").replace(";", sep) if sep != ";" else csv.read_text(encoding="utf-8")
        if sep == ",":  # Excel quotes a cell holding the delimiter
            text = text.replace("Phí, lệ phí", '"Phí, lệ phí"').replace("Số, ký hiệu", '"Số, ký hiệu"')
        text = text.replace("\n", "\r\n")
        csv.write_bytes(bom + (to_cp1258(text) if encoding == "cp1258" else text.encode(encoding)))
    return d


def cp1258_comma(tmp: Path) -> Path:
    """Excel on Vietnamese Windows, "CSV (Comma delimited)": the ANSI code page, CRLF."""
    return _recode(tmp, "cp1258", "cp1258", ",")


def cp1258_semicolon(tmp: Path) -> Path:
    return _recode(tmp, "cp1258-semicolon", "cp1258", ";")


def utf16_tab(tmp: Path) -> Path:
    """Excel's "Unicode Text": UTF-16 LE with its byte-order mark, tab-separated."""
    return _recode(tmp, "utf16", "utf-16", "\t")


def utf8_bom_comma(tmp: Path) -> Path:
    """Excel's "CSV UTF-8 (Comma delimited)"."""
    return _recode(tmp, "utf8-bom", "utf-8", ",", b"\xef\xbb\xbf")


def utf8_semicolon(tmp: Path) -> Path:
    return _copy(tmp, "utf8")


def cut_character(tmp: Path) -> Path:
    """A UTF-8 file whose 'ợ' lost its last byte (a copy cut short, a cell edited with the wrong tool)."""
    d = _copy(tmp, "cut")
    data = (d / "dossiers.csv").read_bytes()
    i = data.index("Đăng ký kết hôn".encode())
    bad = data[:i] + "Đăng ký kết h".encode() + "ô".encode()[:1] + b"n" + data[i + len("Đăng ký kết hôn".encode()):]
    (d / "dossiers.csv").write_bytes(bad)
    return d


def not_vietnamese(tmp: Path) -> Path:
    """A file in an encoding that is neither UTF-8 nor Vietnamese Windows (here Shift-JIS)."""
    d = _copy(tmp, "sjis")
    (d / "dossiers.csv").write_bytes(b"id;procedure;received_at;status;channel\nHS-1;" + "申請書類の受付".encode("shift_jis")
                                     + b";2025-03-03;returned;direct\n")
    return d


def decimal_comma_count(tmp: Path) -> Path:
    """'1,5' typed into a count column (Số lần yêu cầu bổ sung)."""
    d = _copy(tmp, "count")
    p = d / "dossiers.csv"
    lines = p.read_text(encoding="utf-8").splitlines()
    lines[0] += ";Số lần yêu cầu bổ sung"
    lines = [lines[0]] + [line + (";1,5" if i == 1 else ";0") for i, line in enumerate(lines[1:], start=1)]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return d


def money_with_dot(tmp: Path) -> Path:
    """'50.000' in the fee column: fifty thousand dong written with a thousands dot."""
    d = _copy(tmp, "money")
    p = d / "dossiers.csv"
    p.write_text(p.read_text(encoding="utf-8").replace(";2000;", ";50.000;"), encoding="utf-8")
    return d


def unknown_label(tmp: Path) -> Path:
    d = _copy(tmp, "label")
    p = d / "dossiers.csv"
    p.write_text(p.read_text(encoding="utf-8").replace("Đang xử lý", "Đang chờ ý kiến"), encoding="utf-8")
    return d


def missing_attachment(tmp: Path) -> Path:
    d = _copy(tmp, "missing")
    (d / "files" / "Kế hoạch CCHC 2025.txt").unlink()
    return d


def nfd_zip(tmp: Path) -> Path:
    """A bundle zipped on macOS: file names stored decomposed (NFD), the register naming them composed (NFC)."""
    d = _copy(tmp, "nfd-src")
    z = tmp / "Xã Thử Nghiệm.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for p in sorted(d.rglob("*")):
            if p.is_file():
                zf.write(p, unicodedata.normalize("NFD", f"xa-thu/{p.relative_to(d).as_posix()}"))
    return z


def _rows(path: Path) -> list[list[str]]:
    return [line.split(";") for line in path.read_text(encoding="utf-8").splitlines()]


def merged_workbook(tmp: Path, *, header: bool = True) -> Path:
    """The commune's own workbook: title rows merged above the header, Vietnamese sheet names, real Excel dates
    (datetime cells and a bare serial number), a blank row and a signature line below the table."""
    import openpyxl
    wb = openpyxl.Workbook()
    info = wb.active
    info.title = "Thông tin chung"
    info.append(["Thông tin", "Giá trị"])
    info.append(["Tên xã (commune)", "Xã Thử Nghiệm"])
    info.append(["Tỉnh (province)", "Thái Nguyên"])
    info.append(["Từ ngày (period_start)", dt.datetime(2025, 1, 1)])
    info.append(["Đến ngày (period_end)", dt.datetime(2025, 12, 31)])
    info.append(["Khung đánh giá (framework)", "qd766-2022"])
    for table, title in (("dossiers", "Hồ sơ TTHC"), ("documents", "Văn bản")):
        ws = wb.create_sheet(title)
        ws.append(["ỦY BAN NHÂN DÂN XÃ THỬ NGHIỆM"])
        ws.append([f"SỔ THEO DÕI {title.upper()} NĂM 2025"])
        ws.append([])
        rows = _rows(BASE / f"{table}.csv")
        for r in (1, 2):
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(rows[0]))
        if header or table != "dossiers":
            ws.append(rows[0])
        for row in rows[1:]:
            cells: list[object] = [v or None for v in row]
            if table == "dossiers" and row[0] == "HS-001":
                cells[2], cells[4] = dt.datetime(2025, 3, 3, 8, 15), dt.datetime(2025, 3, 4, 14, 30)
                cells[3] = 45721  # 05/03/2025 as Excel stores it, the cell's date format lost
            ws.append(cells)
        ws.append([])
        ws.append([None, "Người lập biểu"] + [None] * (len(rows[0]) - 2))  # a signature line is not a record
    out = tmp / ("so-theo-doi.xlsx" if header else "khong-tieu-de.xlsx")
    wb.save(out)
    shutil.copytree(BASE / "files", tmp / "files")
    return out


def workbook_without_header(tmp: Path) -> Path:
    return merged_workbook(tmp, header=False)


def workbook_unknown_sheet(tmp: Path) -> Path:
    """A workbook whose one data sheet keeps Excel's default name and headers parscore does not know."""
    import openpyxl
    src = merged_workbook(tmp)
    wb = openpyxl.load_workbook(src)
    for title in ("Hồ sơ TTHC", "Văn bản"):
        del wb[title]
    ws = wb.create_sheet("Sheet1")
    ws.append(["Số hồ sơ", "Ngày nhận", "Tình trạng"])
    ws.append(["HS-001", "03/03/2025", "Đã trả kết quả"])
    out = tmp / "sheet1.xlsx"
    wb.save(out)
    return out


def aggregate_report(tmp: Path, *, broken: bool = False) -> Path:
    """The one-stop system's monthly report: two merged header rows, a row per field, a total row."""
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Báo cáo tháng 3"
    ws.append(["TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH THÁNG 3/2025"])
    ws.merge_cells("A1:M1")
    ws.append(["STT", "Lĩnh vực", "Số hồ sơ nhận giải quyết", None, None, None,
               "Đã giải quyết", None, None, None, "Đang giải quyết", None, None])
    ws.append([None, None, "Tổng số", "Tồn kỳ trước", "Mới tiếp nhận trực tuyến", "Mới tiếp nhận trực tiếp, bưu chính",
               "Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn", "Tổng số", "Trong hạn", "Quá hạn"])
    for rng in ("A2:A3", "B2:B3", "C2:F2", "G2:J2", "K2:M2"):
        ws.merge_cells(rng)
    ws.append([1, "Hộ tịch", 60, 5, 25, 30, 55, 30, 22, 3, 5, 4, 1])
    ws.append([2, "Chứng thực", 40, 0, 10, 30, 40, 35, 5, 0, 0, 0, 0])
    total = [None, "Tổng cộng", 100, 5, 35, 60, 95, 65, 27, 3, 5, 4, 1]
    if broken:
        total[6] = 96  # Tổng số đã giải quyết does not add up
    ws.append(total)
    out = tmp / ("bao-cao-thang-3-sai.xlsx" if broken else "bao-cao-thang-3.xlsx")
    wb.save(out)
    return out


def aggregate_report_broken(tmp: Path) -> Path:
    return aggregate_report(tmp, broken=True)


SCORING = [
    Case("utf8-semicolon", utf8_semicolon),
    Case("utf8-bom-comma", utf8_bom_comma),
    Case("cp1258-comma", cp1258_comma),
    Case("cp1258-semicolon", cp1258_semicolon),
    Case("utf16-tab", utf16_tab),
    Case("nfd-zip", nfd_zip),
    Case("merged-workbook", merged_workbook),
    Case("money-with-dot", money_with_dot, warns=("'50.000' được đọc là 50", "dossiers.csv:2", "dossiers.fee")),
    Case("missing-attachment", missing_attachment,
         warns=("không tìm thấy tệp đính kèm 'files/Kế hoạch CCHC 2025.txt'", "documents.csv:3")),
]
FAILING = [
    Case("cut-character", cut_character, fails_with=("dossiers.csv:4", "ký tự bị cắt hoặc hỏng", "CSV UTF-8 (Comma delimited)")),
    Case("not-vietnamese", not_vietnamese, fails_with=("dossiers.csv:2", "không nhận ra bảng mã", "Lưu dưới dạng > CSV UTF-8")),
    Case("decimal-comma-count", decimal_comma_count,
         fails_with=("dossiers.csv:2", "dossiers.supplement_requests", "số nguyên, nhận được 1,5")),
    Case("unknown-label", unknown_label,
         fails_with=("dossiers.csv:6", "dossiers.status", "'Đang chờ ý kiến' không hợp lệ", "Đã trả kết quả (returned)")),
    Case("workbook-unknown-sheet", workbook_unknown_sheet,
         fails_with=("sheet1.xlsx", "sheet 'Sheet1'", "không phải bảng nào parscore biết", "Hồ sơ TTHC (dossiers)")),
    Case("workbook-without-header", workbook_without_header,
         fails_with=("khong-tieu-de.xlsx", "sheet 'Hồ sơ TTHC'", "không tìm thấy dòng tiêu đề của bảng dossiers")),
]
