"""Alert rules as data: `rules/alerts/*.yaml` (schema `schemas/alerts.schema.json`).

Each rule names one record table, a conjunction of tests on the record's fields and
time conditions measured from the clock, a severity, a bilingual message and the
metric changes that make its stake. The vocabulary is closed and checked at load:
nothing in a file is evaluated as code; `engine` compiles it to durable-rules and the
test-suite's oracle reads it independently.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parscore.core import paths, schema, yamlio
from parscore.core.errors import Collector, InputError, InputErrors, did_you_mean
from parscore.core.text import Text
from parscore.metrics.catalogue import Catalogue

OPS = {"equals": "eq", "at_least": "ge", "at_most": "le"}
MEASURES = ("working_days_until", "days_until", "days_since", "working_days_since")
# What a message may name: the record's own values, rendered by `alerts` (never str.format on a file's text).
PLACEHOLDERS = ("commune", "record", "start", "due", "end", "supp", "days_left", "days_since_end")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class Test:
    field: str
    op: str  # eq | ge | le
    value: int


@dataclass(frozen=True)
class Clock:
    measure: str  # one of MEASURES
    date: str  # start | due | end
    days: int  # at_most for *_until, at_least for *_since


@dataclass(frozen=True)
class Change:
    metric: str
    if_ignored: Mapping[str, int]
    if_acted: Mapping[str, int]


@dataclass(frozen=True)
class AlertRule:
    id: str
    record: str
    tests: tuple[Test, ...]
    clock: tuple[Clock, ...]
    severity: str
    stake: tuple[Change, ...]
    message: Text
    file: str
    line: int | None

    @property
    def dates(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.date for c in self.clock))


def default_dir() -> Path:
    return paths.data_dir("rules") / "alerts"


def _placeholders(template: str) -> list[str]:
    return _PLACEHOLDER.findall(template)


def parse(doc: yamlio.Located, catalogue: Catalogue, collector: Collector) -> list[AlertRule]:
    problems = schema.validate(doc, "alerts")
    if problems:
        collector.extend(problems)
        return []
    out = []
    for i, raw in enumerate(doc.data["alerts"]):
        base: tuple[Any, ...] = ("alerts", i)
        tests, clock = [], []
        for j, cond in enumerate(raw["when"]):
            if "field" in cond:
                (op_key, value), = ((k, v) for k, v in cond.items() if k != "field")
                tests.append(Test(cond["field"], OPS[op_key], int(value)))
            else:
                measure = next(k for k in cond if k in MEASURES)
                clock.append(Clock(measure, cond[measure], int(cond.get("at_most", cond.get("at_least", 0)))))
        if not tests:
            collector.errors.append(InputError("watch_rule_catch_all", file=doc.file, line=doc.line(base + ("when",)),
                                     where=f"alerts.{i}.when", params={"rule": raw["id"]}))
        for lang in ("vi", "en"):
            names = _placeholders(raw["message"][lang])
            for name in names:
                if name not in PLACEHOLDERS:
                    collector.errors.append(InputError("watch_placeholder", file=doc.file, line=doc.line(base + ("message", lang)),
                                             where=f"alerts.{i}.message.{lang}", value=name, params={
                                                 "allowed": ", ".join(PLACEHOLDERS),
                                                 "hint": lambda lg, n=name: did_you_mean(n, PLACEHOLDERS, lg)}))
        if sorted(set(_placeholders(raw["message"]["vi"]))) != sorted(set(_placeholders(raw["message"]["en"]))):
            collector.errors.append(InputError("watch_placeholder_mismatch", file=doc.file, line=doc.line(base + ("message",)),
                                     where=f"alerts.{i}.message", params={"rule": raw["id"]}))
        changes = []
        for j, ch in enumerate(raw.get("stake", [])):
            if ch["metric"] not in catalogue:
                name = ch["metric"]
                collector.errors.append(InputError("unknown_metric", file=doc.file, line=doc.line(base + ("stake", j, "metric")),
                                         where=f"alerts.{i}.stake.{j}.metric", params={
                                             "metric": name, "hint": lambda lg, n=name: did_you_mean(n, catalogue, lg)}))
            changes.append(Change(ch["metric"], dict(ch["if_ignored"]), dict(ch.get("if_acted", {}))))
        out.append(AlertRule(raw["id"], raw["record"], tuple(tests), tuple(clock), raw["severity"], tuple(changes),
                             Text(raw["message"]["vi"], raw["message"]["en"]), doc.file, doc.line(base)))
    return out


def load_rules(folder: str | Path | None, catalogue: Catalogue) -> tuple[AlertRule, ...]:
    """Every alert rule in `folder` (default `rules/alerts/`), files in name order; all problems at once."""
    root = Path(folder) if folder else default_dir()
    files = sorted(root.glob("*.yaml")) if root.is_dir() else [root]
    collector = Collector()
    rules: list[AlertRule] = []
    for f in files:
        try:
            rules.extend(parse(yamlio.load_mapping(f), catalogue, collector))
        except InputErrors as e:
            collector.extend(e.errors)
    seen: dict[str, AlertRule] = {}
    for r in rules:
        if r.id in seen:
            collector.errors.append(InputError("watch_rule_duplicate", file=r.file, line=r.line, where=r.id,
                                     params={"rule": r.id, "other": f"{seen[r.id].file}:{seen[r.id].line}"}))
        seen[r.id] = r
    if not rules and not collector.errors:
        collector.errors.append(InputError("watch_no_rules", file=str(root)))
    collector.raise_if_any()
    return tuple(rules)
