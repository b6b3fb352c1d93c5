"""Metrics derived from evidence records, in a closed vocabulary run with pandas.

A metric's `derive:` (in rules/metrics/) names one table and says, with the
structured conditions of `schemas/derive.schema.json`, which rows count:

    derive: {table: dossiers, where: {is_true: in_scope}, numerator: {is_true: on_time}}

or, for a rate that is 100 % less several rates over the same rows, each counted
separately (`minus: [cond, ...]`: numerator = rows − Σ rows meeting each condition,
floored at 0).

Tables gain computed columns first (`computed:` in rules/evidence/tables.yaml),
such as the QĐ 766 judged time and effective due date. Nothing is evaluated as
text: every operator is a branch below. Each derived value keeps the ids of the
records that cost points and of the documents that support it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np
import pandas as pd

from parscore.metrics.catalogue import Catalogue, Metric
from parscore.core.dates import day
from parscore.core.workcalendar import HOURS, MONTHS, WorkCalendar, calendar_for
from parscore.evidence.tables import ROW, Evidence, table_specs
from parscore.metrics.columns import ABSENT, PRESENT
from parscore.metrics.values import MetricValue, Provenance

MAX_RECORD_IDS = 200
CALENDAR_MARGIN_YEARS = 3  # years of holidays built either side of the period  # ids kept per derived value; the count is always exact


@dataclass(frozen=True)
class Context:
    period_start: pd.Timestamp
    period_end: pd.Timestamp  # the last instant of the period's last day
    province: str | None = None  # whose extra days off count (rules/calendar files with `province:`)

    @classmethod
    def of(cls, start: dt.date, end: dt.date, province: str | None = None) -> "Context":
        return cls(pd.Timestamp(start), pd.Timestamp(end) + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1), province)

    def calendar(self, starts: pd.Series, days: pd.Series) -> WorkCalendar:
        """The working calendar covering every start year and as far as the longest legal time can reach."""
        # Years around the period only: a slip such as 1925 or 2205 must not build centuries of holidays
        # (such dates are counted Monday–Friday, see WorkCalendar.add_working_days).
        low, high = self.period_start.year - CALENDAR_MARGIN_YEARS, self.period_end.year + CALENDAR_MARGIN_YEARS
        first = int(starts.dt.year.min()) if starts.notna().any() else self.period_start.year
        last = int(starts.dt.year.max()) if starts.notna().any() else self.period_end.year
        reach = 1 + min(int(days.max() // 240), CALENDAR_MARGIN_YEARS) if days.notna().any() else 1  # ~245 working days a year
        first, last = max(min(first, self.period_start.year), low), min(max(last, self.period_end.year), high)
        return calendar_for(range(first, last + reach + 1), self.province)


class DeriveError(ValueError):
    """A derivation that names a column or table the evidence does not have (a bug in rules/)."""


def _operand(frame: pd.DataFrame, op: Any, ctx: Context) -> Any:
    if isinstance(op, dict):
        if "value" in op:
            return op["value"]
        return pd.Timestamp(op["date"])
    if op == "period_start":
        return ctx.period_start
    if op == "period_end":
        return ctx.period_end
    if op not in frame.columns:
        raise DeriveError(f"no column {op!r}")
    return frame[op]


def _as_series(frame: pd.DataFrame, value: Any) -> pd.Series:
    return value if isinstance(value, pd.Series) else pd.Series([value] * len(frame), index=frame.index)


_OPS = {"<": "lt", "<=": "le", "==": "eq", "!=": "ne", ">=": "ge", ">": "gt"}


def condition(frame: pd.DataFrame, cond: Mapping[str, Any], ctx: Context, tables: Mapping[str, pd.DataFrame]) -> np.ndarray:
    """A boolean mask: which rows satisfy `cond`. Missing values never satisfy a comparison."""
    (key, arg), = cond.items()
    if key == "all":
        out = np.ones(len(frame), bool)
        for c in arg:
            out &= condition(frame, c, ctx, tables)
        return out
    if key == "any":
        out = np.zeros(len(frame), bool)
        for c in arg:
            out |= condition(frame, c, ctx, tables)
        return out
    if key == "not":
        return ~condition(frame, arg, ctx, tables)
    if key == "is_true":
        return _operand(frame, arg, ctx).fillna(False).astype(bool).to_numpy()
    if key == "is_set":
        s = _operand(frame, arg, ctx)
        if s.dtype != object:  # only list columns can hold an empty tuple; the per-row check is slow
            return s.notna().to_numpy()
        return s.notna().to_numpy() & ~s.map(lambda v: v == ()).to_numpy(dtype=bool)
    if key == "is_empty":
        return ~condition(frame, {"is_set": arg}, ctx, tables)
    if key == "in_period":
        s = _operand(frame, arg, ctx)
        return ((s >= ctx.period_start) & (s <= ctx.period_end)).fillna(False).to_numpy(dtype=bool)
    if key == "equals":
        return (_operand(frame, arg[0], ctx) == arg[1]).fillna(False).to_numpy(dtype=bool)
    if key == "in":
        return _operand(frame, arg[0], ctx).isin(arg[1]).to_numpy()
    if key == "compare":
        left = _as_series(frame, _operand(frame, arg[0], ctx))
        right = _operand(frame, arg[2], ctx)
        result = getattr(left, _OPS[arg[1]])(right)
        valid = left.notna() & (right.notna() if isinstance(right, pd.Series) else True)
        return (result & valid).fillna(False).to_numpy(dtype=bool)
    if key == "exists_in":
        other = tables.get(arg["table"])
        if other is None:
            return np.zeros(len(frame), bool)
        if "where" in arg:
            other = other[condition(other, arg["where"], ctx, tables)]
        known = set(other[arg["key"]].dropna())
        col = _operand(frame, arg["column"], ctx)
        if _is_list_column(col):
            return col.map(lambda v: any(x in known for x in v) if isinstance(v, tuple) else v in known).to_numpy(dtype=bool)
        return col.isin(known).to_numpy()
    raise DeriveError(f"unknown condition {key!r}")


def _is_list_column(s: pd.Series) -> bool:
    first = s.dropna().head(1)
    return s.dtype == object and len(first) > 0 and isinstance(first.iloc[0], tuple)


def _expression(frame: pd.DataFrame, expr: Mapping[str, Any], ctx: Context, tables: Mapping[str, pd.DataFrame]) -> Any:
    (key, arg), = expr.items()
    if key == "coalesce":
        out = _as_series(frame, _operand(frame, arg[0], ctx)).copy()
        for op in arg[1:]:
            out = out.fillna(_as_series(frame, _operand(frame, op, ctx)))
        return out
    if key == "add_days":
        base = _as_series(frame, _operand(frame, arg[0], ctx))
        days = _as_series(frame, _operand(frame, arg[1], ctx)).astype(float)
        return base + pd.to_timedelta(days, unit="D")
    if key == "add_working_days":
        # Working days as the procedures' legal times are counted: Monday–Friday less Vietnam's public holidays
        # and announced days off, plus make-up working days (core.workcalendar).
        base = _as_series(frame, _operand(frame, arg[0], ctx))
        days = _as_series(frame, _operand(frame, arg[1], ctx)).astype(float)
        ok = base.notna() & days.notna()
        out = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
        if ok.any():
            start = base[ok].dt.normalize().to_numpy().astype("datetime64[D]")
            cal = ctx.calendar(base[ok], days[ok])
            rolled = cal.add_working_days(start, days[ok].astype(np.int64).to_numpy())
            out[ok] = pd.to_datetime(rolled) + (base[ok] - base[ok].dt.normalize())
        return out
    if key == "add_legal_time":
        # [start, amount, unit]: a procedure's legal time in its own unit (working days, days, hours, months;
        # a missing unit is working days). Exact semantics: WorkCalendar.add_legal_time.
        base = _as_series(frame, _operand(frame, arg[0], ctx))
        amount = _as_series(frame, _operand(frame, arg[1], ctx)).astype(float)
        unit = _as_series(frame, _operand(frame, arg[2], ctx))
        ok = base.notna() & amount.notna()
        out = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
        if ok.any():
            cal = ctx.calendar(base[ok], _reach_in_days(amount[ok], unit[ok]))
            due = cal.add_legal_time(base[ok].to_numpy(dtype="datetime64[ns]"), amount[ok].astype(np.int64).to_numpy(),
                                     unit[ok].to_numpy(dtype=object))
            out[ok] = pd.to_datetime(due)
        return out
    if key == "date_of":
        return _as_series(frame, _operand(frame, arg, ctx)).dt.normalize()
    if key == "condition":
        return condition(frame, arg, ctx, tables)
    raise DeriveError(f"unknown expression {key!r}")


def _reach_in_days(amount: pd.Series, unit: pd.Series) -> pd.Series:
    """Roughly how many days a legal time reaches, so the calendar covers it (a month is 31 days, 8 hours a day)."""
    per = unit.map({MONTHS: 31.0, HOURS: 1 / 8}).astype(float).fillna(1.0)
    return amount * per


def with_computed(evidence: Evidence, ctx: Context) -> dict[str, pd.DataFrame]:
    """Each table with its computed columns added, in the order the spec lists them."""
    specs = table_specs()
    out = {}
    for name, frame in evidence.tables.items():
        frame = frame.copy()
        for col, expr in specs[name].computed.items():
            frame[col] = _expression(frame, expr, ctx, evidence.tables)
        out[name] = frame
    return out


def _ids(frame: pd.DataFrame, table: str, mask: np.ndarray) -> tuple[tuple[str, ...], int]:
    key = table_specs()[table].key
    idx = np.flatnonzero(mask)
    shown = idx[:MAX_RECORD_IDS]
    if key:
        ids = tuple(str(v) for v in frame[key].to_numpy()[shown])
    else:
        ids = tuple(f"{table}:{int(r)}" for r in frame[ROW].to_numpy()[shown])
    return ids, len(idx)


def _documents(evidence: Evidence, ids: Any) -> tuple[tuple[str, str | None, str | None], ...]:
    out = []
    for doc_id in ids:
        file, sha = evidence.document_files.get(str(doc_id), (None, None))
        out.append((str(doc_id), file, sha))
    return tuple(out)


def _calendar_note(table: str, tables: Mapping[str, pd.DataFrame], ctx: Context) -> str | None:
    """The calendar behind the table's working-day computed columns, if it has any."""
    for expr in table_specs()[table].computed.values():
        if "add_working_days" in expr:
            base, days = expr["add_working_days"]
            frame = tables[table]
            return ctx.calendar(frame[base], frame[days].astype(float)).describe()
        if "add_legal_time" in expr:
            base, amount, unit = expr["add_legal_time"]
            frame = tables[table]
            units = frame[unit] if isinstance(unit, str) else pd.Series([unit.get("value")] * len(frame), index=frame.index)
            return ctx.calendar(frame[base], _reach_in_days(frame[amount].astype(float), units)).describe()
    return None


def derive_metric(metric: Metric, evidence: Evidence, tables: Mapping[str, pd.DataFrame], ctx: Context,
                  calendars: dict[str, str | None] | None = None) -> MetricValue | None:
    """The metric from records, or None when its table is not in the bundle."""
    spec = metric.derive
    if not spec or spec["table"] not in tables:
        return None
    table = spec["table"]
    frame = tables[table]
    rows = condition(frame, spec["where"], ctx, tables) if "where" in spec else np.ones(len(frame), bool)
    calendars = {} if calendars is None else calendars  # table -> its calendar note, worked out once per table
    if table not in calendars:
        calendars[table] = _calendar_note(table, tables, ctx)
    calendar = calendars[table]

    def prov(**kw: Any) -> Provenance:
        if calendar:  # a legal due date was computed: say which calendar decided it
            kw["detail"] = {**kw.get("detail", {}), "calendar": calendar}
        return Provenance(origin="derived", file=evidence.sources.get(table), source=metric.source, **kw)
    docs: tuple[Any, ...] = ()
    if table == "documents":
        docs = _documents(evidence, frame["id"].to_numpy()[rows][:MAX_RECORD_IDS])
    if "numerator" in spec:
        num_mask = rows & condition(frame, spec["numerator"], ctx, tables)
        failing, n_failing = _ids(frame, table, rows & ~num_mask)
        return MetricValue(metric.name, metric.unit, num=int(num_mask.sum()), den=int(rows.sum()), counted=True,
                           provenance=prov(failing_records=failing, failing_count=n_failing, records_count=int(rows.sum()),
                                           documents=docs))
    if "minus" in spec:
        # 100 % less one rate per condition, each over the same rows and counted separately (a dossier both late
        # and complained about is taken twice): QĐ 766 portal description 5.4. Floored at 0 %.
        den = int(rows.sum())
        hits = [rows & condition(frame, c, ctx, tables) for c in spec["minus"]]
        any_hit = np.logical_or.reduce(hits) if hits else np.zeros(len(frame), bool)
        failing, n_failing = _ids(frame, table, any_hit)
        return MetricValue(metric.name, metric.unit, num=max(den - sum(int(h.sum()) for h in hits), 0), den=den,
                           counted=True, provenance=prov(failing_records=failing, failing_count=n_failing, records_count=den,
                                                         documents=docs, detail={"minus": [int(h.sum()) for h in hits]}))
    if "group_by" in spec:
        sub = frame[rows]
        means = sub.groupby(spec["group_by"])[spec["having"]["mean"]].mean()
        ok = means >= spec["having"]["at_least"]
        failing = tuple(str(k) for k in means.index[~ok.to_numpy()][:MAX_RECORD_IDS])
        return MetricValue(metric.name, metric.unit, num=int(ok.sum()), den=len(means), counted=True,
                           provenance=prov(failing_records=failing, failing_count=int((~ok).sum()), records_count=len(means),
                                           detail={"group_by": spec["group_by"], "mean_at_least": spec["having"]["at_least"]}))
    if spec.get("count"):
        ids, n = _ids(frame, table, rows)
        return MetricValue(metric.name, metric.unit, n=n, provenance=prov(records=ids, records_count=n,
                                                                                     documents=docs))
    if "first" in spec or "last" in spec:
        col = spec.get("first") or spec.get("last")
        values = frame.loc[rows, col].dropna()
        if values.empty:
            return MetricValue(metric.name, metric.unit, state=ABSENT, provenance=prov(records_count=0))
        pick = values.idxmin() if "first" in spec else values.idxmax()
        doc_id = frame.loc[pick, "id"] if "id" in frame.columns else None
        return MetricValue(metric.name, metric.unit, day=day(values[pick].date()),
                           provenance=prov(records=(str(doc_id),) if doc_id is not None else (),
                                                 records_count=int(rows.sum()),
                                                 documents=_documents(evidence, [doc_id]) if table == "documents" else ()))
    series_spec = spec["series"]
    sub = frame[rows]
    firsts = sub.groupby(series_spec["key"])[series_spec["date"]].min()
    series = {str(k): (None if pd.isna(v) else day(v.date())) for k, v in firsts.items()}
    return MetricValue(metric.name, metric.unit, state=PRESENT if len(sub) else ABSENT, series=series,
                       provenance=prov(records_count=len(sub)))


def derive_all(catalogue: Catalogue, evidence: Evidence, ctx: Context) -> dict[str, MetricValue]:
    tables = with_computed(evidence, ctx)
    out = {}
    calendars: dict[str, str | None] = {}
    for metric in catalogue.values():
        value = derive_metric(metric, evidence, tables, ctx, calendars)
        if value is not None:
            out[metric.name] = value
    return out
