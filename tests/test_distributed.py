"""The distributed path (`parscore batch --engine spark`) against the single-machine path, on a local cluster.

One Spark local cluster — a master and two worker JVMs, each with its own Python workers — serves the whole
module (starting one costs tens of seconds on two cores). The Spark path must give the same metrics, scores, classifications and ranks as `parscore batch`, on the five examples and on
a generated multi-commune input; a broken bundle is reported the same way.
"""
from __future__ import annotations

import dataclasses
import importlib.util
import shutil
import sys
import time
from pathlib import Path
from typing import Any, Iterator

import pytest
from click.testing import CliRunner

from parscore import api
from parscore.cli import main
from parscore.core.errors import InputErrors
from parscore.evidence import spark_sql
from parscore.evidence.derive import Context, derive_metrics
from parscore.planning import batch, distributed

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if (p / "bundle.yaml").is_file())
CLUSTER = "local-cluster[2,1,1024]"  # two workers of one core and 1 GiB each, as separate JVMs
# pyspark warns that it does not claim pandas 3 yet; these tests are what checks that its answers are right anyway
pytestmark = pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")

if importlib.util.find_spec("pyspark") is None:
    pytest.skip("pyspark is not installed (pip install -e '.[test]' or '.[distributed]')", allow_module_level=True)
if shutil.which("java") is None:
    pytest.skip("no java on PATH: Spark needs a JRE (CI installs default-jre-headless)", allow_module_level=True)


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    with distributed.spark_session(CLUSTER, "parscore-tests") as session:
        deadline = time.monotonic() + 120  # the workers register with the master a while after the session starts
        while executors(session) < 2 and time.monotonic() < deadline:
            time.sleep(0.5)
        yield session


def executors(session: Any) -> int:
    return int(session.sparkContext._jsc.sc().getExecutorMemoryStatus().size()) - 1  # less the driver


@pytest.fixture(scope="module")
def communes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Twelve communes of ~300 dossiers each, drawn from the 2025 examples by benchmarks/generate.py."""
    spec = importlib.util.spec_from_file_location("ps_generate", ROOT / "benchmarks" / "generate.py")
    assert spec and spec.loader
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    out = tmp_path_factory.mktemp("communes")
    generate.make_communes(12, 300, out, parquet=False)
    return out


def test_the_cluster_has_two_workers(spark: Any) -> None:
    # the driver plus two executors: the work really leaves this process and is split between two JVMs
    assert executors(spark) == 2


def test_examples_give_the_same_metrics_scores_and_ranks(spark: Any) -> None:
    seen: list[Any] = []

    def recording(*args: Any, **kwargs: Any) -> Any:
        seen.extend(distributed.spark_loader(spark)(*args, **kwargs))
        return seen
    spread = batch.run(EXAMPLES, None, None, None, None, "en", api.registry(), mixed=True, loader=recording)
    assert [p for p, *_ in seen] == [str(p) for p in EXAMPLES]
    for (path, bundle, _, error), example in zip(seen, EXAMPLES):
        assert error is None, error
        alone = batch.metric_row(api.load_bundle(example))  # what the single-machine workers send back
        assert bundle.metrics == alone.metrics, path  # every value and count
        assert bundle == alone, path
    single = api.batch(EXAMPLES, lang="en", mixed=True, jobs=1)
    assert len(spread.entries) == len(EXAMPLES)
    assert spread == single  # indices, points per field, classifications, ranks, points most lost


def test_the_compiled_plan_answers_alike_on_spark_sql(spark: Any) -> None:
    """The vocabulary's one SQL plan, compiled with the Spark dialect and run by Spark SQL on the cluster, gives
    the metrics DuckDB gives — values, counts, failing-record ids, calendars. One example here (each statement is
    a Spark job: ~1 s apiece on two cores); the five give the same, run by hand (see the README)."""
    bundle = api.load_bundle(ROOT / "examples" / "dao-xa-2025")
    ctx = Context.of(bundle.period_start, bundle.period_end, bundle.province)
    on_spark = spark_sql.derive_metrics(spark, api.catalogue().values(), bundle.evidence, ctx)
    on_duckdb = derive_metrics(api.catalogue().values(), bundle.evidence, ctx)
    assert len(on_spark) == len(on_duckdb) > 40
    assert on_spark == on_duckdb


def test_the_partitioned_plan_answers_per_part_on_spark_sql(spark: Any) -> None:
    """Two bundles in one partitioned run on Spark SQL (the example, and a copy without its apology letters and
    its records reversed): each part's metrics are its bundle's derived alone by DuckDB."""
    bundle = api.load_bundle(ROOT / "examples" / "dao-xa-2025")
    assert bundle.evidence is not None
    ctx = Context.of(bundle.period_start, bundle.period_end, bundle.province)
    tables = {t: (f[f["type"] != "apology"] if t == "documents" else f).iloc[::-1].reset_index(drop=True)
              for t, f in bundle.evidence.tables.items()}
    altered = dataclasses.replace(bundle.evidence, tables=tables)
    metrics = list(api.catalogue().values())
    on_spark = spark_sql.derive_parts(spark, metrics, [altered, bundle.evidence], ctx)
    alone = [derive_metrics(metrics, e, ctx) for e in (altered, bundle.evidence)]
    assert alone[0] != alone[1]
    assert on_spark == alone


def test_communes_rank_the_same(spark: Any, communes: Path) -> None:
    single = api.batch([communes], lang="en", jobs=1)
    spread = api.batch_spark([communes], CLUSTER, lang="en", partitions=5)
    assert len(spread.entries) == 12 and not spread.errors
    assert spread == single
    assert len({e.index for e in spread.entries}) > 1  # the communes differ: the ranking is not a tie of copies


def test_the_command_lists_a_broken_bundle_as_batch_does(spark: Any, communes: Path, tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    for name in ("xa-00000", "xa-00001"):
        shutil.copytree(communes / name, folder / name)
    (folder / "xa-00001" / "bundle.yaml").write_text("commune: [unclosed\n", encoding="utf-8")
    runner = CliRunner()
    single = runner.invoke(main, ["batch", str(folder), "--lang", "en", "-j", "1"])
    spread = runner.invoke(main, ["batch", str(folder), "--lang", "en", "--engine", "spark", "--master", CLUSTER])
    assert single.exit_code == spread.exit_code == 0, spread.output
    assert "xa-00001" in spread.output  # the broken bundle is named, with its error
    assert spread.output == single.output


def test_master_without_the_spark_engine_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["batch", str(EXAMPLES[0]), "--master", "spark://h:7077", "--lang", "en"])
    assert result.exit_code == 2
    assert "--engine spark" in result.output


def test_missing_pyspark_is_bad_setup_not_a_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)  # import of pyspark.sql now fails
    result = CliRunner().invoke(main, ["batch", str(EXAMPLES[0]), "--engine", "spark", "--lang", "en"])
    assert result.exit_code == 2
    assert "parscore[distributed]" in result.output


def test_no_java_is_bad_setup_with_its_fix(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no java on it
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(InputErrors) as caught:
        distributed.check_java()
    assert [e.code for e in caught.value.errors] == ["spark_no_java"]
    assert "default-jre-headless" in caught.value.render("en")
