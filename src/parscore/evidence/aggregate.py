"""The monthly aggregate report an office receives from the one-stop system, as reported metrics.

A commune without a per-dossier export still has the one-stop system's report on
dossier handling ("Tình hình, kết quả giải quyết TTHC", the form of Thông tư
01/2018/TT-VPCP): per field (lĩnh vực) or in a total row, the dossiers carried over
(Tồn kỳ trước / Từ kỳ trước chuyển sang), newly received (online, in person or by
post), resolved early / on time / late (Đã giải quyết trước hạn / đúng hạn / quá hạn)
and still pending within or past their due date (Đang giải quyết trong hạn / quá hạn).

The header spans several merged rows; each column is named by the texts above it
(merged cells filled across), matched ignoring case and diacritics. The total row
(Tổng cộng / Tổng số) is used when present, else the field rows are summed. Every
metric names the sheet and rows it came from. Figures that do not add up (a "Tổng số"
column against its parts) are refused at their row.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parscore.core.errors import InputError, InputErrors
from parscore.core.numbers import NotANumber, parse_decimal
from parscore.evidence.labels import fold

HEADER_ROWS = 15  # the header and title rows scanned

# figure -> (patterns that must all appear in the column's folded header text)
_H = r"(?:thoi )?han"
COLUMNS: dict[str, tuple[str, ...]] = {
    "carried_over": (r"ky truoc|ton",),
    "new_online": (r"moi tiep nhan|tiep nhan moi|trong ky", r"truc tuyen"),
    "new_direct": (r"moi tiep nhan|tiep nhan moi|trong ky", r"truc tiep|buu chinh"),
    "new_total": (r"moi tiep nhan|tiep nhan moi", r"tong so|^(?!.*(truc tuyen|truc tiep|buu chinh))"),
    "done_early": (r"da giai quyet|da xu ly", rf"truoc {_H}"),
    "done_on_time": (r"da giai quyet|da xu ly", rf"dung {_H}"),
    "done_late": (r"da giai quyet|da xu ly", rf"qua {_H}"),
    "done_total": (r"da giai quyet|da xu ly", r"tong so"),
    "pending_in_time": (r"dang giai quyet|dang xu ly", rf"trong {_H}|chua den {_H}"),
    "pending_late": (r"dang giai quyet|dang xu ly", rf"qua {_H}"),
    "pending_total": (r"dang giai quyet|dang xu ly", r"tong so"),
}
REQUIRED = ("done_early", "done_on_time", "done_late", "pending_in_time", "pending_late")
LABELS = {  # how the report words each figure, for messages
    "done_early": "Đã giải quyết trước hạn", "done_on_time": "Đã giải quyết đúng hạn", "done_late": "Đã giải quyết quá hạn",
    "pending_in_time": "Đang giải quyết trong hạn", "pending_late": "Đang giải quyết quá hạn",
}
_TOTAL_ROW = re.compile(r"^(tong cong|tong so|cong|toan xa|tong)\b")


@dataclass(frozen=True)
class Aggregate:
    figures: dict[str, int]
    sheet: str
    rows: tuple[int, ...]  # the source rows summed (one: the total row)
    file: str

    def where(self) -> str:
        rows = f"dòng {self.rows[0]}" if len(self.rows) == 1 else f"dòng {self.rows[0]}–{self.rows[-1]}"
        return f"{self.file}, trang '{self.sheet}', {rows}"


def _merged_values(ws: Any) -> dict[tuple[int, int], Any]:
    """Every cell of a merged range carries the range's value (Excel keeps it in the top-left cell only)."""
    out = {}
    for rng in ws.merged_cells.ranges:
        value = ws.cell(rng.min_row, rng.min_col).value
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                out[(r, c)] = value
    return out


def _columns(ws: Any) -> tuple[dict[str, int], int]:
    """Figure -> column, and the last header row; found from the header texts stacked above each column."""
    merged = _merged_values(ws)
    last = min(ws.max_row, HEADER_ROWS)
    best: tuple[dict[str, int], int] = ({}, 0)
    for bottom in range(1, last + 1):
        texts = {}
        for c in range(1, ws.max_column + 1):
            parts: list[str] = []
            for r in range(1, bottom + 1):
                v = merged.get((r, c), ws.cell(r, c).value)
                if v is not None and str(v).strip() and (not parts or parts[-1] != str(v)):
                    parts.append(str(v))
            texts[c] = fold(" ".join(parts))
        found: dict[str, int] = {}
        for figure, patterns in COLUMNS.items():
            for c, text in texts.items():
                if c not in found.values() and all(re.search(p, text) for p in patterns):
                    found[figure] = c
                    break
        if len(found) > len(best[0]):
            best = (found, bottom)
    return best


def _number(value: Any) -> int:
    if value is None or str(value).strip() in ("", "-", "–"):
        return 0
    d = parse_decimal(value)
    if d != int(d) or d < 0:
        raise NotANumber(value)
    return int(d)


def read_aggregate(path: Path | str) -> Aggregate:
    """The figures of the report, from its total row or the sum of its field rows."""
    import openpyxl
    path = Path(path)
    shown = str(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputErrors([InputError("aggregate_unrecognised", file=shown, params={
            "label": "(.xlsx)", "columns": ", ".join(LABELS.values())})])
    try:
        wb = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # noqa: BLE001 — openpyxl raises many types for a broken file
        raise InputErrors([InputError("xlsx_broken", file=shown, params={"problem": type(exc).__name__})]) from None
    sheets = [(ws, *_columns(ws)) for ws in wb.worksheets]
    ws, cols, header_end = max(sheets, key=lambda s: len(s[1]))
    missing = [f for f in REQUIRED if f not in cols]
    if missing:
        raise InputErrors([InputError("aggregate_unrecognised", file=shown, where=f"sheet '{ws.title}'", params={
            "label": LABELS[missing[0]], "columns": ", ".join(LABELS.values())})])
    rows: list[tuple[int, dict[str, int]]] = []
    total: tuple[int, dict[str, int]] | None = None
    errors = []
    first_col = min(cols.values())
    for r in range(header_end + 1, ws.max_row + 1):
        labels = [fold(ws.cell(r, c).value) for c in range(1, first_col) if ws.cell(r, c).value is not None]
        cells = {f: ws.cell(r, c).value for f, c in cols.items()}
        if all(v is None or str(v).strip() == "" for v in cells.values()):
            continue
        try:
            figures = {f: _number(v) for f, v in cells.items()}
        except NotANumber as exc:
            f = next(k for k, v in cells.items() if v == exc.args[0])
            errors.append(InputError("bad_number", file=shown, line=r, where=f"sheet '{ws.title}' ({LABELS.get(f, f)})",
                                     value=str(exc.args[0])))
            continue
        errors += _check(figures, shown, ws.title, r)
        if any(_TOTAL_ROW.search(label) for label in labels):
            total = (r, figures)
        else:
            rows.append((r, figures))
    if errors:
        raise InputErrors(errors)
    if total is not None:
        return Aggregate(total[1], ws.title, (total[0],), shown)
    if not rows:
        raise InputErrors([InputError("aggregate_unrecognised", file=shown, where=f"sheet '{ws.title}'", params={
            "label": "Tổng cộng", "columns": ", ".join(LABELS.values())})])
    summed = {f: sum(fig[f] for _, fig in rows) for f in cols}
    return Aggregate(summed, ws.title, tuple(r for r, _ in rows), shown)


def _check(f: dict[str, int], shown: str, sheet: str, row: int) -> list[InputError]:
    """A "Tổng số" column must equal the sum of its parts."""
    out = []
    for total, parts in (("done_total", ("done_early", "done_on_time", "done_late")),
                         ("pending_total", ("pending_in_time", "pending_late")),
                         ("new_total", ("new_online", "new_direct"))):
        if total in f and all(p in f for p in parts) and f[total] != sum(f[p] for p in parts):
            out.append(InputError("aggregate_inconsistent", file=shown, line=row, where=f"sheet '{sheet}'", params={
                "detail": f"{total} = {f[total]} ≠ {' + '.join(f'{f[p]}' for p in parts)}"}))
    return out


def metrics_of(agg: Aggregate) -> dict[str, dict[str, Any]]:
    """Reported metrics (metrics.yaml entries) the report supports, each naming its sheet and rows."""
    f = agg.figures
    done = f["done_early"] + f["done_on_time"] + f["done_late"]
    pending = f["pending_in_time"] + f["pending_late"]
    src = f"Báo cáo tổng hợp của Hệ thống một cửa: {agg.where()}"
    out: dict[str, dict[str, Any]] = {}
    if done + pending:
        out["dossier_on_time_rate"] = {"numerator": f["done_early"] + f["done_on_time"] + f["pending_in_time"],
                                       "denominator": done + pending, "source": src}
    if done:
        out["dossier_early_rate"] = {"numerator": f["done_early"], "denominator": done, "source": src}
        out["dossier_on_due_day_rate"] = {"numerator": f["done_on_time"], "denominator": done, "source": src}
        out["dossier_late_rate"] = {"numerator": f["done_late"], "denominator": done, "source": src}
    new = f.get("new_total", f.get("new_online", 0) + f.get("new_direct", 0))
    if "new_online" in f and new:
        out["online_submission_rate"] = {"numerator": f["new_online"], "denominator": new, "source": src}
    return out
