"""Metric values for one subject (a commune, a scenario, an example case), with their provenance.

`parse_entries` turns `metrics.yaml`-shaped data into checked `MetricValue`s,
reporting every bad figure with its file, line and field: negative counts,
a numerator above its denominator, a percentage above 100, NaN, bad dates.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any, Mapping

from parscore.core import dates
from parscore.metrics.catalogue import Catalogue
from parscore.core.errors import Collector, did_you_mean
from parscore.metrics.columns import ABSENT, METRIC_NA, PRESENT
from parscore.core.numbers import NotANumber, fraction, is_nan, parse_decimal
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
        if self.unit == "ratio":
            out: dict[str, Any] = {"rate_percent": Fraction(100 * self.num, self.den) if self.den else None}
            if self.counted:
                out.update(numerator=self.num, denominator=self.den)
            return out
        if self.unit == "count":
            return self.n
        if self.unit == "date":
            return dates.from_day(self.day) if self.day is not None else None
        return {k: (dates.from_day(v) if v is not None else None) for k, v in sorted(self.series.items())}


@dataclass(frozen=True)
class ManualScore:
    leaf: str
    points: Fraction
    note: str
    evidence: tuple[str, ...]
    by: str | None
    provenance: Provenance


def percent_as_counts(value: Decimal) -> tuple[int, int]:
    """A reported percentage as exact integer counts: 97.35 -> 9735/10000."""
    exp = -value.as_tuple().exponent if value.as_tuple().exponent < 0 else 0  # type: ignore[operator]
    scale = 10 ** int(exp)
    return int(value * scale), 100 * scale


def _int(c: Collector, doc: Located, path: tuple[object, ...], value: Any) -> int | None:
    loc = {"file": doc.file, "line": doc.line(path), "where": where(path)}
    if value is None or is_nan(value):
        c.add("nan", **loc)
        return None
    try:
        d = parse_decimal(value)
    except NotANumber as exc:
        c.add(exc.code, **exc.params, **loc)
        return None
    if d < 0:
        c.add("negative", value=str(value), **loc)
        return None
    if d != d.to_integral_value():
        c.add("not_integer", value=str(value), **loc)
        return None
    return int(d)


def _day(c: Collector, doc: Located, path: tuple[object, ...], value: Any) -> int | None:
    try:
        day = dates.parse_date(value)
        if not dates.PLAUSIBLE_LOW <= day <= dates.PLAUSIBLE_HIGH:
            c.add("date_out_of_range", value=str(value), file=doc.file, line=doc.line(path), where=where(path),
                  low=dates.PLAUSIBLE_LOW.year, high=dates.PLAUSIBLE_HIGH.year)
            return None
        return dates.day(day)
    except dates.NotADate:
        c.add("bad_date", value=str(value), file=doc.file, line=doc.line(path), where=where(path))
        return None


def parse_entry(c: Collector, doc: Located, path: tuple[object, ...], name: str, unit: str, raw: Mapping[str, Any],
                origin: str = "reported") -> MetricValue | None:
    """One `metrics.yaml` entry; problems go to `c` and None is returned."""
    recs = raw.get("records", {})
    failing = tuple(r for r in recs.get("denominator", ()) if r not in set(recs.get("numerator", ())))
    prov = Provenance(origin, doc.file, doc.line(path), raw.get("source"), raw.get("document"),
                      failing_records=failing, failing_count=len(failing))
    loc = {"file": doc.file, "line": doc.line(path), "where": where(path)}
    if "not_applicable" in raw:
        return MetricValue(name, unit, METRIC_NA, reason=raw["not_applicable"], provenance=prov)
    if unit == "ratio":
        if "numerator" in raw or "denominator" in raw:
            if "numerator" not in raw or "denominator" not in raw:
                c.add("metric_value_shape", metric=name, unit=unit, wanted="numerator + denominator", **loc)
                return None
            num = _int(c, doc, path + ("numerator",), raw["numerator"])
            den = _int(c, doc, path + ("denominator",), raw["denominator"])
            if num is None or den is None:
                return None
            if num > den:
                c.add("num_over_den", numerator=num, denominator=den, **loc)
                return None
            return MetricValue(name, unit, num=num, den=den, counted=True, provenance=prov)
        if "value" not in raw:
            c.add("metric_value_shape", metric=name, unit=unit, wanted="value (%) or numerator + denominator", **loc)
            return None
        vpath = path + ("value",)
        vloc = {"file": doc.file, "line": doc.line(vpath), "where": where(vpath)}
        if raw["value"] is None or is_nan(raw["value"]):
            c.add("nan", **vloc)
            return None
        try:
            d = parse_decimal(raw["value"], percent=True)
        except NotANumber as exc:
            c.add(exc.code, **exc.params, **vloc)
            return None
        if d < 0:
            c.add("negative", value=str(raw["value"]), **vloc)
            return None
        if d > 100:
            c.add("percent_over_100", value=str(raw["value"]), **vloc)
            return None
        num, den = percent_as_counts(d)
        return MetricValue(name, unit, num=num, den=den, counted=False, provenance=prov)
    if "value" not in raw:
        c.add("metric_value_shape", metric=name, unit=unit, wanted="value", **loc)
        return None
    vpath = path + ("value",)
    value = raw["value"]
    if unit == "count":
        n = _int(c, doc, vpath, value)
        return None if n is None else MetricValue(name, unit, n=n, provenance=prov)
    if unit == "date":
        issued = _day(c, doc, vpath, value)
        return None if issued is None else MetricValue(name, unit, day=issued, provenance=prov)
    if not isinstance(value, Mapping):
        c.add("metric_value_shape", metric=name, unit=unit, wanted="value: {key: date or null}", **loc)
        return None
    series: dict[str, int | None] = {}
    for key, v in value.items():
        series[str(key)] = None if v is None else _day(c, doc, vpath + (key,), v)
    return MetricValue(name, unit, series=series, provenance=prov)


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
        value = parse_entry(c, doc, path, name, catalogue[name].unit, raw, origin)
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
