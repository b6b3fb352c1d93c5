"""`parscore batch` on this machine against the same batch on a Spark local cluster, same run, same answers.

Input: many communes' bundles (benchmarks/generate.py communes), e.g. 500 communes × 2,000 dossiers = 10^6
dossiers (quick), 5,000 × 2,000 = 10^7 (--communes 5000). Both paths rank every commune; the two results are
checked equal (metrics → indices, points per field, classifications, ranks) before any figure is printed.

- single machine: `api.batch` (worker processes, one a core);
- Spark: `api.batch_spark` on `local-cluster[W,1,MB]` — a master and W worker JVMs on this machine, each with
  its own Python workers, as a real cluster runs (--master spark://host:7077 measures a real one). The
  session start (JVMs) is timed apart from the batch.

    pip install -e '.[distributed]'
    python benchmarks/bench_distributed.py [--communes 500] [--dossiers 2000] [--workers 2] [--folder /tmp/ps-communes]
"""
from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path

from parscore import api
from parscore.planning import distributed

HERE = Path(__file__).resolve().parent


def generated(folder: Path, communes: int, dossiers: int) -> Path:
    """The input, made once and reused (a folder that already holds `communes` bundles is taken as it is)."""
    have = [p for p in folder.iterdir() if (p / "bundle.yaml").is_file()] if folder.is_dir() else []
    if len(have) != communes:
        spec = importlib.util.spec_from_file_location("ps_generate", HERE / "generate.py")
        assert spec and spec.loader
        generate = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(generate)
        t0 = time.perf_counter()
        generate.make_communes(communes, dossiers, folder, parquet=False)
        print(f"  generated in {time.perf_counter() - t0:.0f} s")
    return folder


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--communes", type=int, default=500)
    ap.add_argument("--dossiers", type=int, default=2000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--worker-mb", type=int, default=2048)
    ap.add_argument("--master", help="a running cluster instead of the local one (spark://host:7077)")
    ap.add_argument("--folder", type=Path, help="where the input is (made there if missing)")
    ap.add_argument("--jobs", type=int, default=None, help="single machine: worker processes (default: one a core)")
    args = ap.parse_args()
    folder = generated(args.folder or Path(f"/tmp/ps-communes-{args.communes}x{args.dossiers}"), args.communes, args.dossiers)
    master = args.master or f"local-cluster[{args.workers},1,{args.worker_mb}]"
    n = sum(1 for _ in folder.glob("*/dossiers.csv"))
    print(f"{n:,} communes of ~{args.dossiers:,} dossiers (~{n * args.dossiers:,}) in {folder}")

    t0 = time.perf_counter()
    single = api.batch([folder], jobs=args.jobs, lang="en")
    t_single = time.perf_counter() - t0

    t0 = time.perf_counter()
    with distributed.spark_session(master, "parscore-bench") as session:
        deadline = time.monotonic() + 180  # the workers register a while after the session starts
        while session.sparkContext._jsc.sc().getExecutorMemoryStatus().size() <= args.workers and time.monotonic() < deadline:
            time.sleep(0.5)
        t_start = time.perf_counter() - t0
        t0 = time.perf_counter()
        spread = api.batch_spark([folder], master, lang="en")
        t_spark = time.perf_counter() - t0

    if spread != single:
        sys.exit("the Spark path ranked the communes otherwise than the single machine: see tests/test_distributed.py")
    assert not single.errors, single.errors[:3]
    print(f"{len(single.entries):,} communes ranked ({single.framework.id}); Spark's metrics, scores and ranks equal the single machine's")
    print(f"  single machine (api.batch)             : {t_single:8.1f} s   {n / t_single:7.1f} communes/s")
    print(f"  Spark {master:<24s} start : {t_start:8.1f} s")
    print(f"  Spark {master:<24s} batch : {t_spark:8.1f} s   {n / t_spark:7.1f} communes/s")
    print(f"  Spark batch / single = {t_spark / t_single:.2f}×   (with start-up: {(t_spark + t_start) / t_single:.2f}×)")


if __name__ == "__main__":
    main()
