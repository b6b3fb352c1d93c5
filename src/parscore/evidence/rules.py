"""The metric rules as a whole: the catalogue with every derivation checked against the evidence tables.

Metrics (in `rules/metrics/`) say how they are derived from evidence tables (in
`rules/evidence/tables.yaml`). The catalogue checks each derivation's shape by
schema; this module, which knows the tables, checks every table and column it
names at load time, so a typo fails before any bundle is read.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Mapping

from parscore.core import cache
from parscore.core.errors import InputError, InputErrors, did_you_mean
from parscore.core.paths import rules_dir, tables_file
from parscore.evidence.tables import table_specs
from parscore.evidence.vocabulary import SHAPE, columns_named
from parscore.metrics.catalogue import Catalogue, Metric, load_catalogue


def load_rules(directory: Path | None = None) -> Catalogue:
    """The metric catalogue with every derivation checked against the evidence tables (compiled once, then
    read from the on-disk cache until a rules file, the tables file or parscore changes)."""
    inputs = sorted((directory or rules_dir()).rglob("*.yaml")) + [tables_file()]
    return cache.cached("catalogue", inputs, lambda: _compile(directory),
                        extra=[str(directory), os.getcwd()])  # display paths in errors depend on the cwd


def _compile(directory: Path | None) -> Catalogue:
    cat = load_catalogue(directory)
    errors: list[InputError] = []
    specs = table_specs()
    for metric in cat.values():
        if metric.derive is not None:
            errors += check_derive(metric, specs)
    if errors:
        raise InputErrors(errors)
    return cat


def check_derive(metric: Metric, specs: Mapping[str, Any]) -> list[InputError]:
    """A derivation's table and every column it names exist, and its shape fits the metric's unit."""
    spec = metric.derive
    assert spec is not None
    where_ = f"{metric.name}.derive"
    loc: dict[str, Any] = {"file": metric.file, "line": metric.line, "where": where_}
    if spec["table"] not in specs:
        return [InputError("unknown_key", **loc, params={"key": spec["table"], "allowed": ", ".join(specs),
                                                         "hint": lambda lang: did_you_mean(spec["table"], specs, lang)})]
    table = specs[spec["table"]]
    known = [c.name for c in table.columns] + list(table.computed)
    named = columns_named({k: v for k, v in spec.items() if k in ("where", "numerator", "minus")})
    named += [spec[k] for k in ("group_by", "first", "last") if k in spec]
    named += [spec["having"]["mean"]] if "having" in spec else []
    named += list(spec["series"].values()) if "series" in spec else []
    errors = []
    for name in named:
        if name not in known:
            errors.append(InputError("unknown_key", **loc, params={
                "key": name, "allowed": ", ".join(known), "hint": lambda lang, n=name: did_you_mean(n, known, lang)}))
    shape = next((v for k, v in SHAPE.items() if k in spec), None)
    if shape != metric.unit:
        errors.append(InputError("metric_unit", **loc, params={"metric": where_, "unit": metric.unit, "kind": "derive",
                                                               "wanted": shape}))
    return errors
