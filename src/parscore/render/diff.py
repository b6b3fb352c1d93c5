"""Two frameworks compared, as text or JSON."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from parscore.core.dates import text as date_text
from parscore.core.messages import WORDS, word
from parscore.core.numbers import NotANumber, display, exact_text, fraction
from parscore.core.portal import document, dumps, portal
from parscore.core.schema import jsonable
from parscore.metrics.catalogue import Metric
from parscore.scoring.compare import FrameworkDiff


def diff_json(d: FrameworkDiff) -> str:
    """One result per changed leaf; with a bundle, its total and per-leaf scores under both editions."""
    top: dict[str, object] = {"a": d.a.id, "b": d.b.id}
    if d.before is not None and d.after is not None:
        dec = d.before.decimals
        top["bundle"] = d.bundle
        top["total"] = {side: portal({"points": r.total.points, "index": r.total.index}, dec)
                        for side, r in (("a", d.before), ("b", d.after))}
        top["scores"] = [portal({"id": c.id, "a": c.before, "b": c.after}, dec) for c in d.scores]
    return dumps(document("diff", [jsonable(c.__dict__) for c in d.changes], **top))


def diff_text(d: FrameworkDiff, lang: str, metrics: Mapping[str, Metric] | None = None) -> str:
    """Each leaf added, removed or changed, each changed parameter as a person reads it
    ("≥ 99,9 %: 7 điểm; ≥ 95 %: 3,5 điểm"), and with a bundle its score under both."""
    metrics = metrics or {}
    lines = [word("diff_title", lang, a=d.a.id, b=d.b.id)]
    if not d.changes:
        lines.append("  " + word("diff_none", lang))
    for c in d.changes:
        lines.append(f"  {word('change_' + c.change, lang)} {c.id} {c.title}")
        for k in c.what if c.change == "changed" else ():
            before = _param((c.before or {}).get(k), k, lang, metrics)
            after = _param((c.after or {}).get(k), k, lang, metrics)
            lines.append(f"      {_param_name(k, lang)}: {before} → {after}")
    if d.before is not None and d.after is not None:
        ra, rb = d.before, d.after
        lines.append("")
        lines.append(word("diff_scores", lang, bundle=d.bundle, before=_index(ra.total.index, lang), after=_index(rb.total.index, lang),
                          cls_before=ra.total.classification.label(lang), cls_after=rb.total.classification.label(lang)))
        for s in d.scores:
            before = "—" if s.before is None else display(s.before, 2, lang)
            after = "—" if s.after is None else display(s.after, 2, lang)
            lines.append(f"  {s.id:8} {before:>6} → {after:>6}")
    return "\n".join(lines)


def _index(value: Fraction | None, lang: str) -> str:
    return "—" if value is None else display(value, 2, lang) + " %"


def _param_name(key: str, lang: str) -> str:
    code = f"param_{key}"
    return word(code, lang) if code in WORDS else word("param_other", lang, name=key.replace("_", " "))


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _param(value: Any, key: str, lang: str, metrics: Mapping[str, Metric]) -> str:
    """One parameter's value in words: bands as thresholds and points, dates dd/mm/yyyy, metrics by title."""
    if value is None:
        return "—"
    if isinstance(value, Mapping) and set(value) == {"vi", "en"}:
        return str(value[lang])
    if key == "metric" and isinstance(value, str):
        return metrics[value].title(lang) if value in metrics else value
    if key == "kind" and isinstance(value, str):
        return word(f"kind_{value}", lang) if f"kind_{value}" in WORDS else value
    if isinstance(value, list) and value and all(isinstance(b, Mapping) and "points" in b for b in value):
        return "; ".join(_band(b, lang) for b in value)
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {_param(v, key, lang, metrics)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_param(v, key, lang, metrics) for v in value)
    text = str(value)
    if _ISO_DATE.match(text):
        return date_text(dt.date.fromisoformat(text), lang)
    try:
        return _number(fraction(text), lang)
    except (NotANumber, ValueError):
        return text


def _number(value: Fraction, lang: str) -> str:
    text = exact_text(value)
    return text.replace(".", ",") if lang == "vi" else text


def _band(band: Mapping[str, Any], lang: str) -> str:
    value = fraction(band["points"])
    points = word("n_point" if value == 1 else "n_points", lang, n=_number(value, lang))
    if "above" in band:
        return word("band_above", lang, threshold=_number(fraction(band["above"]), lang), points=points)
    if "at_least" in band:
        return word("band_at_least", lang, threshold=_number(fraction(band["at_least"]), lang), points=points)
    return ", ".join(f"{_param_name(k, lang)}: {v}" for k, v in band.items())
