"""The rows of the Biểu tự chấm điểm (self-scoring table) and the report's narrative, read from a result.

One source for the .docx report and its .xlsx table: every field, criterion and
sub-criterion in document order, with the commune's own score (from
`self_assessment`), the computed score, the evidence documents by number and date,
and the explanation (the commune's note where it wrote one, else the leaf's).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from parscore.core.messages import word
from parscore.core.numbers import display
from parscore.render.text import rows, shown_lost
from parscore.scoring.result import LeafResult, NodeResult, Result


@dataclass(frozen=True)
class Row:
    id: str
    title: str
    depth: int
    leaf: bool
    max_points: Fraction
    self_points: Fraction | None
    points: Fraction
    evidence: str
    note: str


def _date(value: object, lang: str) -> str | None:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y") if lang == "vi" else value.isoformat()
    return None


def evidence_text(leaf: LeafResult, claimed: tuple[str, ...], lang: str) -> str:
    """The documents that back a leaf: the commune's own list first, then those the records name (number and date)."""
    seen: list[str] = list(claimed)
    for o in leaf.observed:
        day = _date(o.value, lang)
        for doc in o.documents:
            number = str(doc.get("id") or "")
            text = word("doc_dated", lang, id=number, date=day) if day and number else number
            if number and number not in claimed and text not in seen:
                seen.append(text)
        if o.document and o.document not in seen:
            seen.append(o.document)
    return "; ".join(seen)


def table_rows(result: Result, lang: str) -> list[Row]:
    claims = {c.id: c for c in result.self_assessment}
    out = []
    for depth, item in rows(result):
        claim = claims.get(item.id)
        if isinstance(item, LeafResult):
            note = claim.note if claim and claim.note else item.explanation(lang)
            evidence = evidence_text(item, claim.evidence if claim else (), lang)
        else:
            note, evidence = "", ", ".join(claim.evidence) if claim else ""
        out.append(Row(item.id, item.title(lang), depth, isinstance(item, LeafResult), item.max_points,
                       claim.self_points if claim else None, item.points, evidence, note))
    return out


def narrative(result: Result, lang: str, fields: int = 3, causes: int = 4) -> dict[str, list[str]]:
    """The report's three short parts, from the figures alone: overall result, fields that lost most, main causes."""
    d, t = result.decimals, result.total
    klass = t.classification.label(lang) + (f" ({t.classification.code})" if t.classification.code else "")
    overall = [word("doc_result_line", lang, points=display(t.points, d, lang), max=display(t.max_points, d, lang),
                    index="—" if t.index is None else display(t.index, d, lang), klass=klass)]
    over = [c.id for c in result.self_assessment if "over_claimed" in c.flags]
    if over:
        overall.append(word("doc_self_line", lang, n=len(over), ids=", ".join(over)))
    tops: list[NodeResult | LeafResult] = [item for depth, item in rows(result) if depth == 0]
    lossy = sorted((f for f in tops if shown_lost(result, f) > 0), key=lambda f: (-f.points_lost, f.id))[:fields]
    field_lines = [word("doc_field_line", lang, field=f"{f.id}. {f.title(lang)}", points=display(f.points, d, lang),
                        max=display(f.max_points, d, lang), lost=display(f.points_lost, d, lang)) for f in lossy]
    leaves = sorted((x for x in result.leaves if shown_lost(result, x) > 0), key=lambda x: (-x.points_lost, x.id))[:causes]
    cause_lines = []
    for leaf in leaves:
        line = word("doc_cause_line", lang, id=leaf.id, title=leaf.title(lang), why=leaf.explanation(lang))
        if leaf.to_recover:
            line += " " + word("doc_remedy", lang, what=leaf.to_recover.text(lang))
        cause_lines.append(line)
    return {"overall": overall, "fields": field_lines or [word("doc_none_lost", lang)],
            "causes": cause_lines or [word("doc_none_lost", lang)]}
