"""The vocabulary's SQL plan (`evidence.plan`) run by Spark SQL instead of the embedded DuckDB.

`SparkEngine` is an `evidence.derive.Engine`: the bundle's typed tables, its legal-time relations and its
computed views become temporary views of a Spark session, and the plan compiled with the Spark dialect runs
on them; `derive`'s own code builds the plan and turns the answers into metric values with their provenance.
So one compiled plan answers on both engines, and `tests/test_distributed.py` checks the answers equal.
Each engine has a session of its own sharing the cluster, so temporary views never leak from one bundle to
another.

Spark SQL is set to read the plan's SQL as DuckDB does: ANSI semantics, timestamps without a time zone, UTC.
"""
from __future__ import annotations

from typing import Any, Iterable, Sequence

import pandas as pd
import pyarrow as pa

from parscore.evidence.derive import Context, derive_metrics as _derive_metrics, derive_parts as _derive_parts
from parscore.evidence.plan import SPARK
from parscore.evidence.tables import Evidence
from parscore.evidence.typed import plain_table
from parscore.metrics.catalogue import Metric
from parscore.metrics.values import MetricValue

# What the plan's SQL assumes of the engine reading it (see the module's docstring).
SESSION_CONF = {
    "spark.sql.ansi.enabled": "true",
    "spark.sql.timestampType": "TIMESTAMP_NTZ",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
}


class SparkEngine:
    """A Spark session of its own on `session`'s cluster, as `derive.Run` needs an engine."""

    dialect = SPARK

    def __init__(self, session: Any):
        self.session = session.newSession()
        for key, value in SESSION_CONF.items():
            self.session.conf.set(key, value)
        self._cached: list[Any] = []

    def register(self, name: str, data: pa.Table | pd.DataFrame) -> None:
        # Spark reads no Arrow dictionaries: the columns a bundle holds as one are spelled out for it.
        self.session.createDataFrame(plain_table(data) if isinstance(data, pa.Table) else data).createOrReplaceTempView(name)

    def materialise(self, name: str, sql: str) -> None:
        view = self.session.sql(sql).cache()  # kept on the executors, then scanned by every metric's statements
        self._cached.append(view)
        view.createOrReplaceTempView(name)

    def define(self, name: str, sql: str) -> None:
        self.session.sql(sql).createOrReplaceTempView(name)  # computed by the one statement that reads it

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.session.sql(sql).collect()]

    def frame(self, sql: str) -> pd.DataFrame:
        return self.session.sql(sql).toPandas()

    def close(self) -> None:
        for view in self._cached:
            view.unpersist()


def derive_metrics(session: Any, metrics: Iterable[Metric], evidence: Evidence, ctx: Context) -> dict[str, MetricValue]:
    """`derive.derive_metrics` with its plan run by Spark SQL on `session`'s cluster."""
    return _derive_metrics(metrics, evidence, ctx, SparkEngine(session))


def derive_parts(session: Any, metrics: Iterable[Metric], evidences: Sequence[Evidence], ctx: Context) -> list[dict[str, MetricValue]]:
    """`derive.derive_parts` (many bundles of one Context and shape, one partitioned plan) run by Spark SQL."""
    return _derive_parts(metrics, evidences, ctx, SparkEngine(session))
