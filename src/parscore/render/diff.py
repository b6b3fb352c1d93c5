"""Two frameworks compared, as text or JSON."""
from __future__ import annotations


from parscore.core.messages import word
from parscore.core.numbers import display
from parscore.core.portal import document, dumps, portal
from parscore.core.schema import jsonable
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


def _short(value: object, lang: str) -> str:
    if isinstance(value, dict) and set(value) == {"vi", "en"}:
        value = value[lang]
    text = str(value) if value is not None else "—"
    return text if len(text) <= 70 else text[:67] + "..."


def diff_text(d: FrameworkDiff, lang: str) -> str:
    lines = [f"{d.a.id} → {d.b.id}"]
    for c in d.changes:
        detail = ""
        if c.change == "changed":
            detail = "; ".join(f"{word('param_' + k, lang) if ('param_' + k) in _PARAM_WORDS else k}: "
                               f"{_short((c.before or {}).get(k), lang)} → {_short((c.after or {}).get(k), lang)}"
                               for k in c.what)
        lines.append(f"  {word('change_' + c.change, lang):8} {c.id:8} {c.title}" + (f" — {detail}" if detail else ""))
    if d.before is not None and d.after is not None:
        ra, rb = d.before, d.after
        lines.append("")
        lines.append(f"{d.bundle}: {word('index', lang)} {display(ra.total.index or 0, 2, lang)}% → "
                     f"{display(rb.total.index or 0, 2, lang)}% · {word('class', lang)} "
                     f"{ra.total.classification.label(lang)} → {rb.total.classification.label(lang)}")
        for s in d.scores:
            before = "—" if s.before is None else display(s.before, 2, lang)
            after = "—" if s.after is None else display(s.after, 2, lang)
            lines.append(f"  {s.id:8} {before:>6} → {after:>6}")
    return "\n".join(lines)


_PARAM_WORDS = {"param_max_points", "param_kind", "param_metric", "param_bands", "param_full_from", "param_due"}
