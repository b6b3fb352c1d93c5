"""Sentences about QĐ 766 per the portal's description: source strength of each figure, zero denominators."""
from __future__ import annotations

# code: (vi, en)
WORDS: dict[str, tuple[str, str]] = {
    "strength_official": ("văn bản chính thức", "official text"),
    "strength_portal_description": ("mô tả kỹ thuật của Cổng DVC quốc gia (nguồn thứ cấp)",
                                    "the national portal's technical description (secondary source)"),
    "strength_illustrative": ("minh họa", "illustrative"),
    "strength_line": ("Độ tin cậy nguồn: điểm — {points}; yêu cầu — {requirement}",
                      "Source strength: points — {points}; requirement — {requirement}"),
    "strength_of": ("Độ tin cậy nguồn: {strength}", "Source strength: {strength}"),
    "strength_counts": ("Độ tin cậy nguồn của các con số: {counts}", "Source strength of the figures: {counts}"),
    "when_empty_zero": ("mẫu số bằng 0: tính là 0 %", "zero denominator: scored as 0 %"),
    "when_empty_full": ("mẫu số bằng 0: tính là 100 %", "zero denominator: scored as 100 %"),
    "when_empty_not_applicable": ("mẫu số bằng 0: không áp dụng", "zero denominator: not applicable"),
}
