"""Batch grading at national scale: the communes' bundles loaded and derived on a Spark cluster.

Dossiers of different communes never interact, so the work partitions by commune. Each Spark task
takes its share of the communes and runs on them the very function `parscore batch` runs in its
worker processes (`batch.load_chunk`: read and type each, derive the records of those sharing a Context in one
partitioned run of the plan) — there is one implementation of the derivation vocabulary, and Spark only
decides where it runs. The tasks send
back each commune's metric row (`batch.metric_row`); the driver ranks and
classifies them with the same scoring engine as `parscore batch` (`batch.run`), so metrics, scores
and ranks are those of the single-machine path, exactly.

The bundles must be readable at the same path from every worker (a shared or mounted file system),
and every worker's Python must have parscore installed (`pip install 'parscore[distributed]'`).
"""
from __future__ import annotations

import contextlib
import dataclasses
import os
import pickle
import shutil
import sys
import warnings
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from parscore.core.errors import InputError, InputErrors
from parscore.criteria.framework import FrameworkRegistry
from parscore.planning import batch

TASKS_PER_CORE = 4  # several tasks a core: a slow commune does not hold the others back
LOG_CONFIG = Path(__file__).with_name("spark-log4j2.properties")
PAYLOAD = "i long, payload binary"  # what a task returns per bundle: its position and the pickled load result


def _local(master: str) -> bool:
    return master.startswith("local")


def check_java() -> None:
    """Spark runs on a JVM: without one, say how to get it (bad setup, exit 2) rather than fail inside pyspark."""
    java_home = os.environ.get("JAVA_HOME")
    if shutil.which("java") is None and not (java_home and (Path(java_home) / "bin" / "java").exists()):
        raise InputErrors([InputError("spark_no_java")])


@contextlib.contextmanager
def spark_session(master: str, app: str = "parscore") -> Iterator[Any]:
    """A Spark session on `master`; one already running in this process is used as it is and left running."""
    # pyspark warns on every pandas call that it does not claim pandas 3 yet; what we hand it (integers, paths and
    # bytes) is checked equal to the single-machine path by tests/test_distributed.py, so the warning is noise here.
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise InputErrors([InputError("spark_missing")]) from None
    active = SparkSession.getActiveSession()
    if active is not None:
        yield active
        return
    check_java()
    logging = f"-Dlog4j2.configurationFile={LOG_CONFIG.as_uri()}"
    builder = (SparkSession.builder.master(master).appName(app).config("spark.ui.showConsoleProgress", "false")
               .config("spark.driver.extraJavaOptions", logging))
    if _local(master):
        # On this machine the workers must run this very Python (the one parscore is installed in).
        builder = (builder.config("spark.pyspark.python", sys.executable).config("spark.ui.enabled", "false")
                   .config("spark.executor.extraJavaOptions", logging))  # the executors read this machine's file too
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    try:
        yield session
    finally:
        session.stop()


def _load_partition(frames: Iterator[Any]) -> Iterator[Any]:
    """Spark task: the bundles of this partition through `batch.load_chunk`, a chunk at a time, each result pickled
    for the trip back."""
    import pandas as pd
    for frame in frames:
        out: list[bytes] = []
        for at in range(0, len(frame), batch.CHUNK):
            part = frame.iloc[at:at + batch.CHUNK]
            (scenario, lang, rules), = set(zip(part["scenario"], part["lang"], part["rules"]))  # one batch's settings
            out.extend(pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
                       for item in batch.load_chunk((list(part["path"]), scenario or None, lang, rules or None)))
        yield pd.DataFrame({"i": frame["i"].to_numpy(), "payload": out})


def spark_loader(session: Any) -> batch.Loader:
    """A `batch.Loader` that loads the bundles on `session`'s cluster, one partition per share of communes."""
    def load(paths: Sequence[Path], scenario: str | None, lang: str, jobs: int | None,
             progress: Callable[[int, int], None] | None = None, rules: str | None = None) -> list[batch.Loaded]:
        import pandas as pd
        work = pd.DataFrame({"i": range(len(paths)), "path": [str(Path(p).resolve()) for p in paths],
                             "scenario": str(Path(scenario).resolve()) if scenario else "", "lang": lang,
                             "rules": rules or ""})
        parts = max(1, min(len(work), jobs or session.sparkContext.defaultParallelism * TASKS_PER_CORE))
        frame = session.createDataFrame(work).repartition(parts)
        rows = frame.mapInPandas(_load_partition, PAYLOAD).collect()
        by_position = {int(r["i"]): pickle.loads(r["payload"]) for r in rows}  # noqa: S301 — our own tasks' output
        if progress:
            progress(len(by_position), len(paths))
        # The tasks were given absolute paths (a worker's working folder is not ours); each result names the
        # bundle as it was given, as the single-machine path does.
        return [_as_given(str(p), *by_position[i][1:]) for i, p in enumerate(paths)]
    return load


def _as_given(path: str, bundle: Any, after: Any, error: str | None) -> batch.Loaded:
    def given(b: Any) -> Any:
        return None if b is None else dataclasses.replace(b, path=Path(path))
    return path, given(bundle), given(after), error


def run(paths: Sequence[str | Path], framework: str | None, scenario: str | Path | None, master: str,
        progress: Callable[[int, int], None] | None, lang: str, registry: FrameworkRegistry,
        mixed: bool = False, partitions: int | None = None) -> batch.BatchResult:
    """`batch.run` with the bundles loaded on the Spark cluster at `master` (e.g. spark://host:7077, local[*])."""
    with spark_session(master) as session:
        return batch.run(paths, framework, scenario, partitions, progress, lang, registry, mixed,
                         loader=spark_loader(session))
