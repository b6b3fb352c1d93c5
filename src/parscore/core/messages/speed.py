"""Sentences of the web page's plan applied as a what-if scenario."""
from __future__ import annotations

# code: (vi, en)
WORDS: dict[str, tuple[str, str]] = {
    "web_plan_apply": ("Áp dụng kế hoạch (chấm lại như một kịch bản)", "Apply the plan (re-score it as a scenario)"),
    "web_plan_save": ("Lưu kịch bản của kế hoạch (.yaml)", "Save the plan's scenario (.yaml)"),
    "web_plan_applied": ("Kế hoạch đã áp dụng cho mục tiêu {target}", "The plan for the target {target}, applied"),
}
