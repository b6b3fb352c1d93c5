"""Batch grading and sweeps against the floor and two rules-engine peers, all measured in this run.

- batch: N synthetic communes (metric sets of the largest framework) scored, ranked
  exactly and classified — parscore's vectorised engine vs
  * the floor: a hand-written numpy evaluation of the same leaves, ranked with argsort;
  * zen-engine: the same leaves as GoRules decision tables, one evaluation per commune;
  * durable-rules: each commune's metrics posted to a Rete ruleset, its state deleted after
    each (it keeps at most 1024 live sessions per ruleset and crashes from threads, so it
    runs alone in a child process, and only on the first --durable-rows communes).
- sweep: a 100,000-point grid of two metrics, parscore's `sweep` vs the floor on the same frame.

    pip install -e '.[bench]'            # the peers
    python benchmarks/bench_batch.py [--rows 10000] [--durable-rows 2000]
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from common import numpy_floor, synthetic_frame, timed  # noqa: E402

from parscore import api  # noqa: E402
from parscore.planning.batch import ranks  # noqa: E402
from parscore.scoring.engine import score_frame  # noqa: E402
from parscore.kinds.base import PRESENT, col  # noqa: E402
from parscore.metrics.columns import calendar_col  # noqa: E402


# ---- inputs as plain dicts (what a rules engine consumes) -----------------------------------

def commune_facts(fw, frame, i):
    """One commune's metrics as a flat dict: rates as floats, absent or not applicable as missing."""
    out = {}
    for leaf in fw.leaves:
        for m in leaf.view.metrics.values():
            if frame[col(m.name, "state")].iat[i] != PRESENT:
                continue
            if m.unit == "ratio":
                den = frame[col(m.name, "den")].iat[i]
                if den:
                    out[m.name] = float(frame[col(m.name, "num")].iat[i]) / float(den)
            elif m.unit == "count":
                out[m.name] = int(frame[col(m.name, "n")].iat[i])
            elif m.unit == "date":
                out[m.name] = int(frame[col(m.name, "day")].iat[i])
            elif m.unit == "date_series":
                p = leaf.view.params
                for k, d in p.due:
                    out[f"{m.name}__{k}"] = int(frame[col(f"{m.name}@{k}", "day")].iat[i])
                    # a leaf dated by its province's report calendar has a due day per commune
                    out[f"due__{m.name}__{k}"] = int(frame[calendar_col(p.calendar, k)].iat[i]) if p.calendar else d
        if leaf.kind == "manual" and frame[col(f"manual:{leaf.id}", "state")].iat[i] == PRESENT:
            out[f"manual_{leaf.id.replace('.', '_')}"] = float(frame[col(f"manual:{leaf.id}", "num")].iat[i]) / float(frame[col(f"manual:{leaf.id}", "den")].iat[i])
    return out


def _plain(x: float) -> str:
    """A float without exponent notation, which durable-rules cannot parse."""
    return f"{x:.15f}".rstrip("0").rstrip(".")


def leaf_rules(leaf):
    """(field, [(condition, points-or-expression)]) for one leaf, conditions in first-hit order."""
    p, mx = leaf.view.params, float(leaf.max_points)
    m = next(iter(leaf.view.metrics.values())).name if leaf.view.metrics else None
    k = leaf.kind
    if k == "bands":
        scale = 1.0
        # "trên x %" is strictly above: the float rate must clear the threshold, not touch it
        return m, [(f"> {_plain(float(b.at_least) * scale + 0.000000000001)}" if b.strict
                    else f">= {_plain(float(b.at_least) * scale - 0.000000000001)}", str(float(b.points))) for b in p.bands] + [("", "0")]
    if k == "pro_rata":
        t = float(p.full_from)
        rules = [(f">= {_plain(t - 0.000000000001)}", str(mx))]
        if p.floor is not None:
            rules.append((f"< {float(p.floor) - 0.000000000001}", "0"))
        return m, rules + [("", f"{m} * {mx} / {t}")]
    if k == "all_of":
        return m, [(">= 0.999999999", str(mx)), ("", "0")]
    if k == "count_at_least":
        return m, [(f">= {p.at_least}", str(mx)), ("", "0")]
    if k == "document":
        return m, ([(f"<= {p.due}", str(mx)), ("", str(float(p.late_points)))] if p.due is not None else [("", str(mx))])
    if k == "deadlines":
        terms = " + ".join(f"({p.metric}__{key} <= due__{p.metric}__{key} + {p.grace_days} ? 1 : 0)" for key, _ in p.due)
        return None, [("", f"({terms}) * {mx} / {len(p.due)}")]
    if k == "manual":
        return f"manual_{leaf.id.replace('.', '_')}", [("", f"manual_{leaf.id.replace('.', '_')}")]
    if k == "bonus":
        return m, [(f">= {float(p.cap / p.per_occurrence)}", str(float(p.cap))), ("", f"{m} * {float(p.per_occurrence)}")]
    if k == "penalty":
        return m, [(f">= {float(p.cap / p.per_occurrence)}", str(-float(p.cap))), ("", f"-({m} * {float(p.per_occurrence)})")]
    raise ValueError(k)


# ---- zen-engine ------------------------------------------------------------------------------

def zen_model(fw):
    nodes = [{"id": "in", "type": "inputNode", "name": "in", "position": {"x": 0, "y": 0}},
             {"id": "out", "type": "outputNode", "name": "out", "position": {"x": 0, "y": 0}}]
    edges = []
    for n, leaf in enumerate(fw.leaves):
        field, rules = leaf_rules(leaf)
        tid = f"t{n}"
        inputs = [{"id": "c", "type": "expression", "field": field, "name": "c"}] if field else []
        out = f"p{n}"
        jr = []
        if field:  # an absent metric earns nothing
            jr.append({"_id": "null", "c": "== null", "o": "0"})
        for j, (cond, value) in enumerate(rules):
            rule = {"_id": str(j), "o": value}
            if field:
                rule["c"] = cond
            jr.append(rule)
        nodes.append({"id": tid, "type": "decisionTableNode", "name": tid, "position": {"x": 0, "y": 0},
                      "content": {"hitPolicy": "first", "inputs": inputs,
                                  "outputs": [{"id": "o", "type": "expression", "field": out, "name": out}], "rules": jr}})
        edges += [{"id": f"a{n}", "sourceId": "in", "targetId": tid, "type": "edge"},
                  {"id": f"b{n}", "sourceId": tid, "targetId": "out", "type": "edge"}]
    return json.dumps({"contentType": "application/vnd.gorules.decision", "nodes": nodes, "edges": edges})


def run_zen(fw_id, facts, queue):
    import zen
    fw = api.load_framework(fw_id)
    decision = zen.ZenEngine().create_decision(zen_model(fw))
    adjust = {f"p{n}" for n, leaf in enumerate(fw.leaves) if leaf.kind_impl.adjustment}
    cap = next((float(b.cap) for b in fw.blocks if b.role == "adjustment" and b.cap is not None), np.inf)
    t0 = time.perf_counter()
    totals = []
    for f in facts:
        res = decision.evaluate(f)["result"]
        adj = sum(v for k, v in res.items() if k in adjust)
        totals.append(sum(v for k, v in res.items() if k not in adjust) + max(-cap, min(cap, adj)))
    order = np.argsort(-np.array(totals), kind="stable")
    queue.put((time.perf_counter() - t0, totals, len(order)))


# ---- durable-rules ---------------------------------------------------------------------------

def _deadline_action(points, p, mx):
    # durable-rules accepts actions of exactly one parameter: the values are bound by this closure
    def act(c):
        on = sum(1 for key, _ in p.due if getattr(c.m, f"{p.metric}__{key}") <= getattr(c.m, f"due__{p.metric}__{key}") + p.grace_days)
        points[c.m.sid] = points.get(c.m.sid, 0) + mx * on / len(p.due)
    return act


def _points_action(points, value, field):
    def act(c):
        try:
            v = float(value)
        except ValueError:
            if value == field:  # a manual score: the points are the field itself
                points[c.m.sid] = points.get(c.m.sid, 0) + getattr(c.m, field)
                return
            # pro rata, bonus, penalty: a linear expression of the field
            x = getattr(c.m, field)
            parts = value.replace("(", "").replace(")", "").replace("-", "").split("*")
            v = x * float(parts[1].split("/")[0]) / (float(value.split("/")[1]) if "/" in value else 1.0)
            v = -v if value.startswith("-") else v
        points[c.m.sid] = points.get(c.m.sid, 0) + v
    return act


def run_durable(fw_id, facts, queue):
    from durable.lang import assert_fact, delete_state, m, ruleset, when_all
    fw = api.load_framework(fw_id)
    points: dict[str, float] = {}
    with ruleset("par"):
        for n, leaf in enumerate(fw.leaves):
            field, rules = leaf_rules(leaf)
            if field is None:  # deadlines: one rule computing the share on time
                p = leaf.view.params
                mx = float(leaf.max_points)

                when_all(getattr(m, f"{p.metric}__{p.due[0][0]}") > -1)(_deadline_action(points, p, mx))
                continue
            earlier = []  # first-hit semantics: a later rule excludes what the earlier ones matched
            for cond, value in rules:
                f = getattr(m, field)
                cond_expr = f > -1000000000  # durable-rules rejects exponent notation (error 204)
                if cond.startswith(">="):
                    x = float(cond[2:])
                    cond_expr, exclude = f >= x, f < x
                elif cond.startswith(">"):
                    x = float(cond[1:])
                    cond_expr, exclude = f > x, f <= x
                elif cond.startswith("<="):
                    x = float(cond[2:])
                    cond_expr, exclude = f <= x, f > x
                elif cond.startswith("<"):
                    x = float(cond[1:])
                    cond_expr, exclude = f < x, f >= x
                else:
                    exclude = None
                for e in earlier:
                    cond_expr = cond_expr & e
                if exclude is not None:
                    earlier.append(exclude)
                when_all(cond_expr)(_points_action(points, value, field))

    t0 = time.perf_counter()
    for i, f in enumerate(facts):
        sid = str(i)
        try:
            # A fact, not an event: a posted event is consumed by the first rule that matches, so only one
            # leaf would score; a fact is seen by every rule.
            assert_fact("par", {"sid": sid, **f})
        except Exception:  # durable-rules raises when no rule matches a fact: that commune earns nothing here
            pass
        delete_state("par", sid)  # one live session at a time: the 1024-session limit never bites
    queue.put((time.perf_counter() - t0, [points.get(str(i), 0.0) for i in range(len(facts))], len(facts)))


def in_child(target, *args):
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=target, args=(*args, q))
    p.start()
    import queue as _queue
    while True:  # a peer that crashes (durable-rules can segfault) must not hang the benchmark
        try:
            out = q.get(timeout=5)
            break
        except _queue.Empty:
            if not p.is_alive():
                raise RuntimeError(f"{target.__name__} died (exit code {p.exitcode})") from None
    p.join()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--durable-rows", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    fw = max(api.frameworks(), key=lambda f: len(f.leaves))
    frame = synthetic_frame(fw, args.rows)
    codes = np.array([float(b.min_index) for b in fw.classification])

    def parscore_batch():
        table = score_frame(fw, frame)
        rank = ranks(table)
        return table, rank, np.bincount(table.class_index + 1, minlength=len(codes) + 1)

    def floor_batch():
        pts = numpy_floor(fw, frame)
        order = np.argsort(-pts, kind="stable")
        return pts, order
    t_ps, (table, _, _) = timed(parscore_batch, args.repeat)
    t_fl, (floor_pts, _) = timed(floor_batch, args.repeat)
    assert np.max(np.abs(table.points - floor_pts)) < 1e-6, "the floor computes different points"
    print(f"framework {fw.id} ({len(fw.leaves)} leaves); batch of {args.rows:,} synthetic communes")
    print(f"  parscore (score + exact ranks + classes): {t_ps * 1000:9.1f} ms  {args.rows / t_ps:>12,.0f} communes/s")
    print(f"  numpy floor (same leaves + argsort)     : {t_fl * 1000:9.1f} ms  {args.rows / t_fl:>12,.0f} communes/s   parscore/floor = {t_ps / t_fl:.2f}×")
    # ---- a 100,000-point sweep --------------------------------------------------------------
    from parscore.scoring.frame import Subject
    from parscore.planning.sweep import parse_axis, sweep
    base = Subject("synthetic", {}, {})
    ex = Path(__file__).resolve().parents[1] / "examples" / "nhon-hau-2025"
    if ex.exists():
        b = api.load_bundle(ex)
        fw2 = api.load_framework("reference-par-2025")
        base = Subject(b.name, b.metrics, b.manual)
    else:
        fw2 = fw
    axes = [parse_axis("dossier_on_time_rate=90:100:0,01", fw2, api.catalogue()), parse_axis("sipas_access=0:99:1", fw2, api.catalogue())]
    t_sw, (out, sw_table) = timed(lambda: sweep(fw2, base, axes), args.repeat, warmup=3)
    t_sf, _ = timed(lambda: score_frame(fw2, sw_table.frame), args.repeat, warmup=3)
    t_sfl, sfl = timed(lambda: numpy_floor(fw2, sw_table.frame), args.repeat, warmup=3)
    assert np.max(np.abs(sfl - sw_table.points)) < 1e-6
    n = len(out)
    print(f"sweep of {n:,} points ({fw2.id})")
    print(f"  parscore sweep end to end (grid + score + table): {t_sw * 1000:8.1f} ms  {n / t_sw:>12,.0f} points/s")
    print(f"  parscore scoring of the grid                    : {t_sf * 1000:8.1f} ms  {n / t_sf:>12,.0f} points/s   "
          f"scoring/floor = {t_sf / t_sfl:.2f}×, end to end/floor = {t_sw / t_sfl:.2f}×")
    print(f"  numpy floor on the same grid                    : {t_sfl * 1000:8.1f} ms  {n / t_sfl:>12,.0f} points/s")
    facts = [commune_facts(fw, frame, i) for i in range(args.rows)]
    try:
        t_zen, zen_totals, _ = in_child(run_zen, fw.id, facts)
        diff = float(np.max(np.abs(np.array(zen_totals) - table.points)))
        print(f"  zen-engine decision tables              : {t_zen * 1000:9.1f} ms  {args.rows / t_zen:>12,.0f} communes/s   "
              f"parscore is {t_zen / t_ps:,.0f}× faster (max |total diff| {diff:.1e})")
    except (ImportError, RuntimeError) as exc:
        print(f"  zen-engine: could not run ({exc}); pip install -e '.[bench]'")
    n_d = min(args.durable_rows, args.rows)
    try:
        t_dur, dur_totals, _ = in_child(run_durable, fw.id, facts[:n_d])
        diff = float(np.max(np.abs(np.array(dur_totals) - table.points[:n_d])))
        print(f"  durable-rules (first {n_d:,}, state deleted after each): {t_dur * 1000:9.1f} ms  {n_d / t_dur:>12,.0f} communes/s   "
              f"parscore is {(t_dur / n_d) / (t_ps / args.rows):,.0f}× faster per commune (max |total diff| {diff:.1e})")
    except (ImportError, RuntimeError) as exc:
        print(f"  durable-rules: could not run ({exc}); pip install -e '.[bench]'")



if __name__ == "__main__":
    main()
