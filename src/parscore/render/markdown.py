"""Markdown report of a result."""
from __future__ import annotations

from typing import Sequence

from parscore.core.messages import word
from parscore.render.text import (
    period_text,
    pts,
    rows,
    status_word,
    summary_line,
    total_line,
)
from parscore.scoring.result import LeafResult, Result

FORMAT = "markdown"


def render(results: Sequence[Result], lang: str) -> str:
    return "\n".join(score_markdown(r, lang) for r in results)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def score_markdown(result: Result, lang: str) -> str:
    fw = result.framework
    title = fw["title"](lang) if callable(fw["title"]) else fw["title"][lang]
    period = period_text(result.subject, lang)
    lines = [f"# {title} — {result.subject.get('commune', '')}" + (f" ({period})" if period else ""), "",
             f"**{summary_line(result, lang)}**", ""]
    heads = [word(h, lang) for h in ("id", "criterion", "points", "max", "lost", "status", "why", "to_recover")]
    lines += ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
    for depth, item in rows(result):
        name = ("&nbsp;&nbsp;" * depth) + (item.title(lang) if isinstance(item, LeafResult) else f"**{item.title(lang)}**")
        cells = [item.id, name, pts(item.points, result, lang), pts(item.max_points, result, lang),
                 pts(item.points_lost, result, lang)]
        if isinstance(item, LeafResult):
            cells += [status_word(item.status, lang), item.explanation(lang), item.to_recover.text(lang) if item.to_recover else ""]
        else:
            cells += ["", "", ""]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    lines += ["", f"**{total_line(result, lang)}**", ""]
    for w in result.warnings:
        lines.append(f"- ⚠ {w.text(lang)}")
    return "\n".join(lines).rstrip() + "\n"
