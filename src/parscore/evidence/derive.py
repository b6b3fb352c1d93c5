"""Metrics derived from evidence records: the vocabulary's SQL plan (`evidence.plan`) run by an embedded DuckDB.

A metric's `derive:` (in rules/metrics/) names one table and says, with the
structured conditions of `schemas/derive.schema.json`, which rows count:

    derive: {table: dossiers, where: {is_true: in_scope}, numerator: {is_true: on_time}}

Tables gain computed columns first (`computed:` in rules/evidence/tables.yaml),
such as the QĐ 766 judged time and effective due date. Nothing is evaluated as
text from a file: every operator is compiled by a branch of `evidence.plan`, and
literals are quoted there. Each derived value keeps the ids of the records that
cost points and of the documents that support it.

Why SQL and DuckDB (issue 12): one relational plan runs in-process here and, unchanged but for
`plan.Dialect`, on Spark SQL when the data outgrows one machine. Not for speed: on 10^6 generated
dossiers it took 5.4 s against the removed pandas evaluator's 6.1 s, and at 10^5 1.5 s against 0.6 s
(DuckDB's per-statement cost); 10^7 dossiers are still refused by the table size limit.
"""
from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Protocol, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa

from parscore.core.dates import day
from parscore.core.workcalendar import WorkCalendar, calendar_for
from parscore.evidence.plan import (DUCKDB, MAX_RECORD_IDS, PART, POS, DeriveError, Dialect, MetricPlan, Plan, compile_plan, due_moments,
                                     needed_columns, view_name)
from parscore.evidence.tables import ROW, Evidence, TableSpec, table_specs
from parscore.evidence.typed import Tables, arrow_of, arrow_table, constant, plain
from parscore.metrics.catalogue import Catalogue, Metric
from parscore.metrics.columns import ABSENT, PRESENT
from parscore.metrics.values import MetricValue, Provenance

__all__ = ["Context", "DeriveError", "DuckDBEngine", "Engine", "MAX_RECORD_IDS", "Run", "derive_all", "derive_metrics",
           "derive_parts", "metric_values", "part_values", "shape", "with_computed"]

ENGINE_MEMORY = "384MB"  # DuckDB's working memory (its temporary tables included); beyond it, it spills to disk
CALENDAR_MARGIN_YEARS = 3  # years of holidays built either side of the period


@dataclass(frozen=True)
class Context:
    period_start: pd.Timestamp
    period_end: pd.Timestamp  # the last instant of the period's last day
    province: str | None = None  # whose extra days off count (rules/calendar files with `province:`)

    @classmethod
    def of(cls, start: dt.date, end: dt.date, province: str | None = None) -> "Context":
        return cls(pd.Timestamp(start), pd.Timestamp(end) + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1), province)

    def calendar(self, first: int | None, last: int | None, longest: float | None) -> WorkCalendar:
        """The working calendar covering the start years `first`..`last` (None: no start dates) and as far
        as the longest legal time can reach."""
        # Years around the period only: a slip such as 1925 or 2205 must not build centuries of holidays
        # (such dates are counted Monday–Friday, see WorkCalendar.add_working_days).
        low, high = self.period_start.year - CALENDAR_MARGIN_YEARS, self.period_end.year + CALENDAR_MARGIN_YEARS
        first = self.period_start.year if first is None else int(first)
        last = self.period_end.year if last is None else int(last)
        reach = 1 + min(int(longest // 240), CALENDAR_MARGIN_YEARS) if longest is not None else 1  # ~245 working days a year
        first, last = max(min(first, self.period_start.year), low), min(max(last, self.period_end.year), high)
        return calendar_for(range(first, last + reach + 1), self.province)


def _columns(tables: Mapping[str, pd.DataFrame], name: str, spec: TableSpec | None) -> list[str]:
    """A table's column names, read from its Arrow columns where it is held as such (no frame is built to look)."""
    return arrow_table(tables, name, spec).column_names if isinstance(tables, Tables) else [str(c) for c in tables[name].columns]


def _relation(tables: Mapping[str, pd.DataFrame], name: str, spec: TableSpec | None, columns: list[str]) -> pa.Table:
    """A typed table as the Arrow relation the plan reads, narrowed to `columns`."""
    if not isinstance(tables, Tables):
        return arrow_of(tables[name][columns], spec)
    return arrow_table(tables, name, spec).select(columns)


def _partitioned(relations: Sequence[pa.Table]) -> pa.Table:
    """The parts' relations of one table as one, each record with its position in its own part's table (POS) and
    its part (PART: the relation's index in `relations`)."""
    sizes = [r.num_rows for r in relations]
    if len(relations) > 1:
        types: dict[str, set[pa.DataType]] = {}
        for r in relations:
            for f in r.schema:
                types.setdefault(f.name, set()).add(f.type)
        mixed = {n for n, kinds in types.items() if len(kinds) > 1}
        relations = [_plain(r, mixed) for r in relations] if mixed else relations
    table = relations[0] if len(relations) == 1 else pa.concat_tables(relations)
    kind = np.int32 if table.num_rows < 2**31 else np.int64  # four bytes a row where they suffice (10^7 dossiers)
    if len(relations) == 1:  # one bundle: its positions, and one part held as a dictionary of one value (a byte a row)
        table = table.append_column(POS, pa.array(np.arange(table.num_rows, dtype=kind)))
        return table.append_column(PART, constant(0, table.num_rows, pa.int32()))
    start = np.repeat(np.cumsum([0, *sizes[:-1]]), sizes).astype(kind)
    table = table.append_column(POS, pa.array(np.arange(table.num_rows, dtype=kind) - start))
    return table.append_column(PART, pa.array(np.repeat(np.arange(len(relations), dtype=np.int32), sizes)))


def _plain(table: pa.Table, names: set[str]) -> pa.Table:
    """`table` with the dictionary-encoded columns among `names` decoded: a text column is held as a dictionary in
    one part and as plain text in another (the reader's choice by its distinct values), and parts concatenate only
    when their types agree."""
    for i, f in enumerate(table.schema):
        if f.name in names and pa.types.is_dictionary(f.type):
            table = table.set_column(i, f.name, plain(table.column(i)))
    return table


def shape(tables: Mapping[str, pd.DataFrame], metrics: Iterable[Metric],
          needed: set[str] | None = None) -> tuple[tuple[str, frozenset[str]], ...]:
    """Which tables, with which of the columns the metrics may read: bundles of one shape (and one Context) can
    be derived in one partitioned Run; the plan depends on nothing else of theirs. `needed`: the metrics'
    `plan.needed_columns`, if the caller has them (a batch asks for hundreds of shapes)."""
    specs = table_specs()
    needed = needed_columns(metrics, specs) if needed is None else needed
    return tuple(sorted((t, frozenset(c for c in _columns(tables, t, specs.get(t)) if c in needed)) for t in tables))


class Engine(Protocol):
    """What runs the plan's SQL: `DuckDBEngine` here; a Spark runner supplies the same six operations
    (register a pandas or Arrow relation, materialise a view, define one, fetch rows, fetch a frame, close)."""

    dialect: Dialect

    def register(self, name: str, data: pa.Table | pd.DataFrame) -> None: ...
    def materialise(self, name: str, sql: str) -> None: ...
    def define(self, name: str, sql: str) -> None: ...
    def rows(self, sql: str) -> list[tuple[Any, ...]]: ...
    def frame(self, sql: str) -> pd.DataFrame: ...
    def close(self) -> None: ...


class DuckDBEngine:
    """An in-memory DuckDB connection."""

    dialect = DUCKDB

    def __init__(self, threads: int | None = None) -> None:
        """`threads`: DuckDB's own (all the machine's cores unless given; a batch worker, one of a process per
        core, gives 1: its threads would only contend for the cores the other workers use)."""
        import duckdb  # optional at import time: a command that derives nothing never loads it

        # DuckDB would take up to 80 % of the machine and spill into ./.tmp: its working memory is bounded
        # (a province's year of dossiers stays under 2 GB in all) and what does not fit goes to a folder of
        # its own in the system's temporary directory, removed on close.
        self._spill = tempfile.mkdtemp(prefix="parscore-duckdb-")
        # Rows carry their position (`_pos`) and every statement that lists them orders by it: DuckDB need not
        # keep insertion order, which costs memory on large tables.
        config: dict[str, Any] = {"memory_limit": ENGINE_MEMORY, "temp_directory": self._spill,
                                  "preserve_insertion_order": False}
        if threads is not None:
            config["threads"] = threads
        self.con = duckdb.connect(config=config)
        self._keep: list[Any] = []  # registered relations must outlive the queries over them

    def register(self, name: str, data: pa.Table | pd.DataFrame) -> None:
        self._keep.append(data)
        self.con.register(name, data)

    def materialise(self, name: str, sql: str) -> None:
        # In DuckDB's own storage: a scan of it is some ten times faster than one of a registered Arrow table.
        self.con.execute(f"CREATE TEMP TABLE {name} AS {sql}")

    def define(self, name: str, sql: str) -> None:
        self.con.execute(f"CREATE TEMP VIEW {name} AS {sql}")

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return self.con.execute(sql).fetchall()

    def frame(self, sql: str) -> pd.DataFrame:
        return self.con.sql(sql).to_df()

    def close(self) -> None:
        self.con.close()
        shutil.rmtree(self._spill, ignore_errors=True)


class Run:
    """Bundles' tables, legal-time relations and computed views loaded into an engine, ready for the metrics.

    `parts` holds each bundle's tables (one bundle: a list of one); every relation carries PART, the bundle's
    index in `parts`, and every statement answers per part, so a part's values are those of its bundle alone.
    The parts share `ctx` (period, province) and must have the same shape (`shape`: the same tables, with the
    same columns the metrics read), since one plan is compiled for all of them."""

    def __init__(self, parts: Sequence[Mapping[str, pd.DataFrame]], ctx: Context, metrics: Iterable[Metric],
                 engine: Engine | None = None, full: bool = False):
        self.ctx = ctx
        self.parts = len(parts)
        specs = table_specs()
        metrics = list(metrics)
        # Only the columns a metric or a computed column reads are handed to the engine.
        needed = needed_columns(metrics, specs)
        names = list(parts[0])
        columns = {t: [c for c in _columns(parts[0], t, specs.get(t)) if full or c in needed] for t in names}
        for p in parts[1:]:
            if sorted(p) != sorted(names) or any(
                    {c for c in _columns(p, t, specs.get(t)) if full or c in needed} != set(columns[t]) for t in names):
                raise ValueError("the parts of one Run must have the same tables and columns")  # the caller's bug
        self.engine: Engine = engine if engine is not None else DuckDBEngine()
        self.plan: Plan = compile_plan(metrics, specs, ctx, columns, self.engine.dialect)
        self.notes: dict[int, dict[str, str | None]] = {i: {} for i in range(self.parts)}
        for name, cols in columns.items():
            self.engine.register(name, _partitioned([_relation(p, name, specs.get(name), cols) for p in parts]))
        reads = self.plan.reads()
        for t, tp in self.plan.tables.items():
            noted: set[int] = set()
            for lt in tp.calendars:
                ranges = {int(r[0]): tuple(r[1:]) for r in self.rows(lt.range_sql)}
                empty = (None,) * 6  # a part without rows in the table: the aggregates of nothing
                self.engine.register(lt.due, self._due(self.engine.frame(lt.pairs_sql), ranges))
                for i in range(self.parts):
                    if i not in noted:  # the table's first legal-time column names the calendar its values rest on
                        self.notes[i][t] = ctx.calendar(*ranges.get(i, empty)[3:]).describe()
                noted = set(range(self.parts))
            for i in range(self.parts):
                self.notes[i].setdefault(t, None)
            # A view read by one statement is computed by it; one read by several, once for all of them.
            keep = self.engine.materialise if full or reads[t] > 1 else self.engine.define
            keep(view_name(t), tp.view if full else tp.kept_view)

    def _due(self, pairs: pd.DataFrame, ranges: Mapping[int, tuple[Any, ...]]) -> pd.DataFrame:
        """The relation (PART, k, n, u, due): each part's pairs on the calendar its own rows call for (as its bundle
        alone would build it); parts asking for the same calendar are computed together."""
        by_calendar: dict[tuple[Any, ...], list[int]] = {}
        for part, r in ranges.items():
            by_calendar.setdefault(tuple(r[:3]), []).append(part)
        out = []
        for (first, last, longest), members in by_calendar.items():
            mine = pairs[pairs[PART].isin(members)] if len(by_calendar) > 1 else pairs
            distinct = mine[["k", "n", "u"]].drop_duplicates()
            due = due_moments(self.ctx.calendar(first, last, longest), distinct)
            out.append(mine[[PART, "k", "n", "u"]].merge(due[["k", "n", "u", "due"]], on=["k", "n", "u"], how="left"))
        if not out:
            return due_moments(self.ctx.calendar(None, None, None), pairs[["k", "n", "u"]]).assign(**{PART: pairs[PART]})
        return pd.concat(out, ignore_index=True) if len(out) > 1 else out[0]

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return self.engine.rows(sql)

    def computed(self, table: str, part: int = 0) -> pd.DataFrame:
        frame = self.engine.frame(f"SELECT * FROM {view_name(table)} WHERE {PART} = {int(part)} ORDER BY {POS}")
        return frame.drop(columns=[POS, PART]).reset_index(drop=True)

    def close(self) -> None:
        self.engine.close()


def _at(tables: Mapping[str, pd.DataFrame], table: str, column: str, positions: Sequence[int]) -> list[Any]:
    """The values of `column` at `positions` of a part's own `table` (a missing one as None), as the engine
    would have answered them."""
    if isinstance(tables, Tables):
        return tables.arrow(table).column(column).take(pa.array(positions, pa.int64())).to_pylist()
    values = tables[table][column].iloc[list(positions)]
    return [None if pd.isna(v) else v for v in values.tolist()]


def _ids(tables: Mapping[str, pd.DataFrame], table: str, positions: Sequence[int] | None, column: str | None) -> tuple[str, ...]:
    """The ids of the records at `positions` of a part's own `table`, as provenance shows them: the values of
    `column` (its key, or a document's id), or `table:row` (the source row) for a table without one."""
    if not positions:
        return ()
    values = _at(tables, table, column or ROW, positions)
    return tuple(str(v) for v in values) if column else tuple(f"{table}:{int(v)}" for v in values)


def _documents(evidence: Evidence, ids: Iterable[Any]) -> tuple[tuple[str, str | None, str | None], ...]:
    out = []
    for doc_id in ids:
        file, sha = evidence.document_files.get(str(doc_id), (None, None))
        out.append((str(doc_id), file, sha))
    return tuple(out)


def metric_values(run: Run, metrics: Mapping[str, Metric], evidence: Evidence) -> dict[str, MetricValue]:
    """The metrics' values and provenance of a Run of one bundle."""
    return part_values(run, metrics, [evidence])[0]


def part_values(run: Run, metrics: Mapping[str, Metric], evidences: Sequence[Evidence],
                records: bool = True) -> dict[int, dict[str, MetricValue]]:
    """Each part's metric values and provenance ({part: {metric: value}}, parts numbered as `Run` numbers them, each
    with its own bundle's evidence) from the rows the engine answers (any engine: the same code).

    `records=False` leaves out the record listings (the failing and counted record ids, and the documents): the
    values, counts and every other part of their provenance are the same. A batch asks for that: it keeps each
    commune's values only, and the listings were most of a commune's derivation (up to 200 ids a metric)."""
    plan = run.plan
    counts: dict[str, dict[int, tuple[int, ...]]] = {}
    widths: dict[str, int] = {}
    scanned: dict[tuple[str, str, int], Any] = {}  # (metric, "pick" | "records" | "documents", part) -> the scan's answer
    for t in plan.tables:
        sql, layout = plan.scan_sql(t, records)
        if not layout:
            continue
        rows = run.rows(sql)
        for name, kind, at in layout:
            if kind == "counts":
                widths[name] = len(at)
                counts[name] = {int(row[0]): tuple(int(row[i]) for i in at) for row in rows}
            else:
                scanned.update(((name, kind, int(row[0])), row[at[0]]) for row in rows)
    specs = table_specs()
    keyed: dict[str, dict[int, list[tuple[Any, ...]]]] = {}  # metric -> part -> its group's or series' answers
    for t in plan.tables:
        for sql, group_layout in plan.groups_sql(t):
            rows = run.rows(sql)
            for name, at in group_layout:
                keyed[name] = {int(row[0]): [tuple(row[i] for i in at)] for row in rows}
        for sql, series_layout in plan.series_sql(t):
            rows = run.rows(sql)
            for name, (p, k, n, v) in series_layout:
                series = keyed[name] = {}
                for row in rows:
                    if row[n]:  # a key none of the metric's rows has is not in its series
                        series.setdefault(int(row[p]), []).append((row[k], row[v]))
    out: dict[int, dict[str, MetricValue]] = {}
    for part, evidence in enumerate(evidences):
        values = out[part] = {}
        for mp in plan.metrics:
            metric, table = metrics[mp.metric], mp.table
            calendar = run.notes[part].get(table)
            # A part without rows in the table has no row of counts: counts of nothing.
            counted = counts[mp.metric].get(part, (0,) * widths[mp.metric]) if mp.metric in counts else ()
            answers = keyed.get(mp.metric, {}).get(part, [])
            got = scanned.get((mp.metric, "pick", part))  # (value, ±position), or none: a dict from DuckDB, a Row
            if got is not None:  # from Spark, both read by name; its record's id as it is (None stays None)
                picked = _at(evidence.tables, table, mp.picked_id, [abs(int(got["p"]))])[0] if mp.picked_id else None
                answers = [(got["o"], picked)]
            shown = {kind: _ids(evidence.tables, table, scanned.get((mp.metric, kind, part)),
                                "id" if kind == "documents" else specs[table].key)
                     for kind in ("records", "documents")}
            values[mp.metric] = _value(mp, metric, evidence, counted, answers, shown, calendar, records)
    return out


def _value(mp: MetricPlan, metric: Metric, evidence: Evidence, counted: tuple[int, ...], answers: list[tuple[Any, ...]],
           shown: Mapping[str, tuple[str, ...]], calendar: str | None, records: bool) -> MetricValue:
    """One part's value of one metric from its counts, its rows (group, first/last, series) and its listings
    (`shown`: the ids of its "records" and "documents"; `records`: whether listings were asked for)."""
    table = mp.table

    def prov(**kw: Any) -> Provenance:
        if calendar:  # a legal due date was computed: say which calendar decided it
            kw["detail"] = {**kw.get("detail", {}), "calendar": calendar}
        return Provenance(origin="derived", file=evidence.sources.get(table), source=metric.source, **kw)
    failing = shown["records"]
    docs = _documents(evidence, shown["documents"])
    if mp.shape == "ratio":
        den, num = counted
        return MetricValue(metric.name, metric.unit, num=num, den=den, counted=True,
                           provenance=prov(failing_records=failing, failing_count=den - num,
                                           records_count=den, documents=docs))
    if mp.shape == "minus":
        # 100 % less one rate per condition, each over the same rows and counted separately (a dossier both late
        # and complained about is taken twice): QĐ 766 portal description 5.4. Floored at 0 %.
        den, *hits, n_any = counted
        return MetricValue(metric.name, metric.unit, num=max(den - sum(hits), 0), den=den, counted=True,
                           provenance=prov(failing_records=failing, failing_count=n_any,
                                           records_count=den, documents=docs, detail={"minus": list(hits)}))
    if mp.shape == "group":
        groups, passed, keys = answers[0] if answers else (0, 0, None)
        return MetricValue(metric.name, metric.unit, num=passed, den=groups, counted=True,
                           provenance=prov(failing_records=tuple(str(k) for k in keys or ()) if records else (),
                                           failing_count=groups - passed, records_count=groups, detail=dict(mp.detail)))
    if mp.shape == "count":
        (n,) = counted
        return MetricValue(metric.name, metric.unit, n=n, provenance=prov(records=failing,
                                                                         records_count=n, documents=docs))
    if mp.shape in ("first", "last"):
        (n,) = counted
        if not answers:
            return MetricValue(metric.name, metric.unit, state=ABSENT, provenance=prov(records_count=0))
        value, doc_id = answers[0]
        return MetricValue(metric.name, metric.unit, day=day(pd.Timestamp(value).date()),
                           provenance=prov(records=(str(doc_id),) if doc_id is not None else (), records_count=n,
                                           documents=_documents(evidence, [doc_id]) if table == "documents" else ()))
    (n,) = counted
    firsts = sorted(answers, key=lambda r: r[0])
    series = {str(k): (None if v is None else day(pd.Timestamp(v).date())) for k, v in firsts}
    return MetricValue(metric.name, metric.unit, state=PRESENT if n else ABSENT, series=series, provenance=prov(records_count=n))


def derive_metrics(metrics: Iterable[Metric], evidence: Evidence, ctx: Context, engine: Engine | None = None) -> dict[str, MetricValue]:
    """The given metrics from records (those whose table the bundle has), in the order given; run by `engine`
    (an in-process DuckDB unless another is given)."""
    return derive_parts(metrics, [evidence], ctx, engine)[0]


def derive_parts(metrics: Iterable[Metric], evidences: Sequence[Evidence], ctx: Context,
                 engine: Engine | None = None, records: bool = True) -> list[dict[str, MetricValue]]:
    """`derive_metrics` of several bundles sharing `ctx` and one shape (`shape`) in one Run: one list of values per
    bundle, in the order given, each equal to deriving that bundle alone (without record listings if `records` is
    false: `part_values`)."""
    if not evidences:
        return []
    chosen = {m.name: m for m in metrics if m.derive and m.derive["table"] in evidences[0].tables}
    if not chosen:
        return [{} for _ in evidences]
    run = Run([e.tables for e in evidences], ctx, chosen.values(), engine)
    try:
        values = part_values(run, chosen, evidences, records)
        return [values[i] for i in range(len(evidences))]
    finally:
        run.close()


def derive_all(catalogue: Catalogue, evidence: Evidence, ctx: Context, engine: Engine | None = None) -> dict[str, MetricValue]:
    return derive_metrics(catalogue.values(), evidence, ctx, engine)


def with_computed(evidence: Evidence, ctx: Context) -> dict[str, pd.DataFrame]:
    """Each table with its computed columns added, in the order the spec lists them (rows in their order)."""
    if not evidence.tables:
        return {}
    run = Run([evidence.tables], ctx, (), full=True)
    try:
        return {t: run.computed(t) for t in evidence.tables}
    finally:
        run.close()

