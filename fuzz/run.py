"""Coverage-guided fuzzing of the five loaders (numbers, YAML, bundle, framework, scenario).

    python fuzz/run.py                      # 600 s in all, split over the five targets
    python fuzz/run.py --seconds 60 --targets numbers,yaml

Uses atheris (libFuzzer for Python) when it is installed (`pip install atheris`), instrumenting parscore
and PyYAML; without it, falls back to a plain random-mutation loop over the same seeds (not coverage-guided,
and it says so). The seed corpus is checked in under `fuzz/corpus/<target>/`; inputs the fuzzer discovers
go to a scratch folder, never into the seeds. A crash — any exception other than InputErrors, or a
disagreement between the readers of a number (see `fuzz/targets.py`) — is saved under `fuzz/findings/`
and must become a regression case in `tests/test_fuzz.py`. The summary gives, per target, executions,
crashes and the slowest input; the issue's bar is no crash and no input slower than 1 s.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
NAMES = ("numbers", "yaml", "bundle", "framework", "scenario")
SLOW = 1.0  # seconds: the bar for one input


def _record(stats_path: Path, stats: dict[str, object]) -> None:
    tmp = stats_path.with_suffix(".tmp")
    tmp.write_text(json.dumps(stats))
    os.replace(tmp, stats_path)


def _timed(target, stats: dict, stats_path: Path):  # type: ignore[no-untyped-def]
    """Wrap a target so that executions and the slowest input are recorded as the run goes."""
    def one(data: bytes) -> None:
        start = time.perf_counter()
        try:
            target(data)
        finally:
            took = time.perf_counter() - start
            stats["executions"] += 1
            if took > stats["slowest_s"]:
                stats["slowest_s"], stats["slowest_input"] = took, data[:300].decode("utf-8", "replace")
                _record(stats_path, stats)
            elif stats["executions"] % 500 == 0:
                _record(stats_path, stats)
    return one


def worker(name: str, seconds: int, stats_path: Path, findings: Path) -> None:
    """One target in this process (libFuzzer owns the process and exits when the time is up)."""
    stats = {"target": name, "executions": 0, "slowest_s": 0.0, "slowest_input": "", "engine": ""}
    if stats_path.exists():  # a restart after a crash carries the counts on
        stats.update(json.loads(stats_path.read_text()))
    try:
        import atheris  # optional heavy dependency: the fuzzing engine
    except ImportError:
        atheris = None
    if atheris is None:
        from fuzz.targets import TARGETS
        stats["engine"] = "random mutation (atheris not installed)"
        _warm_up(name, TARGETS[name])
        _mutation_loop(name, _timed(TARGETS[name], stats, stats_path), seconds, findings)
        _record(stats_path, stats)
        return
    # parscore only: instrumenting PyYAML's pure-Python scanner too made every input ~30x slower.
    with atheris.instrument_imports(include=["parscore", "fuzz"]):
        from fuzz.targets import TARGETS
    stats["engine"] = "atheris (libFuzzer, coverage-guided)"
    _warm_up(name, TARGETS[name])
    _record(stats_path, stats)
    scratch = tempfile.mkdtemp(prefix=f"parscore-fuzz-{name}-")
    args = [sys.argv[0], scratch, str(HERE / "corpus" / name), f"-max_total_time={seconds}", "-timeout=20",
            "-rss_limit_mb=3072", f"-artifact_prefix={findings}/{name}-", "-print_final_stats=1", "-max_len=4096"]
    atheris.Setup(args, _timed(TARGETS[name], stats, stats_path))
    atheris.Fuzz()


def _warm_up(name: str, target) -> None:  # type: ignore[no-untyped-def]
    """Run the seeds once untimed: the first call loads the catalogue, frameworks and schemas (seconds),
    which is start-up, not the cost of an input."""
    for p in sorted((HERE / "corpus" / name).iterdir()):
        try:
            target(p.read_bytes())
        except Exception:  # a seed that crashes is found again, and recorded, by the fuzzer itself
            pass


def _mutation_loop(name: str, target, seconds: int, findings: Path) -> None:  # type: ignore[no-untyped-def]
    seeds = [p.read_bytes() for p in sorted((HERE / "corpus" / name).iterdir())] or [b""]
    rng = random.Random(0)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        data = bytearray(rng.choice(seeds))
        for _ in range(rng.randint(1, 8)):
            op = rng.randrange(3)
            pos = rng.randrange(len(data) + 1)
            if op == 0:
                data[pos:pos] = bytes([rng.randrange(256)])
            elif op == 1 and data:
                del data[min(pos, len(data) - 1)]
            elif data:
                data[min(pos, len(data) - 1)] = rng.randrange(256)
        try:
            target(bytes(data))
        except Exception:
            (findings / f"{name}-crash-{abs(hash(bytes(data))):x}").write_bytes(bytes(data))
            raise


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=int, default=600, help="total time budget, split evenly over the targets")
    ap.add_argument("--targets", default=",".join(NAMES))
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--stats", help=argparse.SUPPRESS)
    ap.add_argument("--findings", default=str(HERE / "findings"))
    args, _ = ap.parse_known_args()
    findings = Path(args.findings)
    findings.mkdir(parents=True, exist_ok=True)
    if args.worker:
        worker(args.worker, args.seconds, Path(args.stats), findings)
        return 0
    names = [n for n in args.targets.split(",") if n]
    share = max(1, args.seconds // len(names))
    summary = []
    for name in names:
        stats_path = findings / f"{name}.stats.json"
        stats_path.unlink(missing_ok=True)
        crashes, runs, spent, started = 0, 0, 0.0, time.monotonic()
        while spent < share - 1 and crashes < 20:  # after a crash, go on with the time left
            proc = subprocess.run([sys.executable, __file__, "--worker", name, "--seconds", str(int(share - spent)),
                                   "--stats", str(stats_path), "--findings", str(findings)],
                                  capture_output=True, text=True)
            log = proc.stdout + proc.stderr
            (findings / f"{name}.log").open("a").write(log[-20000:])
            done = re.findall(r"Done (\d+) runs", log)
            runs += int(done[-1]) if done else 0
            if proc.returncode != 0:
                crashes += 1
            spent = time.monotonic() - started
        stats = json.loads(stats_path.read_text()) if stats_path.exists() else {}
        row = {"target": name, "seconds": round(spent), "executions": max(runs, int(stats.get("executions", 0))),
               "crashes": crashes, "slowest_s": round(float(stats.get("slowest_s", 0.0)), 3),
               "slowest_input": str(stats.get("slowest_input", ""))[:120], "engine": stats.get("engine", "")}
        summary.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    (findings / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1))
    bad = [r for r in summary if r["crashes"] or r["slowest_s"] > SLOW]
    print(f"{sum(r['executions'] for r in summary)} executions, {sum(r['crashes'] for r in summary)} crashes, "
          f"slowest {max((r['slowest_s'] for r in summary), default=0)} s", flush=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
