"""Shared wording for the terminal and Markdown renderers."""
from __future__ import annotations

from fractions import Fraction
from typing import Sequence

from parscore.core.messages import word
from parscore.core.numbers import display
from parscore.scoring.result import LeafResult, NodeResult, Result


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
    cls = t.classification.label(lang) + (f" ({t.classification.code})" if t.classification.code else "")
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
