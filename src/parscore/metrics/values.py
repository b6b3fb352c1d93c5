"""Metric values for one subject (a commune, a scenario, an example case), with their provenance.

`parse_entries` turns `metrics.yaml`-shaped data into checked `MetricValue`s,
reporting every bad figure with its file, line and field: negative counts,
a numerator above its denominator, a percentage above 100, NaN, bad dates.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Mapping

from parscore.metrics.catalogue import Catalogue
from parscore.core.errors import Collector, did_you_mean
from parscore.metrics.columns import ABSENT, METRIC_NA, PRESENT
from parscore.metrics.units import UNITS
from parscore.metrics.units.base import exact
from parscore.core.numbers import NotANumber, fraction
from parscore.core.yamlio import Located, where


@dataclass(frozen=True)
class Provenance:
    origin: str  # reported | derived | case | table | scenario
    file: str | None = None
    line: int | None = None
    source: str | None = None
    document: str | None = None
    failing_records: tuple[str, ...] = ()  # ids of records in the denominator but not the numerator (capped)
    failing_count: int = 0  # exact, even when the ids are capped
    records: tuple[str, ...] = ()  # ids of the records counted (count and date metrics, capped)
    records_count: int = 0
    documents: tuple[tuple[str, str | None, str | None], ...] = ()  # (id, file, sha256) supporting the value
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class MetricValue:
    name: str
    unit: str
    state: int = PRESENT
    num: int = 0
    den: int = 0
    counted: bool = True  # ratio given as counts (not as a reported percentage)
    n: int = 0
    day: int | None = None
    series: Mapping[str, int | None] = field(default_factory=dict)  # key -> day, None = not submitted
    reason: str | None = None  # why not applicable
    provenance: Provenance = Provenance("reported")

    def observed(self) -> Any:
        """The value as a reader sees it (exact)."""
        if self.state == METRIC_NA:
            return {"not_applicable": self.reason}
        if self.state == ABSENT:
            return None
        return UNITS[self.unit].observed(self)

    def text(self, lang: str) -> str:
        """The value as a sentence shows it: '99,88% (1478/1480)', '3', '05/01/2025'."""
        if self.state == METRIC_NA:
            return "không áp dụng" if lang == "vi" else "not applicable"
        if self.state == ABSENT:
            return "không có" if lang == "vi" else "none"
        return UNITS[self.unit].text(self, lang)


@dataclass(frozen=True)
class ManualScore:
    leaf: str
    points: Fraction
    note: str
    evidence: tuple[str, ...]
    by: str | None
    provenance: Provenance


def entry_of(value: MetricValue) -> dict[str, Any]:
    """The `metrics.yaml` entry that `parse_entry` reads back to this value (provenance aside)."""
    if value.state == METRIC_NA:
        return {"not_applicable": value.reason or ""}
    if value.state == ABSENT:
        raise ValueError(f"{value.name}: an absent value has no entry")
    return UNITS[value.unit].entry(value)


def parse_entry(c: Collector, doc: Located, path: tuple[object, ...], name: str, unit: str, raw: Mapping[str, Any],
                origin: str = "reported", over_100: bool = False) -> MetricValue | None:
    """One `metrics.yaml` entry; problems go to `c` and None is returned."""
    recs = raw.get("records", {})
    failing = tuple(r for r in recs.get("denominator", ()) if r not in set(recs.get("numerator", ())))
    prov = Provenance(origin, doc.file, doc.line(path), raw.get("source"), raw.get("document"),
                      failing_records=failing, failing_count=len(failing))
    loc = {"file": doc.file, "line": doc.line(path), "where": where(path)}
    if "not_applicable" in raw:
        return MetricValue(name, unit, METRIC_NA, reason=raw["not_applicable"], provenance=prov)
    fields = UNITS[unit].parse(c, doc, path, name, raw, loc, over_100)
    return None if fields is None else MetricValue(name, unit, provenance=prov, **fields)


def parse_entries(c: Collector, doc: Located, data: Mapping[str, Any], base: tuple[object, ...],
                  catalogue: Catalogue, origin: str = "reported") -> dict[str, MetricValue]:
    out: dict[str, MetricValue] = {}
    for name, raw in data.items():
        path = base + (name,)
        if name not in catalogue:
            c.add("unknown_metric", file=doc.file, line=doc.line(path), where=where(path), metric=name,
                  hint=lambda lang, n=name: did_you_mean(n, catalogue, lang))
            continue
        if not isinstance(raw, Mapping):
            raw = {"value": raw}  # shorthand: `metric: 12`
        value = parse_entry(c, doc, path, name, catalogue[name].unit, raw, origin, over_100=catalogue[name].may_exceed_100)
        if value is not None:
            out[name] = value
    return out


def parse_manual(c: Collector, doc: Located, data: Mapping[str, Any], base: tuple[object, ...],
                 origin: str = "reported") -> dict[str, ManualScore]:
    out: dict[str, ManualScore] = {}
    for leaf, raw in data.items():
        path = base + (leaf,)
        try:
            pts = fraction(raw["points"])
        except NotANumber as exc:
            c.add(exc.code, **exc.params, file=doc.file, line=doc.line(path + ("points",)),
                  where=where(path + ("points",)))
            continue
        if pts < 0:
            c.add("negative", value=str(raw["points"]), file=doc.file, line=doc.line(path + ("points",)),
                  where=where(path + ("points",)))
            continue
        out[str(leaf)] = ManualScore(str(leaf), pts, raw.get("note", ""), tuple(raw.get("evidence", ())), raw.get("by"),
                                     Provenance(origin, doc.file, doc.line(path), raw.get("note")))
    return out


def added(value: MetricValue, inc: Mapping[str, Any]) -> MetricValue:
    """`value` with an increment: `numerator`/`denominator` records, or `value` percentage points on a rate,
    or `value` occurrences on a count. Exact: a rate moved by a fraction of a point stays that fraction."""
    if all(exact(v, percent=True) == 0 for v in inc.values()):
        return value  # adding nothing changes nothing, not even an absent figure into a present zero
    changes = UNITS[value.unit].add(value, inc)
    if not changes:
        return value
    return dataclasses.replace(value, state=PRESENT, provenance=dataclasses.replace(value.provenance, origin="scenario"),
                               **changes)
