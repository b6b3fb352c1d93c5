"""The vocabulary's SQL plan (`evidence.plan`) run by Spark SQL instead of the embedded DuckDB.

The statements are those `evidence.derive` runs, compiled with the Spark dialect; the relations they read are
registered here as Spark temporary views (the bundle's typed tables, the calendars, the computed views), and
the answers go through the same `derive` code that turns DuckDB's answers into metric values with their
provenance. So one compiled plan answers on both engines, and `tests/test_distributed.py` checks the answers
equal on the examples. Each run has its own Spark session sharing the cluster (temporary views do not leak
from one bundle to another).

Spark SQL is read here as the plan's SQL is written: identifiers in double quotes (ANSI), timestamps without
a time zone, UTC.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any, Iterable, Mapping

import pandas as pd

from parscore.evidence.derive import Context, _arrow, _values
from parscore.evidence.plan import SPARK, Plan, busday_frames, calendar_frames, compile_plan, view_name
from parscore.evidence.tables import Evidence, table_specs
from parscore.metrics.catalogue import Metric
from parscore.metrics.values import MetricValue

# What the plan's SQL assumes of the engine reading it (see the module's docstring).
SESSION_CONF = {
    "spark.sql.ansi.enabled": "true",
    "spark.sql.ansi.doubleQuotedIdentifiers": "true",
    "spark.sql.timestampType": "TIMESTAMP_NTZ",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
}
CONCURRENT_STATEMENTS = 8  # Spark jobs in flight at once for one bundle


class SparkRun:
    """One bundle's tables, calendars and computed views as temporary views of a Spark session of their own."""

    def __init__(self, session: Any, tables: Mapping[str, pd.DataFrame], ctx: Context, metrics: Iterable[Metric]):
        self.session = session.newSession()
        for key, value in SESSION_CONF.items():
            self.session.conf.set(key, value)
        specs = table_specs()
        self.plan: Plan = compile_plan(metrics, specs, ctx, {t: list(f.columns) for t, f in tables.items()}, SPARK)
        self.notes: dict[str, str | None] = {}
        self._cached: list[Any] = []
        for name, frame in tables.items():
            self._register(name, self.session.createDataFrame(_arrow(frame, specs.get(name))))
        for name, frame in busday_frames().items():
            self._register(f"busday_{name}", self.session.createDataFrame(frame))
        for t, tp in self.plan.tables.items():
            note = None
            for wd in tp.calendars:
                ((ok_first, ok_last, ok_long, all_first, all_last, all_long),) = self.rows(wd.range_sql)
                cal = ctx.calendar(ok_first, ok_last, ok_long)
                frames = calendar_frames(cal)
                self._register(wd.roll, self.session.createDataFrame(frames["roll"]))
                self._register(wd.work, self.session.createDataFrame(frames["work"]))
                if note is None:  # the table's first working-day column names the calendar its values rest on
                    note = ctx.calendar(all_first, all_last, all_long).describe()
            self.notes[t] = note
            # Materialised once (cached on the executors), then scanned by every metric's statements.
            view = self.session.sql(tp.kept_view).cache()
            self._cached.append(view)
            self._register(view_name(t), view)
        # Each statement is a Spark job with a fixed cost of its own (planning, scheduling): asked all at once from
        # a few threads, their costs overlap instead of adding up. Answers are then read back by statement.
        wanted = [sql for sql, layout in map(self.plan.counts_sql, self.plan.tables) if layout]
        wanted += [q for m in self.plan.metrics for q in (m.records, m.documents, m.rows) if q is not None]
        wanted = list(dict.fromkeys(wanted))
        with ThreadPoolExecutor(max_workers=CONCURRENT_STATEMENTS) as pool:
            self._answers = dict(zip(wanted, pool.map(self._ask, wanted)))

    def _register(self, name: str, frame: Any) -> None:
        frame.createOrReplaceTempView(name)

    def _ask(self, sql: str) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.session.sql(sql).collect()]

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        answers = getattr(self, "_answers", {})
        return answers[sql] if sql in answers else self._ask(sql)

    def close(self) -> None:
        for frame in self._cached:
            frame.unpersist()


def derive_metrics(session: Any, metrics: Iterable[Metric], evidence: Evidence, ctx: Context) -> dict[str, MetricValue]:
    """`derive.derive_metrics`, its plan run by Spark SQL on `session`'s cluster."""
    chosen = {m.name: m for m in metrics if m.derive and m.derive["table"] in evidence.tables}
    if not chosen:
        return {}
    run = SparkRun(session, evidence.tables, ctx, chosen.values())
    try:
        return _values(run, chosen, evidence)  # type: ignore[arg-type]  # the runner DuckDB's `_Run` is, on Spark
    finally:
        run.close()
