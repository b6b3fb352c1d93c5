"""Shared wording for the terminal and Markdown renderers."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from fractions import Fraction
from typing import Any, Sequence

from parscore.core.dates import parse_date
from parscore.core.dates import text as date_text
from parscore.core.messages import WORDS, word
from parscore.core.numbers import display, grouped
from parscore.scoring.result import LeafResult, NodeResult, Result


def is_adjustment(result: Result, block_id: str) -> bool:
    return any(b.id == block_id and b.role == "adjustment" for b in result.blocks)


def shown_lost(result: Result, item: LeafResult | NodeResult) -> Fraction:
    """Points lost as every view shows them: a bonus not earned is not a loss (and a penalty is not 'lost' either)."""
    return Fraction(0) if is_adjustment(result, item.block) else item.points_lost


def status_word(status: str, lang: str) -> str:
    return word(status, lang)


def pts(value, result: Result, lang: str) -> str:  # type: ignore[no-untyped-def]
    return display(value, result.decimals, lang)


def rows(result: Result) -> list[tuple[int, NodeResult | LeafResult]]:
    """Nodes and leaves in document order, with their depth."""
    out = []
    items: dict[str, NodeResult | LeafResult] = {**{n.id: n for n in result.nodes}, **{leaf.id: leaf for leaf in result.leaves}}
    tops = [n for n in result.nodes if not n.parents] + [leaf for leaf in result.leaves if not leaf.parents]
    order = {b.id: k for k, b in enumerate(result.blocks)}
    field_order = [f for b in result.blocks for f in b.fields]

    def walk(node: NodeResult | LeafResult, depth: int) -> None:
        out.append((depth, node))
        for child in getattr(node, "children", ()):
            walk(items[child], depth + 1)
    for top in sorted(tops, key=lambda n: (order.get(n.block, 99), field_order.index(n.id) if n.id in field_order else 99)):
        walk(top, 0)
    return out


def total_line(result: Result, lang: str) -> str:
    t = result.total
    index = display(t.index, result.decimals, lang) + "%" if t.index is not None else "—"
    cls = t.classification.label(lang)  # the label, not the code ("LOW", "T" mean nothing to a reader)
    survey = {"rescaled": word("survey_rescaled", lang), "present": word("survey_present", lang),
              "zero": word("survey_zero", lang)}.get(t.survey)  # "none": the framework has no survey part
    return (f"{word('total', lang)}: {pts(t.points, result, lang)}/{pts(t.max_points, result, lang)} · "
            f"{word('index', lang)}: {index} · {word('class', lang)}: {cls}" + (f" · {survey}" if survey else ""))


def below_threshold(results: Sequence[Result], threshold: Fraction, lang: str) -> str | None:
    """The `--fail-under` message when an index is below `threshold`, else None."""
    if all(r.total.index is not None and r.total.index >= threshold for r in results):
        return None
    low = min((r.total.index for r in results if r.total.index is not None), default=None)
    if low is None:
        return word("no_index", lang)
    return word("below_threshold", lang, index=display(low, 2, lang), threshold=display(threshold, 2, lang))


def counted(n: int, noun: str, lang: str) -> str:
    """"1 commune", "2 communes", "30.401 hồ sơ": the number grouped, the noun in the right number."""
    return word(f"n_{noun}" if n == 1 else f"n_{noun}s", lang, n=grouped(n, lang))


def summary_line(result: Result, lang: str) -> str:
    """One line per framework, shown before the long tables: points, index, class."""
    t = result.total
    fw = result.framework
    title = fw["title"][lang] if isinstance(fw["title"], dict) else fw["title"](lang)
    index = display(t.index, result.decimals, lang) + " %" if t.index is not None else "—"
    cls = t.classification.label(lang)  # the label, not the code ("LOW", "T" mean nothing to a reader)
    return word("summary_line", lang, title=title, points=pts(t.points, result, lang), max=pts(t.max_points, result, lang),
                index=index, cls=cls)


_SEED = re.compile(r"\bseed (\d{3})(?: \([^)]*\))?,?")
_ENGLISH_NOTE = re.compile(r"\s*\((?![^()]*[À-ỹĐđ])[^()]*[A-Za-z]{3}[^()]*\)?")
_VI_LETTER = re.compile(r"[À-ỹĐđ]")
_EN_WORDS = {"dòng": "row"}  # "Phụ lục nhiệm vụ", "mục II.1" are the document's own headings: kept as written


def citation(source: str, decision: str, leaf_id: str, lang: str) -> str:
    """The decision and row a requirement comes from, as a user reads it.

    A leaf's `source` is written for maintainers: "seed 003 (Đào Xá 2025), Phụ lục, dòng 3.2.1: '…';
    lower bands … are an illustrative allocation (DOMAIN §2)". The user sees its first clause with the
    seed named as the document it is, without the English notes; a source with no such clause is
    cited as the framework's decision and the criterion id.
    """
    clause = re.split(r";| · ", source, maxsplit=1)[0].strip()
    has_seed = bool(_SEED.search(clause))
    clause = _SEED.sub(lambda m: (word(f"seed_{m.group(1)}", lang) + ",") if f"seed_{m.group(1)}" in WORDS else m.group(0), clause)
    if clause.count("'") >= 2:  # a quotation of the document: what follows it is a maintainer's note
        clause = re.sub(r"\s*\('.*$", "", clause[: clause.rindex("'") + 1])
    clause = _ENGLISH_NOTE.sub("", clause).strip().rstrip(",")
    if not has_seed or not _VI_LETTER.search(clause):
        return word("cite_fallback", lang, decision=decision, leaf=leaf_id)
    clause = clause.replace(",,", ",")
    if lang == "en":
        for vi, en in _EN_WORDS.items():
            clause = re.sub(rf"(?<![\w']){vi}(?![\w'])", en, clause)
    return clause


def period_text(subject: Mapping[str, Any], lang: str) -> str:
    period = subject.get("period", {}) or {}
    start, end = period.get("start"), period.get("end")
    if not start or not end:
        return ""
    return word("period", lang, start=_date(start, lang), end=_date(end, lang))


def _date(value: object, lang: str) -> str:
    try:
        return date_text(parse_date(value) if not isinstance(value, dt.date) else value, lang)
    except (ValueError, TypeError):
        return str(value)
