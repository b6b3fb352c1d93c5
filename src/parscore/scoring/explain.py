"""The one renderer of explanations: templates (from the leaf or its kind) filled with observed facts.

Templates are `str.format` text restricted to plain field names (checked when
the framework loads), so nothing from a file is ever evaluated.
"""
from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any, Mapping

from parscore.core import dates
from parscore.kinds.actions import ACTIONS
from parscore.kinds.base import Recovery
from parscore.core.messages import word
from parscore.core.numbers import display
from parscore.core.text import Text

GENERIC = {
    "not_applicable": Text("Không áp dụng{reason_sep}{reason} → không tính vào điểm tối đa (chính sách: {policy}).",
                           "Not applicable{reason_sep}{reason} → handled by the not-applicable policy ({policy})."),
    "missing_evidence": Text("Thiếu số liệu/minh chứng: {metric_title} → 0/{max} điểm.",
                             "Missing figure or evidence: {metric_title} → 0/{max} points."),
    "error": Text("Lỗi khi tính tiêu chí: {reason}.", "The rule failed on this leaf: {reason}."),
    "default": Text("{points}/{max} điểm.", "{points}/{max} points."),
}


def fmt(key: str, value: Any, lang: str, decimals: int) -> str:
    if value is None:
        return "—"
    if isinstance(value, Text):
        return value(lang)
    if isinstance(value, bool):
        return ("có" if value else "không") if lang == "vi" else ("yes" if value else "no")
    if isinstance(value, Fraction):
        text = display(value, decimals, lang)
        return text + "%" if key in ("rate",) else text
    if isinstance(value, (dt.date, dt.datetime)):
        return dates.text(value if isinstance(value, dt.date) else value.date(), lang)
    if isinstance(value, (list, tuple)):
        return ", ".join(fmt(key, v, lang, decimals) for v in value) if value else ("không" if lang == "vi" else "none")
    return str(value)


class _Facts(dict):  # type: ignore[type-arg]
    """The facts a template names, each formatted when the template asks for it (a leaf has some thirty
    facts and its sentence uses a few: formatting them all was a third of scoring a bundle); "—" for
    a fact the leaf does not have."""

    def __init__(self, facts: Mapping[str, Any], lang: str, decimals: int):
        super().__init__()
        self.facts, self.lang, self.decimals = facts, lang, decimals

    def __missing__(self, key: str) -> str:
        if key not in self.facts:
            return "—"
        value = self[key] = fmt(key, self.facts[key], self.lang, self.decimals)
        return value


def render(template: Text, facts: Mapping[str, Any], lang: str, decimals: int) -> str:
    return " ".join(template(lang).format_map(_Facts(facts, lang, decimals)).split())


def explanation(template: Text, facts: Mapping[str, Any], decimals: int) -> Text:
    vi, en = render(template, facts, "vi", decimals), render(template, facts, "en", decimals)
    if facts.get("when_empty"):  # a zero denominator read as the metric says (rules/: when_empty): say so
        vi += f" ({word('when_empty_' + facts['when_empty'], 'vi')})"
        en += f" ({word('when_empty_' + facts['when_empty'], 'en')})"
    return Text(vi, en)


def recovery_text(rec: Recovery, facts: Mapping[str, Any], decimals: int) -> Text:
    """The recovery sentence, worded by its action (`parscore.kinds.actions`)."""
    gain_vi, gain_en = display(rec.gain, decimals, "vi"), display(rec.gain, decimals, "en")
    counts = facts.get("counts") or Text("", "")
    good = facts.get("good") or Text("", "")
    title = facts.get("metric_title") or Text(rec.metric or "", rec.metric or "")
    doc = facts.get("document") or title
    action = ACTIONS.get(rec.action)
    if action is None:
        return Text(f"+{gain_vi} điểm", f"+{gain_en} points")
    return action.recovery(rec.amount or Fraction(0), title, counts, good, doc, gain_vi, gain_en, rec.extra, rec.unit)
