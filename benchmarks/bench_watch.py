"""`parscore watch` at province size: events per second and memory per open dossier, against the oracle.

A province: 300 communes, 3,000,000 dossiers in a year (10,000 each), made by replicating
one example commune's event stream (`parscore.watch.generate.replicate`), replayed day by
day through the durable-rules child. The plain-Python/pandas oracle of the test-suite
(`tests/watch_oracle.py`) computes the same alerts from the same events in the same run;
the two alert lists are compared before any figure is printed.

    python benchmarks/bench_watch.py --scale 0.01     # 300 communes x 100 dossiers (30,000 dossiers)
    python benchmarks/bench_watch.py                  # the full province (3 M dossiers: hours, and ~10 GB)

Memory: the child's resident memory (durable-rules' Rete state) is sampled after each day;
"per open dossier" is its growth over the empty engine divided by the dossiers open at
that moment, taken at the day with the most open dossiers. The parent's ledger (Python
records) is measured the same way from this process's resident memory.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import watch_oracle  # noqa: E402

from parscore import api  # noqa: E402
from parscore.watch import generate, runner  # noqa: E402
from parscore.watch.events import in_time_order  # noqa: E402
from parscore.watch.rules import load_rules  # noqa: E402


def rss(pid: int | str = "self") -> int:
    """Resident memory in bytes (Linux /proc)."""
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=1.0, help="share of the 10,000 dossiers per commune (default 1)")
    ap.add_argument("--communes", type=int, default=300)
    ap.add_argument("--example", default="nhon-hau-2025", help="the commune whose stream is replicated")
    args = ap.parse_args()
    per_commune = max(1, round(10_000 * args.scale))
    rules = load_rules(None, api.catalogue())

    t0 = time.perf_counter()
    base = generate.from_bundle(api.load_bundle(ROOT / "examples" / args.example))
    events = in_time_order(generate.replicate(base, args.communes, per_commune))
    made = time.perf_counter() - t0
    dossiers = args.communes * per_commune
    print(f"province: {args.communes} communes x {per_commune:,} dossiers = {dossiers:,} dossiers, "
          f"{len(events):,} events over {(events[-1].day - events[0].day).days + 1} days "
          f"(scale {args.scale}; generated in {made:.1f} s)")

    # durable-rules, in its child process, day by day
    run = runner.Runner(rules)
    child_empty = rss(run.child.proc.pid)
    parent_before = rss()
    peak = (0, 0, 0)  # open dossiers, child growth, parent growth at that moment
    alerts = []
    durable_s = 0.0
    for day, todays in runner.days(events):
        t0 = time.perf_counter()
        alerts.extend(run.day(day, todays))
        durable_s += time.perf_counter() - t0
        open_now = sum(1 for c in run.ledger.communes.values() for (t, _), r in c.records.items()
                       if t == "dossiers" and r.end is None)
        if open_now > peak[0]:
            peak = (open_now, rss(run.child.proc.pid) - child_empty, rss() - parent_before)
    restarts = run.restarts
    run.close()
    got = sorted(((f.rule, f.commune, f.table, f.record, f.day) for f in alerts),
                 key=lambda x: (x[4], x[1], x[0], x[2], x[3]))

    t0 = time.perf_counter()
    want = watch_oracle.alerts(events, rules)
    oracle_s = time.perf_counter() - t0
    if got != want:
        print(f"DISAGREE: durable-rules {len(got)} alerts, oracle {len(want)}; "
              f"first difference: {sorted(set(got) ^ set(want))[:3]}")
        return 1
    print(f"agree: {len(got):,} alerts, alert for alert")
    print(f"durable-rules child: {len(events) / durable_s:,.0f} events/s ({durable_s:.1f} s; {restarts} restarts)")
    print(f"pandas oracle:       {len(events) / oracle_s:,.0f} events/s ({oracle_s:.1f} s)")
    print(f"ratio durable-rules / oracle: {oracle_s / durable_s:.2f}x the oracle's speed")
    if peak[0]:
        print(f"memory at the peak of {peak[0]:,} open dossiers: child (durable-rules) "
              f"{peak[1] / peak[0]:,.0f} bytes per open dossier; parent (ledger) {peak[2] / peak[0]:,.0f} bytes "
              f"per open dossier (the ledger also keeps closed records until their commune closes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
