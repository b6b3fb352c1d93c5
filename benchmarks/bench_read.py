"""Reading a bundle: parscore's `read_bundle` (read, type and check every table) against pyarrow reading the same
files untyped (the floor: no typing, no check can be faster than reading the bytes into Arrow).

The floor reads each table file as pyarrow reads it fastest without being told anything about parscore: a Parquet
file both plain and with every text column as a dictionary (the faster of the two, round by round), a CSV file
as text columns. Both run in this process, interleaved round by round after a warm-up, so that other load on the
machine weighs on both alike; medians of wall time and of CPU time (user + system, all threads) are printed.

    python benchmarks/generate.py bundle --dossiers 1000000 --out /tmp/ps-1e6 --parquet
    python benchmarks/bench_read.py /tmp/pqonly/ps-1e6 [--runs 7]     # a folder holding dossiers.parquet only
"""
from __future__ import annotations

import argparse
import resource
import statistics
import time
from pathlib import Path
from typing import Callable

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from parscore import api
from parscore.evidence.bundle import read_bundle


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _timed(fn: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), _cpu()
    fn()
    return time.perf_counter() - wall, _cpu() - cpu


def _texts(path: Path) -> list[str]:
    schema = pq.ParquetFile(path).schema_arrow
    return [f.name for f in schema if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)]


def floor(folder: Path, as_dictionary: dict[Path, list[str]]) -> None:
    """Every table file of the bundle read by pyarrow, untyped (the columns `as_dictionary` names as dictionaries)."""
    for path in sorted(folder.glob("*.parquet")):
        pq.ParquetFile(path, read_dictionary=as_dictionary.get(path)).read()
    for path in sorted(folder.glob("*.csv")):
        pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(strings_can_be_null=False, column_types={}))


def faster_as_dictionary(folder: Path) -> dict[Path, list[str]]:
    """Each Parquet file's text columns that pyarrow reads faster as dictionaries than plain (best of three each
    way, column by column): the floor reads every column its faster way."""
    out = {}
    for path in sorted(folder.glob("*.parquet")):
        coded = []
        for name in _texts(path):
            plain = min(_timed(lambda: pq.ParquetFile(path).read(columns=[name]))[1] for _ in range(3))
            as_dictionary = min(_timed(lambda: pq.ParquetFile(path, read_dictionary=[name]).read(columns=[name]))[1]
                                for _ in range(3))
            if as_dictionary < plain:
                coded.append(name)
        out[path] = coded
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("bundle", type=Path)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    catalogue = api.catalogue()
    read_bundle(args.bundle, catalogue)  # warm-up: caches, lazy imports, the allocator
    as_dictionary = faster_as_dictionary(args.bundle)  # also the floor's warm-up
    ours: list[tuple[float, float]] = []
    base: list[tuple[float, float]] = []
    for _ in range(args.runs):
        ours.append(_timed(lambda: read_bundle(args.bundle, catalogue)))
        base.append(_timed(lambda: floor(args.bundle, as_dictionary)))
    med = statistics.median
    ow, oc = med(w for w, _ in ours), med(c for _, c in ours)
    bw, bc = med(w for w, _ in base), med(c for _, c in base)
    coded = sum(len(v) for v in as_dictionary.values())
    print(f"{args.bundle}: medians of {args.runs} interleaved runs (the floor reads {coded} Parquet text columns as "
          f"dictionaries, the others plain: each its faster way here, by CPU)")
    print(f"  parscore read_bundle (read + type + check) : wall {ow:6.3f} s   CPU {oc:6.3f} s")
    print(f"  pyarrow, every file read untyped (floor)   : wall {bw:6.3f} s   CPU {bc:6.3f} s")
    print(f"  ratio                                      : wall {ow / bw:5.2f}×   CPU {oc / bc:5.2f}×")


if __name__ == "__main__":
    main()
