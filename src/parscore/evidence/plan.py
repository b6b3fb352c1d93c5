"""The derivation vocabulary compiled to SQL: one relational plan, run in-process by DuckDB, on a cluster by Spark.

`compile_plan(metrics, specs, ctx, columns, dialect)` turns the `computed:` columns of rules/evidence/tables.yaml
and the `derive:` of every metric (schemas/derive.schema.json) into SQL text; it runs nothing and imports
no engine. `evidence.derive.Run` loads a bundle's tables into an engine (`derive.Engine`: register a relation,
materialise or define a view, fetch rows; `DuckDBEngine` by default) and `derive.metric_values` turns the rows
the statements answer into metric values with their provenance. A Spark runner implements the same six
operations with `SPARK` as its dialect and calls the same two functions, so its values, provenance included,
are built by the same code:

    run = derive.Run(evidence.tables, ctx, catalogue.values(), engine=MySparkEngine())
    values = derive.metric_values(run, {m.name: m for m in catalogue.values()}, evidence)

What a runner must provide (the relations the SQL names):
- one relation per evidence table, named as the table (`dossiers`, `documents`, ...), holding its typed
  columns (text as strings, `list` columns as arrays of strings, dates and datetimes as TIMESTAMP, numbers
  as DOUBLE or BIGINT, booleans as BOOLEAN), `_part`, the part (bundle) the record belongs to (0, 1, ...: one
  bundle is part 0), and `_pos`, the record's position in its part's source (0, 1, ...): records are shown and
  picked in that order. `_row`, the source row number, is kept for provenance. Every statement answers per part
  (counts grouped by `_part`, listings and picks windowed per part, `exists_in` within the part), so the answers
  of a part are those of its bundle alone; the parts share the Context (period, province);
- for each legal-time column (`add_legal_time`, and `add_working_days`, which is the same with the unit
  `working_days`), the relation `LegalTime.due` (_part, k, n, u, due): for every (part, start, whole amount, unit)
  that `LegalTime.pairs_sql` answers, the due moment `due_moments(...)` computes with core.workcalendar's
  `WorkCalendar.add_legal_time`, on the calendar built from `LegalTime.range_sql` as `Context.calendar`
  builds it (its years depend on the dates in the part's data: `range_sql` answers per part). The join
  therefore gives the calendar's own answers: holidays, make-up days, the Monday–Friday count of dates its years do not reach, days, months
  and working hours. The start is taken at its day (k = the day at 00:00; its time of day is added back
  after the join) except in hours, where the time of day decides.
The computed view of each table (`TablePlan.view`) is then defined under the name `TablePlan.name + VIEW_SUFFIX`:
materialised (a temporary table or a cached view) when the plan reads it more than once (`Plan.reads`), left a
view otherwise. Each table's counts, record listings and first/last picks are answered by one scan of its view
(`Plan.scan_sql`), its group metrics and its series by one statement for those sharing a key (`Plan.groups_sql`,
`Plan.series_sql`).

Dialect boundary: every statement uses only CTEs, LEFT JOINs, CASE, COALESCE, min/max/sum (of a struct too),
count_if, DISTINCT, GROUP BY, IN (subquery, of a row `(_part, x)` too), a correlated scalar subquery on `_part`,
CAST, round, `year()`, TIMESTAMP literals and timestamp - timestamp / timestamp + interval arithmetic, which DuckDB
and Spark SQL read alike. What differs is written by the `Dialect` below and nowhere else: a list column's
emptiness, the overlap of a list column with a subquery's keys (and the aggregate gathering those keys), the
aggregate listing the n smallest values, a struct's spelling, adding a number of (possibly fractional) days,
truncating a number to a whole one, and quoting a column name.
Conditions always compile to a non-NULL boolean (a missing value never satisfies a comparison), as the
vocabulary's pandas reading had it.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping

import numpy as np
import pandas as pd

from parscore.core.workcalendar import HOURS, MONTHS, WORKING_DAYS, WorkCalendar
from parscore.evidence.tables import TableSpec
from parscore.metrics.catalogue import Metric

MAX_RECORD_IDS = 200  # ids kept per derived value; the count is always exact
VIEW_SUFFIX = "__computed"
POS = "_pos"  # the record's position in its table, as the runner numbers them
PART = "_part"  # which part (bundle) a record belongs to: every statement answers per part
ROW_COLUMN = "_row"  # the record's row in its source file (evidence.tables.ROW)


class DeriveError(ValueError):
    """A derivation that names a column or table the evidence does not have (a bug in rules/)."""


@dataclass(frozen=True)
class Dialect:
    """The few constructs DuckDB and Spark SQL spell differently."""

    name: str
    list_size: str  # function giving an array's length
    list_overlap: str  # (array, array) -> whether they share an element
    list_agg: str  # aggregate gathering values into an array
    micros: str  # template: interval of {n} microseconds
    quote_char: str  # around a column name
    whole: str  # template: {x} truncated toward zero to a BIGINT (DuckDB's cast rounds, Spark's truncates)
    pair: str  # template: the pair ({p}, {k}) on the left of an IN (DuckDB plans a row value `(p, k) IN
    # (SELECT p, k …)` some forty times slower than the same test on a struct: 0.28 s against 0.007 s a million rows)
    pair_select: str  # template: the same pair as the IN's subquery selects it
    smallest: str  # template: aggregate answering, as an ascending array, the {n} smallest values of {x} among the rows
    # where {cond} holds (a listing per part within the table's one scan: a top-n, where a window would sort every row)
    struct: str  # template: the struct (o: {o}, p: {p}), ordered as the pair is

    def quote(self, name: str) -> str:
        return f"{self.quote_char}{name}{self.quote_char}" if not name.startswith("_") else name

    def is_nonempty_list(self, col: str) -> str:
        return f"({self.list_size}({col}) > 0)"

    def overlaps(self, col: str, keys_query: str, outer: str) -> str:
        """Whether the list `col` of a row of `outer` shares an element with the keys (PART, k) of its own part."""
        return (f"{self.list_overlap}({col}, (SELECT {self.list_agg}(q.k) FROM ({keys_query}) AS q"
                f" WHERE q.{PART} = {outer}.{PART}))")

    def add_days(self, ts: str, days: str) -> str:
        # Fractional days as pandas' to_timedelta reads them: rounded to the microsecond (data is minutes at most).
        return f"({ts} + {self.micros.format(n=f'CAST(round(CAST({days} AS DOUBLE) * 86400000000) AS BIGINT)')})"


DUCKDB = Dialect("duckdb", "len", "list_has_any", "list", "to_microseconds({n})", '"',
                 "CAST(trunc(CAST({x} AS DOUBLE)) AS BIGINT)", "{{'p': {p}, 'k': {k}}}", "{{'p': {p}, 'k': {k}}}",
                 # A CASE, not a FILTER: DuckDB runs an aggregate's FILTER some three times slower over many parts.
                 "min(CASE WHEN {cond} THEN {x} END, {n})", "{{'o': {o}, 'p': {p}}}")
SPARK = Dialect("spark", "size", "arrays_overlap", "collect_list", "make_dt_interval(0, 0, 0, {n} / 1000000.0)", "`",
                "CAST(CAST({x} AS DOUBLE) AS BIGINT)", "({p}, {k})", "{p}, {k}",
                # min_by with k (Spark 4.2): a bounded top-n, as DuckDB's min(x, n); NULLs (rows not listed) left out.
                "min_by(CASE WHEN {cond} THEN {x} END, CASE WHEN {cond} THEN {x} END, {n})", "named_struct('o', {o}, 'p', {p})")
DIALECTS = {d.name: d for d in (DUCKDB, SPARK)}


@dataclass(frozen=True)
class LegalTime:
    """A legal-time column, computed by a join with the relation `due`, built once `pairs_sql` and `range_sql` are answered."""

    column: str
    pairs_sql: str  # the distinct (PART, k, n, u) of the rows to compute: part, start (its day, or itself in hours), whole amount, unit
    range_sql: str  # per part: PART, first/last start year and longest reach in days of the rows computed, then of the whole columns
    due: str  # relation (PART, k, n, u, due)


@dataclass(frozen=True)
class TablePlan:
    name: str
    view: str  # SELECT of the table with its computed columns
    calendars: tuple[LegalTime, ...] = ()
    kept: tuple[str, ...] = ()  # the view's columns the metrics read: what a runner needs to materialise
    dialect: Dialect | None = None

    @property
    def kept_view(self) -> str:
        """The view narrowed to the columns the metrics read (with the record's position and row)."""
        d = self.dialect or DUCKDB
        return f"SELECT {', '.join(d.quote(c) for c in self.kept)} FROM ({self.view}) AS v"


@dataclass(frozen=True)
class MetricPlan:
    """What one metric asks of its table's computed view, as the aggregates and keyed statements of `Plan` gather
    them. `shape` says which are set and what they answer."""

    metric: str
    table: str
    shape: str  # ratio | minus | group | count | first | last | series
    counts: tuple[str, ...] = ()  # aggregates over the table's view: (rows), (rows, numerator) or (rows, *each minus, any minus)
    records: str | None = None  # aggregate over the view: the records to show, an array of the positions (_pos) of
    # the first MAX_RECORD_IDS in source order (the runner reads their ids from the part's own table)
    documents: str | None = None  # the same for the documents the value rests on (documents table: their ids)
    pick: str | None = None  # first/last: aggregate over the view answering the pick as (o: its value, p: its position,
    # negated for last)
    picked_id: str | None = None  # first/last: the column naming the picked record (its id), if the table has one
    group: tuple[str, str, str, str] | None = None  # group: (the key grouped by, which rows, the value averaged, the
    # bar its mean must reach), answered by `Plan.groups_sql`
    series: tuple[str, str, str] | None = None  # series: (the key, which rows, the date), answered by `Plan.series_sql`
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Plan:
    tables: Mapping[str, TablePlan]
    metrics: tuple[MetricPlan, ...]
    dialect: Dialect

    def scan_sql(self, table: str, records: bool = True) -> tuple[str, list[tuple[str, str, tuple[int, ...]]]]:
        """One scan of a table's view answering every count its metrics need and (if `records`) every listing, one
        row per part (PART first; a part without rows in the table has none); (sql, [(metric, "counts" | "pick" |
        "records" | "documents", the row's columns holding it)]). An aggregate several metrics share is answered once."""
        at: dict[str, int] = {}
        layout = []
        for m in self.metrics:
            if m.table != table:
                continue
            wanted = [("counts", m.counts), ("pick", (m.pick,) if m.pick else ())]
            if records:
                wanted += [(kind, (e,)) for kind, e in (("records", m.records), ("documents", m.documents)) if e is not None]
            for kind, exprs in wanted:
                if exprs:
                    layout.append((m.metric, kind, tuple(1 + at.setdefault(e, len(at)) for e in exprs)))
        if not layout:
            return "", []
        cols = ", ".join(f"{e} AS c{i}" for e, i in at.items())
        return f"SELECT {PART}, {cols} FROM {view_name(table)} GROUP BY {PART}", layout

    def groups_sql(self, table: str) -> list[tuple[str, list[tuple[str, tuple[int, ...]]]]]:
        """The group metrics of a table, one statement for those grouping by the same key: one row per part
        answering, for each metric, its groups, the groups passing and the failing keys (an array of the first
        MAX_RECORD_IDS in key order); [(sql, [(metric, the row's three columns)])].

        Each group (a respondent's answers) passes when its mean reaches the bar, tested as s / n in double precision
        as the rest of the vocabulary computes a mean; a metric's groups are those with a row it counts. A
        commune's hundreds of respondents never travel as rows, and its eight SIPAS elements group them once."""
        out = []
        d = self.dialect
        for g, members in self._by_key(table, lambda m: m.group).items():
            inner: list[str] = []
            outer: list[str] = []
            layout: list[tuple[str, tuple[int, ...]]] = []
            for i, m in enumerate(members):
                assert m.group is not None
                _, rows, value, bar = m.group
                inner += [f"{_count(rows)} AS r{i}", f"count(CASE WHEN {rows} THEN {value} END) AS n{i}",
                          f"sum(CASE WHEN {rows} THEN {value} END) AS s{i}"]
                ok = f"(r{i} > 0 AND n{i} > 0 AND CAST(s{i} AS DOUBLE) / n{i} >= {bar})"
                failing = d.smallest.format(x="k", n=MAX_RECORD_IDS, cond=f"r{i} > 0 AND NOT {ok}")
                outer += [f"{_count(f'r{i} > 0')} AS g{i}", f"{_count(ok)} AS p{i}", f"{failing} AS f{i}"]
                layout.append((m.metric, (1 + 3 * i, 2 + 3 * i, 3 + 3 * i)))
            groups = (f"SELECT {PART}, {g} AS k, {', '.join(inner)} FROM {view_name(table)} WHERE {g} IS NOT NULL "
                      f"GROUP BY {PART}, {g}")
            out.append((f"SELECT {PART}, {', '.join(outer)} FROM ({groups}) AS g GROUP BY {PART}", layout))
        return out

    def series_sql(self, table: str) -> list[tuple[str, list[tuple[str, tuple[int, ...]]]]]:
        """The series metrics of a table, one statement for those keyed alike: a row per part and key answering,
        for each metric, how many of its rows have the key and the earliest date among them (a key none of its
        rows has is not in its series); [(sql, [(metric, (PART, key, its rows, its date) columns)])]."""
        out = []
        for k, members in self._by_key(table, lambda m: m.series).items():
            cols: list[str] = []
            layout: list[tuple[str, tuple[int, ...]]] = []
            for i, m in enumerate(members):
                assert m.series is not None
                _, rows, date = m.series
                cols += [f"{_count(rows)} AS r{i}", f"min(CASE WHEN {rows} THEN {date} END) AS v{i}"]
                layout.append((m.metric, (0, 1, 2 + 2 * i, 3 + 2 * i)))
            out.append((f"SELECT {PART}, {k} AS k, {', '.join(cols)} FROM {view_name(table)} WHERE {k} IS NOT NULL "
                        f"GROUP BY {PART}, {k}", layout))
        return out

    def _by_key(self, table: str, spec_of: Callable[[MetricPlan], tuple[str, ...] | None]) -> dict[str, list[MetricPlan]]:
        """The table's metrics having a keyed spec (`spec_of`: their group or series, key first) by that key, in the
        plan's order."""
        by_key: dict[str, list[MetricPlan]] = {}
        for m in self.metrics:
            spec = spec_of(m)
            if m.table == table and spec is not None:
                by_key.setdefault(spec[0], []).append(m)
        return by_key

    def reads(self) -> dict[str, int]:
        """How many times the plan's statements read each table's computed view. A view read once need not be
        materialised: its one reader computes it as it scans (a temporary table of a million dossiers' ~30
        columns costs more to write than that scan), while each further reader would compute it again."""
        statements = [self.scan_sql(t)[0] for t in self.tables]
        statements += [sql for t in self.tables for sql, _ in (*self.groups_sql(t), *self.series_sql(t))]
        text = " ".join(statements)
        return {t: len(re.findall(rf"\bFROM {re.escape(view_name(t))}\b", text)) for t in self.tables}


def view_name(table: str) -> str:
    return f"{table}{VIEW_SUFFIX}"


def literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float, np.integer, np.floating)):
        return repr(float(value)) if isinstance(value, (float, np.floating)) else str(int(value))
    if isinstance(value, (dt.datetime, pd.Timestamp)):
        return f"TIMESTAMP '{pd.Timestamp(value).strftime('%Y-%m-%d %H:%M:%S.%f')}'"
    if isinstance(value, dt.date):
        return f"TIMESTAMP '{value.isoformat()} 00:00:00'"
    return "'" + str(value).replace("'", "''") + "'"


@dataclass
class _Scope:
    """What a condition over one table may name: its columns (lists among them), the period, the other tables."""

    table: str
    columns: set[str]
    lists: set[str]
    ctx: Any  # derive.Context (period_start, period_end)
    present: Mapping[str, set[str]]  # table -> its columns
    source: Mapping[str, str]  # table -> relation an exists_in reads
    dialect: Dialect
    outer: str = ""  # the relation the condition's rows come from (a correlated subquery names its part)
    known: set[str] = field(default_factory=set)  # computed conditions: never NULL, read as they are (no coalesce)

    def operand(self, op: Any) -> str:
        if isinstance(op, dict):
            if "value" in op:
                return literal(op["value"])
            return literal(pd.Timestamp(op["date"]))
        if op == "period_start":
            return literal(self.ctx.period_start)
        if op == "period_end":
            return literal(self.ctx.period_end)
        if op not in self.columns:
            raise DeriveError(f"no column {op!r}")
        return self.dialect.quote(op)


_OPS = {"<": "<", "<=": "<=", "==": "=", "!=": "<>", ">=": ">=", ">": ">"}


def condition(cond: Mapping[str, Any], scope: _Scope) -> str:
    """SQL for `cond`, never NULL."""
    (key, arg), = cond.items()
    if key == "all":
        return "(" + " AND ".join(condition(c, scope) for c in arg) + ")"
    if key == "any":
        return "(" + " OR ".join(condition(c, scope) for c in arg) + ")"
    if key == "not":
        return f"(NOT {condition(arg, scope)})"
    if key == "is_true":
        # A million dossiers' ~40 counts and listings test the same few flags: each coalesce left out is a pass fewer.
        return scope.operand(arg) if arg in scope.known else f"coalesce({scope.operand(arg)}, FALSE)"
    if key == "is_set":
        col = scope.operand(arg)
        if arg in scope.lists:
            return f"coalesce({scope.dialect.is_nonempty_list(col)}, FALSE)"
        return f"({col} IS NOT NULL)"
    if key == "is_empty":
        return f"(NOT {condition({'is_set': arg}, scope)})"
    if key == "in_period":
        col = scope.operand(arg)
        return f"coalesce({col} >= {literal(scope.ctx.period_start)} AND {col} <= {literal(scope.ctx.period_end)}, FALSE)"
    if key == "equals":
        return f"coalesce({scope.operand(arg[0])} = {literal(arg[1])}, FALSE)"
    if key == "in":
        values = [v for v in arg[1] if v is not None]
        if not values:
            return "FALSE"
        return f"coalesce({scope.operand(arg[0])} IN ({', '.join(literal(v) for v in values)}), FALSE)"
    if key == "compare":
        return f"coalesce({scope.operand(arg[0])} {_OPS[arg[1]]} {scope.operand(arg[2])}, FALSE)"
    if key == "exists_in":
        other = arg["table"]
        if other not in scope.present:
            return "FALSE"
        inner = _Scope(other, scope.present[other], set(), scope.ctx, scope.present, scope.source, scope.dialect, scope.source[other])
        if arg["key"] not in inner.columns:
            raise DeriveError(f"no column {arg['key']!r} in {other}")
        where = f" AND {condition(arg['where'], inner)}" if "where" in arg else ""
        k = scope.dialect.quote(arg["key"])
        # Only the keys of the record's own part (bundle) match: a partitioned run must answer as one bundle alone.
        keys = f"SELECT {PART}, {k} AS k FROM {scope.source[other]} WHERE {k} IS NOT NULL{where}"
        col = scope.operand(arg["column"])
        if arg["column"] in scope.lists:
            return f"coalesce({scope.dialect.overlaps(col, keys, scope.outer)}, FALSE)"
        pairs = f"SELECT {scope.dialect.pair_select.format(p=PART, k=k)} FROM {scope.source[other]} WHERE {k} IS NOT NULL{where}"
        return f"coalesce({col} IS NOT NULL AND {scope.dialect.pair.format(p=PART, k=col)} IN ({pairs}), FALSE)"
    raise DeriveError(f"unknown condition {key!r}")


def _computed_view(spec: TableSpec, scope: _Scope, base: str) -> tuple[str, tuple[LegalTime, ...]]:
    """`WITH s0 AS (base), s1 AS (s0 + first computed column), ... SELECT * FROM sN`: each column may use those before it."""
    steps = [f"s0 AS (SELECT * FROM {base})"]
    calendars: list[LegalTime] = []
    for i, (col, expr) in enumerate(spec.computed.items(), start=1):
        prev = f"s{i - 1}"
        scope.outer = prev
        (key, arg), = expr.items()
        joins, known = "", False
        if key == "coalesce":
            value = f"coalesce({', '.join(scope.operand(op) for op in arg)})" if len(arg) > 1 else scope.operand(arg[0])
        elif key == "add_days":
            value = scope.dialect.add_days(scope.operand(arg[0]), scope.operand(arg[1]))
        elif key in ("add_working_days", "add_legal_time"):
            start, amount = scope.operand(arg[0]), scope.operand(arg[1])
            unit = scope.operand(arg[2]) if key == "add_legal_time" else literal(WORKING_DAYS)
            lt = LegalTime(col, _pairs_sql(steps, prev, start, amount, unit, scope.dialect),
                           _range_sql(steps, prev, start, amount, unit), f"due_{spec.name}_{col}")
            calendars.append(lt)
            joins, value = _legal_time_join(start, amount, unit, lt, scope.dialect, prev)
        elif key == "date_of":
            value = _date_of(scope.operand(arg))
        elif key == "condition":
            value = condition(arg, scope)
            known = True
        else:
            raise DeriveError(f"unknown expression {key!r}")
        steps.append(f"s{i} AS (SELECT {prev}.*, {value} AS {scope.dialect.quote(col)} FROM {prev}{joins})")
        scope.columns.add(col)
        if known:
            scope.known.add(col)
    return f"WITH {', '.join(steps)} SELECT * FROM s{len(steps) - 1}", tuple(calendars)


def _date_of(ts: str) -> str:
    return f"CAST(CAST({ts} AS DATE) AS TIMESTAMP)"




def _unit(unit: str) -> str:
    return f"coalesce({unit}, '')"  # a missing unit is working days, and must still join


def _start_key(start: str, unit: str) -> str:
    return f"CASE WHEN {_unit(unit)} = '{HOURS}' THEN {start} ELSE {_date_of(start)} END"


def _range_sql(steps: list[str], prev: str, start: str, amount: str, unit: str) -> str:
    both = f"{start} IS NOT NULL AND {amount} IS NOT NULL"
    # How far a legal time reaches in days, so that the calendar covers it: a month 31 days, 8 working hours a day.
    reach = f"CAST({amount} AS DOUBLE) * CASE {_unit(unit)} WHEN '{MONTHS}' THEN 31.0 WHEN '{HOURS}' THEN 0.125 ELSE 1.0 END"
    return (f"WITH {', '.join(steps)} SELECT {PART}, min(CASE WHEN {both} THEN year({start}) END), "
            f"max(CASE WHEN {both} THEN year({start}) END), max(CASE WHEN {both} THEN {reach} END), "
            f"min(year({start})), max(year({start})), max({reach}) FROM {prev} GROUP BY {PART}")


def _pairs_sql(steps: list[str], prev: str, start: str, amount: str, unit: str, dialect: Dialect) -> str:
    return (f"WITH {', '.join(steps)} SELECT DISTINCT {PART}, {_start_key(start, unit)} AS k, {dialect.whole.format(x=amount)} AS n, "
            f"{_unit(unit)} AS u FROM {prev} WHERE {start} IS NOT NULL AND {amount} IS NOT NULL")


def _legal_time_join(start: str, amount: str, unit: str, lt: LegalTime, dialect: Dialect, prev: str) -> tuple[str, str]:
    """The due moment of each row from the relation `due`; the start's time of day added back unless in hours."""
    joins = (f" LEFT JOIN {lt.due} AS lt ON lt.{PART} = {prev}.{PART} AND lt.k = {_start_key(start, unit)} AND lt.n = {dialect.whole.format(x=amount)}"
             f" AND lt.u = {_unit(unit)}")
    value = f"CASE WHEN {_unit(unit)} = '{HOURS}' THEN lt.due ELSE lt.due + ({start} - {_date_of(start)}) END"
    return joins, value


def _count(cond: str) -> str:
    return f"count_if({cond})"  # both engines have it; some tenth faster than count(CASE ...) on DuckDB


def _metric(metric: Metric, spec: TableSpec, scope: _Scope) -> MetricPlan:
    d = metric.derive
    assert d is not None
    rows = condition(d["where"], scope) if "where" in d else "TRUE"
    def shown(cond: str) -> str:
        # Positions, not ids: a top-n of integers is cheaper than one carrying each candidate's text along.
        return scope.dialect.smallest.format(x=POS, n=MAX_RECORD_IDS, cond=cond)
    docs = shown(rows) if spec.name == "documents" else None
    name, table = metric.name, spec.name
    if "numerator" in d:
        hit = condition(d["numerator"], scope)
        # Conditions are never NULL, so the rows failing are `rows AND NOT hit`.
        return MetricPlan(name, table, "ratio", (_count(rows), _count(f"({rows} AND {hit})")), shown(f"{rows} AND NOT {hit}"), docs)
    if "minus" in d:
        hits = [f"({rows} AND {condition(c, scope)})" for c in d["minus"]]
        anyhit = f"({rows} AND ({' OR '.join(hits)}))"
        return MetricPlan(name, table, "minus", (_count(rows), *(_count(h) for h in hits), _count(anyhit)), shown(anyhit), docs)
    if "group_by" in d:
        g, m = scope.operand(d["group_by"]), scope.operand(d["having"]["mean"])
        at_least = d["having"]["at_least"]
        return MetricPlan(name, table, "group", group=(g, rows, m, literal(at_least)),
                          detail={"group_by": d["group_by"], "mean_at_least": at_least})
    if d.get("count"):
        return MetricPlan(name, table, "count", (_count(rows),), shown(rows), docs)
    if "first" in d or "last" in d:
        which = "first" if "first" in d else "last"
        col = scope.operand(d[which])
        # The earliest (latest) value, the first in source order among equals: the least (col, _pos), or the
        # greatest (col, -_pos). Its id is read from the part's table at its position, as a listing's are.
        pair = scope.dialect.struct.format(o=col, p=POS if which == "first" else f"-{POS}")
        pick = f"{'min' if which == 'first' else 'max'}(CASE WHEN {rows} AND {col} IS NOT NULL THEN {pair} END)"
        return MetricPlan(name, table, which, (_count(rows),), pick=pick, picked_id="id" if "id" in scope.columns else None)
    s = d["series"]
    k, date = scope.operand(s["key"]), scope.operand(s["date"])
    return MetricPlan(name, table, "series", (_count(rows),), series=(k, rows, date))


def compile_plan(metrics: Iterable[Metric], specs: Mapping[str, TableSpec], ctx: Any,
                 columns: Mapping[str, Iterable[str]], dialect: Dialect = DUCKDB) -> Plan:
    """The plan for the tables present (table -> its columns) and every metric derived from one of them."""
    metrics = list(metrics)
    present = {t: set(cols) for t, cols in columns.items()}
    computed = {t: present[t] | set(specs[t].computed) for t in present}
    named = set().union(*(_names(m.derive) for m in metrics if m.derive))
    tables: dict[str, TablePlan] = {}
    for t in present:
        spec = specs[t]
        lists = {c.name for c in spec.columns if c.type == "list"}
        # Computed columns see the other tables as read (an exists_in of a computed column reads raw records).
        scope = _Scope(t, set(present[t]), lists, ctx, present, {o: o for o in present}, dialect)
        view, calendars = _computed_view(spec, scope, t)
        order = [*present[t], *spec.computed]
        kept = [c for c in order if c in named or c in (spec.key, "id", ROW_COLUMN)]
        tables[t] = TablePlan(t, view, calendars, tuple(dict.fromkeys([*kept, POS, PART])), dialect)
    plans = []
    for metric in metrics:
        d = metric.derive
        if not d or d["table"] not in present:
            continue
        t = d["table"]
        spec = specs[t]
        scope = _Scope(t, set(computed[t]), {c.name for c in spec.columns if c.type == "list"}, ctx, computed,
                       {o: view_name(o) for o in present}, dialect, view_name(t),
                       {c for c, e in spec.computed.items() if "condition" in e})
        plans.append(_metric(metric, spec, scope))
    return Plan(tables, tuple(plans), dialect)


def needed_columns(metrics: Iterable[Metric], specs: Mapping[str, TableSpec]) -> set[str]:
    """The column names the metrics and every table's computed columns may read (over-inclusive): a runner
    need load no other column."""
    out = {ROW_COLUMN, "id", *(s.key for s in specs.values() if s.key)}
    out |= set().union(*(_names(m.derive) for m in metrics if m.derive))
    return out | set().union(*(_names(dict(s.computed)) for s in specs.values()))


def _names(node: Any) -> set[str]:
    """Every name a derivation mentions (columns of its table or of the tables it looks into): over-inclusive."""
    if isinstance(node, dict):
        if len(node) == 1 and ("value" in node or "date" in node):  # a literal operand
            return set()
        return set().union(*(_names(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_names(v) for v in node))
    return {node} if isinstance(node, str) else set()


# ---- calendar relations ------------------------------------------------------------------

def due_moments(calendar: WorkCalendar, pairs: pd.DataFrame) -> pd.DataFrame:
    """The relation (k, n, u, due) for the (k, n, u) triples given, by WorkCalendar.add_legal_time itself
    (a runner adds the parts whose calendar this is)."""
    start = pd.to_datetime(pairs["k"]).to_numpy().astype("datetime64[ns]")
    n = pairs["n"].to_numpy().astype(np.int64)
    unit = pairs["u"].to_numpy(dtype=object)
    due = calendar.add_legal_time(start, n, unit) if len(pairs) else np.array([], dtype="datetime64[ns]")
    return pd.DataFrame({"k": pairs["k"], "n": n, "u": unit, "due": due.astype("datetime64[us]")})
