"""`parscore watch` at province size: events per second and memory per open dossier, against the oracle.

A province: 300 communes, 3,000,000 dossiers in a year (10,000 each), made by replicating
one example commune's event stream (`parscore.watch.generate.province`, generated day by day
as it is read: the year's events are never all in memory), replayed day by day through the
durable-rules child. The plain-Python/pandas oracle of the test-suite (`tests/watch_oracle.py`)
computes the same alerts from the same stream (generated again) in the same run; the two alert
lists are compared before the figures are printed.

    python benchmarks/bench_watch.py --scale 0.01     # 300 communes x 100 dossiers (30,000 dossiers)
    nohup python benchmarks/bench_watch.py > bench_watch.log &   # the full province (hours on 2 cores)

Memory: resident memory is sampled after each day, for the child (durable-rules' Rete state)
and for this process (the runner's ledger: every record seen, open or closed); "per open
dossier" is each one's growth over its start divided by the dossiers open at the day with the
most open dossiers. A progress line is printed every 30 days, so a run stopped early still
tells its rate.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import watch_oracle  # noqa: E402

from parscore import api  # noqa: E402
from parscore.watch import generate, runner  # noqa: E402
from parscore.watch.events import Event  # noqa: E402
from parscore.watch.rules import load_rules  # noqa: E402

ENDS = ("finished", "returned", "stopped")


def rss(pid: int | str = "self") -> int:
    """Resident memory in bytes (Linux /proc)."""
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def peak_rss() -> int:
    """This process's peak resident memory in bytes."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def say(text: str) -> None:
    print(text, flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--scale", type=float, default=1.0, help="share of the 10,000 dossiers per commune (default 1)")
    ap.add_argument("--communes", type=int, default=300)
    ap.add_argument("--example", default="nhon-hau-2025", help="the commune whose stream is replicated")
    args = ap.parse_args()
    per_commune = max(1, round(10_000 * args.scale))
    rules = load_rules(None, api.catalogue())
    base = generate.from_bundle(api.load_bundle(ROOT / "examples" / args.example))

    def stream() -> Iterator[Event]:
        return generate.province(base, args.communes, per_commune)

    say(f"province: {args.communes} communes x {per_commune:,} dossiers = {args.communes * per_commune:,} dossiers "
        f"(scale {args.scale}), replicated from {args.example} ({len(base):,} events)")

    # durable-rules, in its child process, day by day; the stream is generated as it is read.
    run = runner.Runner(rules)
    child_start, parent_start = rss(run.child.proc.pid), rss()
    open_now: set[tuple[str, str]] = set()
    peak = (0, 0, 0, 0)  # open dossiers, child growth, parent growth, facts in the engine at that moment
    got: list[tuple[str, str, str, str, dt.date]] = []
    events = days = 0
    durable_s = 0.0
    started = time.perf_counter()
    for day, todays in runner.days(stream()):
        t0 = time.perf_counter()
        fired = run.day(day, todays)
        durable_s += time.perf_counter() - t0
        got.extend((f.rule, f.commune, f.table, f.record, f.day) for f in fired)
        events += len(todays)
        days += 1
        for e in todays:
            if e.table != "dossiers":
                continue
            if e.type == "received":
                open_now.add((e.commune, e.record))
            elif e.type in ENDS:
                open_now.discard((e.commune, e.record))
        if len(open_now) > peak[0]:
            peak = (len(open_now), rss(run.child.proc.pid) - child_start, rss() - parent_start, run.in_engine)
        if days % 30 == 0:
            say(f"  day {days} ({day}): {events:,} events, {events / durable_s:,.0f} events/s in the engine "
                f"({time.perf_counter() - started:,.0f} s wall), {len(open_now):,} open dossiers, "
                f"{run.in_engine:,} facts in durable-rules, child {rss(run.child.proc.pid) / 2**20:,.0f} MiB, "
                f"parent {rss() / 2**20:,.0f} MiB, {len(got):,} alerts")
    restarts, retired, child_end = run.restarts, run.retired, rss(run.child.proc.pid)
    run.close()
    del run
    say(f"durable-rules done: {events:,} events over {days} days in {durable_s:,.1f} s; {len(got):,} alerts; "
        f"{retired:,} closed records retired from the engine; child at the end {child_end / 2**20:,.0f} MiB")
    got.sort(key=lambda x: (x[4], x[1], x[0], x[2], x[3]))

    t0 = time.perf_counter()
    want = watch_oracle.alerts(stream(), rules)
    oracle_s = time.perf_counter() - t0
    if got != want:
        say(f"DISAGREE: durable-rules {len(got)} alerts, oracle {len(want)}; "
            f"first differences: {sorted(set(got) ^ set(want), key=str)[:3]}")
        return 1
    say(f"agree: {len(got):,} alerts, alert for alert")
    say(f"durable-rules child: {events / durable_s:,.0f} events/s ({durable_s:,.1f} s; {restarts} restarts)")
    say(f"pandas oracle:       {events / oracle_s:,.0f} events/s ({oracle_s:,.1f} s)")
    say(f"ratio: durable-rules runs at {oracle_s / durable_s:.2f}x the oracle's speed")
    if peak[0]:
        say(f"memory at the peak of {peak[0]:,} open dossiers ({peak[3]:,} facts in durable-rules): child "
            f"{peak[1] / peak[0]:,.0f} bytes per open dossier; parent (ledger of every record seen) "
            f"{peak[2] / peak[0]:,.0f} bytes per open dossier; this process's peak {peak_rss() / 2**20:,.0f} MiB "
            f"(the oracle's whole event table included)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
