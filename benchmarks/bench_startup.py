"""Start-up: how long a user waits for `parscore --help` and `parscore score` of an example, against
`python -c "import pandas"` (the floor: scoring needs pandas, so no command that scores can start faster).

Each command runs as a fresh subprocess, hyperfine-style: warm-up runs, then the median of --runs runs,
interleaved round by round so that other load on the machine weighs on every command alike.
The on-disk caches (compiled frameworks and catalogue) are warmed by the warm-up runs, as they are for a
user after the first run; `--cold` also times one run with an empty cache.

    python benchmarks/bench_startup.py [--runs 15] [--example dao-xa-2025] [--cold] [--no-bytecode]

Bytecode: pandas is timed with the .pyc files pip wrote when it installed it, and so is parscore — a
`pip install parscore` compiles it too. An editable checkout run with PYTHONDONTWRITEBYTECODE=1 (as some
sandboxes set) would instead recompile parscore's ~150 modules on every run (0.3–0.5 s), a cost no installed
user pays; the variable is therefore dropped for the timed commands. `--no-bytecode` keeps it, to show that cost.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


# The third-party modules a warm `parscore score` of a folder bundle imports (pyarrow reads, DuckDB derives, rich
# draws; jsonschema only for a document not seen valid before).
LIBRARIES = "import pandas, pyarrow.csv, pyarrow.compute, duckdb, rich.table, yaml, click"

CPU: list[float] = []  # CPU seconds (user + system) of the last runs, less sensitive than wall time to other load


def run_times(cmd: list[str], runs: int, warmup: int, env: dict[str, str]) -> list[float]:
    for _ in range(warmup):
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    out = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        out.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return out


# Drawing the example's score tables with rich, in a fresh process once its results are computed: the first
# drawing (what one `parscore score` pays) and the fastest of five more. Printed as seconds.
DRAWING = """
import sys, time
from parscore import api
from parscore.render import terminal
results = api.score_bundle_all(sys.argv[1])
times = []
for _ in range(6):
    t = time.perf_counter()
    terminal.render(results, "vi")
    times.append(time.perf_counter() - t)
print(times[0], min(times[1:]))
"""


def drawing_time(example: str, env: dict[str, str]) -> tuple[float, float]:
    out = subprocess.run([sys.executable, "-c", DRAWING, example], check=True, capture_output=True, text=True, env=env)
    first, best = out.stdout.split()
    return float(first), float(best)


def parscore_cmd(*args: str) -> list[str]:
    exe = shutil.which("parscore", path=str(Path(sys.executable).parent)) or shutil.which("parscore")
    return [exe, *args] if exe else [sys.executable, "-m", "parscore", *args]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--example", default="dao-xa-2025")
    ap.add_argument("--cold", action="store_true", help="also time one run of score with an empty cache")
    ap.add_argument("--no-bytecode", action="store_true", help="keep PYTHONDONTWRITEBYTECODE (parscore recompiled each run)")
    args = ap.parse_args()
    env = dict(os.environ)
    if not args.no_bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    example = str(ROOT / "examples" / args.example)
    rows = sum(1 for _ in open(Path(example) / "dossiers.csv", encoding="utf-8")) - 1
    cases = [
        ("python -c 'import pandas' (floor)", [sys.executable, "-c", "import pandas"]),
        ("python -c 'pass'", [sys.executable, "-c", "pass"]),
        ("parscore --help", parscore_cmd("--help")),
        (f"parscore score {args.example} ({rows:,} dossiers)", parscore_cmd("score", example)),
        (f"parscore score {args.example} --format json", parscore_cmd("score", example, "--format", "json")),
        # What `score` cannot go below: the libraries it runs on, imported and nothing done.
        ("python -c 'import <score's libraries>'", [sys.executable, "-c", LIBRARIES]),
    ]
    # Interleaved (each round runs every command once), so that a busy machine slows all of them alike.
    for _label, cmd in cases:
        run_times(cmd, 0, args.warmup, env)
    times: dict[str, list[float]] = {label: [] for label, _ in cases}
    cpu: dict[str, list[float]] = {label: [] for label, _ in cases}
    for _ in range(args.runs):
        for label, cmd in cases:
            times[label] += run_times(cmd, 1, 0, env)
            cpu[label].append(CPU[-1])
    medians: dict[str, float] = {}
    for label, _ in cases:
        t = times[label]
        medians[label] = statistics.median(t)
        print(f"{label:<55} median {medians[label] * 1000:7.1f} ms  (min {min(t) * 1000:7.1f}, "
              f"max {max(t) * 1000:7.1f}, n={len(t)})  CPU median {statistics.median(cpu[label]) * 1000:7.1f} ms")
    floor = medians[cases[0][0]]
    print(f"ratio --help / import pandas : {medians[cases[2][0]] / floor:.2f}×  (goal ≤ 1.1×)")
    print(f"ratio score / import pandas  : {medians[cases[3][0]] / floor:.2f}×  (goal ≤ 1.5×)")
    libs = medians[cases[5][0]]
    print(f"score's libraries alone ({LIBRARIES.removeprefix('import ')}): {libs / floor:.2f}× import pandas, "
          f"{libs / medians[cases[3][0]]:.0%} of score's time")
    first, best = drawing_time(example, env)
    print(f"drawing score's tables with rich alone (in-process, results computed): first {first * 1000:.0f} ms = "
          f"{first / floor:.2f}× import pandas (later drawings {best * 1000:.0f} ms); libraries + drawing = "
          f"{(libs + first) / floor:.2f}×")
    cpu_floor = statistics.median(cpu[cases[0][0]])
    print(f"CPU ratios: --help {statistics.median(cpu[cases[2][0]]) / cpu_floor:.2f}×, "
          f"score {statistics.median(cpu[cases[3][0]]) / cpu_floor:.2f}×")
    if args.cold:
        with tempfile.TemporaryDirectory() as tmp:
            cold_env = {**env, "XDG_CACHE_HOME": tmp}
            t = run_times(parscore_cmd("score", example), 1, 0, cold_env)[0]
            print(f"parscore score, empty cache (first run)              {t * 1000:7.1f} ms  "
                  f"ratio {t / floor:.2f}×")


if __name__ == "__main__":
    main()
