"""Planning inputs: the costs file (effort per action) and a target given as an index or a class."""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

from parscore.core import schema, yamlio
from parscore.core.errors import InputError, InputErrors, did_you_mean
from parscore.core.numbers import NotANumber, fraction
from parscore.criteria.framework import Framework
from parscore.metrics.catalogue import Catalogue


def load_costs(path: str | Path | None, catalogue: Catalogue) -> dict[str, Any]:
    if path is None:
        return {}
    doc = yamlio.load_mapping(path)
    problems = schema.validate(doc, "costs")
    if problems:
        raise InputErrors(problems)
    out: dict[str, Any] = {"exclude": list(doc.data.get("exclude", []))}
    errors = []
    for section in ("actions", "metrics"):
        out[section] = {}
        for k, v in doc.data.get(section, {}).items():
            try:
                out[section][k] = fraction(v)
                if out[section][k] <= 0:
                    raise NotANumber(v)
            except NotANumber as exc:
                errors.append(InputError(exc.code, file=doc.file, line=doc.line((section, k)), where=f"{section}.{k}",
                                         params=exc.params))
    unknown = [k for k in out["metrics"] if k not in catalogue]
    for k in unknown:
        errors.append(InputError("unknown_metric", file=doc.file, line=doc.line(("metrics", k)), where=f"metrics.{k}",
                                 params={"metric": k, "hint": lambda lang, k=k: did_you_mean(k, catalogue, lang)}))
    if errors:
        raise InputErrors(errors)
    return out




def target_index(fw: Framework, target: str) -> Fraction:
    """A target given as a percentage or as a class code of the framework."""
    codes = {b.code: b.min_index for b in fw.classification}
    if target in codes:
        return codes[target]
    try:
        value = fraction(target, percent=True)
    except NotANumber:
        raise InputErrors([InputError("bad_target", where="--target", value=target, params={
            "framework": fw.id, "classes": ", ".join(codes),
            "hint": lambda lang: did_you_mean(target, codes, lang)})]) from None
    if not 0 <= value <= 100:
        raise InputErrors([InputError("percent_over_100", where="--target", params={"value": target})])
    return value


