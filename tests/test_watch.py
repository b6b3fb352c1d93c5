"""parscore watch: durable-rules against the pandas oracle, sessions beyond the cap, a killed child, inputs.

The oracle (`tests/watch_oracle.py`) computes the alerts from the same events without
durable-rules. The five examples' full-year streams are compared alert for alert (rule,
commune, record and day).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
import sys
import time
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import watch_oracle
from click.testing import CliRunner

from parscore import api
from parscore.cli import main
from parscore.core.workcalendar import calendar_for
from parscore.core.errors import InputErrors
from helpers import durable_rules_runs
from parscore.watch import events as ev
from parscore.watch import exports, generate, replay, runner
from parscore.watch.calendar import Calendar
from parscore.watch.rules import load_rules
from parscore.watch.runner import Runner
from parscore.watch.stake import Stakes
from parscore.watch.state import Ledger

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ["nhon-hau-2025", "dao-xa-2025", "anh-son-2025", "trieu-an-2023", "hop-tien-2025h2"]

HAVE_DURABLE = durable_rules_runs()
needs_durable = pytest.mark.skipif(not HAVE_DURABLE, reason="durable-rules cannot be imported in this Python "
                                   "(it has no build for Python >= 3.13); the oracle tests need its child process")


@pytest.fixture(scope="module")
def rules():
    return load_rules(None, api.catalogue())


def _durable(events, rules, **kw):
    run = Runner(rules, **kw)
    try:
        report = replay.replay(events, run)
    finally:
        run.close()
    got = [(a.fired.rule, a.fired.commune, a.fired.table, a.fired.record, a.fired.day) for a in report.alerts]
    return sorted(got, key=lambda x: (x[4], x[1], x[0], x[2], x[3])), report, run


@needs_durable
@pytest.mark.parametrize("name", EXAMPLES)
def test_durable_rules_agree_with_the_oracle_alert_for_alert(name, rules):
    events = generate.from_bundle(api.load_bundle(ROOT / "examples" / name))
    got, report, run = _durable(events, rules)
    want = watch_oracle.alerts(events, rules)
    assert got == want  # the oracle keeps every record: retiring closed ones from durable-rules changed no alert
    records = sum(len(c.records) for c in run.ledger.communes.values())
    assert run.retired > 0 and run.in_engine < records / 4  # durable-rules holds the open and recent records only
    assert len(got) > 100 and len({a[0] for a in got}) >= 5  # a real stream, most rules exercised
    assert report.restarts <= 1  # see docs/watch.md: durable-rules has crashed (SIGSEGV) here, rarely; a restart recovers


def _province(communes: int, days: int = 5) -> list[ev.Event]:
    """A small synthetic stream: each commune two dossiers; some late, some with two supplement requests,
    each commune closed on the last day (its session is deleted)."""
    start = dt.datetime(2025, 3, 3, 8)
    out = []
    for c in range(communes):
        code = f"xa-{c:04d}"
        out.append(ev.Event(0, code, "dossiers", "A", "received", start, {"due_at": "2025-03-05T17:00:00"}))
        out.append(ev.Event(0, code, "dossiers", "B", "received", start, {"legal_days": 1}))
        if c % 3 == 0:
            out.append(ev.Event(0, code, "dossiers", "A", "supplement_requested", start + dt.timedelta(hours=2)))
            out.append(ev.Event(0, code, "dossiers", "A", "supplement_requested", start + dt.timedelta(days=1)))
        if c % 2 == 0:
            out.append(ev.Event(0, code, "dossiers", "B", "finished", start + dt.timedelta(days=3)))
        out.append(ev.Event(0, code, "commune", "", "closed", start + dt.timedelta(days=days - 1)))
    out.sort(key=lambda e: e.at)
    return [dataclasses.replace(e, seq=i) for i, e in enumerate(out, 1)]


@needs_durable
def test_two_thousand_communes_run_to_the_end_sharded_below_the_session_cap(rules):
    events = _province(2000)
    got, report, run = _durable(events, rules)
    assert got == watch_oracle.alerts(events, rules)
    assert report.max_live == 2000 and run.live == 0  # every session was deleted when its commune closed
    assert max(run.live_in_shard) == 1  # two rulesets, each at most 1,000 live sessions
    assert len(got) >= 2000


@needs_durable
def test_a_small_cap_spreads_communes_over_more_rulesets(rules):
    events = _province(120)
    got, _, run = _durable(events, rules, cap=25)
    assert got == watch_oracle.alerts(events, rules)
    assert len(run.live_in_shard) == 5


@needs_durable
def test_killing_the_child_mid_stream_loses_and_duplicates_no_alert(rules):
    events = generate.from_bundle(api.load_bundle(ROOT / "examples" / "dao-xa-2025"))
    want, _, _ = _durable(events, rules)
    kills = {3: 0.0, 40: 0.02, 41: 0.0, 150: 0.05, 151: 0.2, 300: 0.01}

    def kill(n, child):
        if n in kills:
            time.sleep(kills.pop(n))  # sometimes before, sometimes during, sometimes after its answer
            child.proc.kill()
            child.proc.wait()

    got, report, _ = _durable(events, rules, after_send=kill)
    assert report.restarts == 6
    assert len(got) == len(set(got))
    assert got == want


def _holiday_stream() -> list[ev.Event]:
    """One commune in 2025, a dossier at each turn of the state's calendar: Tết (27–31/1 off), Quốc khánh
    (1–2/9 off) and the make-up Saturday 26/4 (worked for Friday 2/5)."""
    at = dt.datetime
    out = [
        # Tết: 5 working days from Monday 20/1 end on 3/2, not 27/1; finished on 3/2, on time.
        ev.Event(0, "xa-tet", "dossiers", "TET", "received", at(2025, 1, 20, 8), {"legal_days": 5}),
        ev.Event(0, "xa-tet", "dossiers", "TET", "finished", at(2025, 2, 3, 16)),
        # 2/9: due Wednesday 3/9; on Friday 29/8 that is 1 working day away (1–2/9 are off), not 3.
        ev.Event(0, "xa-tet", "dossiers", "QK", "received", at(2025, 8, 25, 8), {"due_at": "2025-09-03T17:00:00"}),
        ev.Event(0, "xa-tet", "dossiers", "QK", "finished", at(2025, 9, 3, 10)),
        # Make-up Saturday 26/4: 1 working day from Friday 25/4 is that Saturday; finished Monday 28/4, late.
        ev.Event(0, "xa-tet", "dossiers", "LB", "received", at(2025, 4, 25, 8), {"legal_days": 1}),
        ev.Event(0, "xa-tet", "dossiers", "LB", "finished", at(2025, 4, 28, 9)),
    ]
    out.sort(key=lambda e: e.at)
    return [dataclasses.replace(e, seq=i) for i, e in enumerate(out, 1)]


@needs_durable
def test_due_dates_over_tet_quoc_khanh_and_a_make_up_saturday_follow_the_scoring_calendar(rules):
    events = _holiday_stream()
    got, _, run = _durable(events, rules)
    assert got == watch_oracle.alerts(events, rules)
    d = dt.date
    assert {(rule, rec, day) for rule, _, _, rec, day in got} == {
        ("dossier_due_soon", "TET", d(2025, 1, 24)),  # due 3/2: the Friday before Tết is 1 working day before
        ("dossier_due_soon", "LB", d(2025, 4, 25)),
        ("dossier_overdue", "LB", d(2025, 4, 27)),  # due on the make-up Saturday, still open on Sunday
        ("dossier_late_no_apology", "LB", d(2025, 4, 30)),
        ("dossier_due_soon", "QK", d(2025, 8, 29)),  # 1 working day before 3/9 across the 2/9 holidays
    }
    assert "holidays:VN 2024–2030" in run.calendar.describe() and "rules/calendar/2025.yaml" in run.calendar.describe()
    # The same stream counted Monday–Friday alerts differently: Tết's dossier overdue and late, none for the
    # make-up Saturday's, Quốc khánh's three days later.
    none = np.zeros(0, dtype="datetime64[D]")
    weekdays = {(rule, rec, day) for rule, _, _, rec, day in
                watch_oracle.alerts(events, rules, calendar=watch_oracle.Days(none, none, (2024, 2030)))}
    assert ("dossier_overdue", "TET", d(2025, 1, 28)) in weekdays and ("dossier_overdue", "LB", d(2025, 4, 27)) \
        not in weekdays and ("dossier_due_soon", "QK", d(2025, 9, 2)) in weekdays


@needs_durable
def test_open_alerts_close_when_their_record_moves_on(rules):
    events = _holiday_stream()

    def still_open(now):
        run = Runner(rules)
        try:
            report = replay.replay(events, run, now=now)
        finally:
            run.close()
        return report.now, {(a.rule.id, a.fired.record) for a in report.open}

    d = dt.date
    assert still_open(d(2025, 4, 26)) == (d(2025, 4, 26), {("dossier_due_soon", "LB")})  # due on this make-up Saturday
    assert still_open(d(2025, 4, 27)) == (d(2025, 4, 27), {("dossier_overdue", "LB")})  # past due: overdue, not due soon
    assert still_open(d(2025, 4, 29))[1] == set()  # finished on 28/4 (late): nothing open until the apology is due
    assert still_open(d(2025, 5, 2))[1] == {("dossier_late_no_apology", "LB")}
    assert ("dossier_due_soon", "TET") in still_open(d(2025, 1, 31))[1]  # due 3/2, after Tết: still open during it


def test_a_legal_time_in_days_or_hours_gives_the_due_moment_scoring_computes(tmp_path):
    from parscore.evidence.derive import Context, with_computed
    folder = tmp_path / "dao-xa-2025"
    shutil.copytree(ROOT / "examples" / "dao-xa-2025", folder, ignore=shutil.ignore_patterns("expected"))
    lines = (folder / "dossiers.csv").read_text(encoding="utf-8").splitlines()
    units = ["days", "hours", "months", ""]
    rows = [lines[0] + ",legal_time_unit"] + [f"{line},{units[i % 4]}" for i, line in enumerate(lines[1:])]
    (folder / "dossiers.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    bundle = api.load_bundle(folder)
    assert bundle.evidence is not None
    table = with_computed(bundle.evidence, Context.of(bundle.period_start, bundle.period_end, bundle.province))["dossiers"]
    scoring = {str(r.id): r.base_due for r in table.itertuples() if not isinstance(r.due_at, pd.Timestamp)}
    events = {e.record: e.fields for e in generate.from_bundle(bundle) if e.type == "received" and e.record in scoring}
    moved = [rid for rid, f in events.items() if "due_at" in f]
    assert len(moved) > 10  # days, hours and months: sent as the due moment
    # watch works in days: the due date is scoring's (the moment to the second; scoring keeps nanoseconds)
    assert all(pd.Timestamp(events[rid]["due_at"]) == scoring[rid].floor("s") for rid in moved)
    cal = Calendar.around(bundle.period_start)
    assert all(pd.Timestamp(cal.add_working_days(pd.Timestamp(scoring[rid]).date(), 0)) <= scoring[rid]
               for rid, f in events.items() if "legal_days" in f)  # working days stay a legal time


def test_the_watch_calendar_is_the_scoring_calendar():
    cal = Calendar.around(dt.date(2025, 3, 1))
    scoring = calendar_for(range(2024, 2031))
    day, wd = dt.date(2023, 12, 25), cal.working_day_index(dt.date(2023, 12, 25))
    while day < dt.date(2032, 1, 10):  # across the covered years' edges: one index step per working day
        nxt = day + dt.timedelta(days=1)
        works = scoring.is_working(day) if 2024 <= day.year <= 2030 else day.weekday() < 5
        assert cal.working_day_index(nxt) - wd == int(works), day
        day, wd = nxt, cal.working_day_index(nxt)
    start = np.array(["2025-01-24", "2025-04-25", "2025-08-29"], dtype="datetime64[D]")
    for s, n in zip(start, (1, 1, 2)):
        assert np.datetime64(cal.add_working_days(s.astype(dt.date), n)) == scoring.add_working_days(
            np.array([s]), np.array([n]))[0]


def test_unknown_event_types_and_bad_lines_are_located(tmp_path):
    good = '{"commune":"x","table":"dossiers","record":"A","type":"received","at":"2025-03-03T08:00"}'
    path = tmp_path / "s.jsonl"
    path.write_text(good + "\n\n" + good.replace("received", "finished_late") + "\n", encoding="utf-8")
    with pytest.raises(InputErrors) as e, open(path, encoding="utf-8") as fh:
        list(ev.read(fh, "s.jsonl"))
    assert e.value.errors[0].file == "s.jsonl" and e.value.errors[0].line == 3
    path.write_text(good.replace('"type":"received"', '"type":"submitted"') + "\n", encoding="utf-8")
    with pytest.raises(InputErrors) as e, open(path, encoding="utf-8") as fh:
        list(ev.read(fh, "s.jsonl"))
    assert "received" in e.value.render("en") and e.value.errors[0].line == 1
    path.write_text('{"type": "tick", "at": "2025-03-03", "seq": 1.5}\n', encoding="utf-8")
    with pytest.raises(InputErrors), open(path, encoding="utf-8") as fh:
        list(ev.read(fh, "s.jsonl"))


def test_bad_alert_rules_are_all_reported_with_their_lines(tmp_path):
    (tmp_path / "a.yaml").write_text("""alerts:
- id: clock_only
  record: dossiers
  when:
  - {days_since: end, at_least: 1}
  severity: info
  stake:
  - {metric: dossier_ontime_rate, if_ignored: {numerator: -1}}
  message: {vi: "Hồ sơ {record} {__class__}", en: "Dossier {record}"}
""", encoding="utf-8")
    with pytest.raises(InputErrors) as e:
        load_rules(tmp_path, api.catalogue())
    codes = sorted(err.code for err in e.value.errors)
    assert codes == ["unknown_metric", "watch_placeholder", "watch_placeholder_mismatch", "watch_rule_catch_all"]
    text = e.value.render("en")
    assert "dossier_on_time_rate" in text  # did you mean
    assert all(err.line is not None for err in e.value.errors)


def test_exports_diff_gives_the_days_events(tmp_path):
    new = tmp_path / "new"
    shutil.copytree(ROOT / "examples" / "dao-xa-2025", new)
    old = tmp_path / "old"
    shutil.copytree(new, old)
    lines = (old / "dossiers.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    first = lines[1].split(",")
    first[header.index("finished_at")] = ""
    first[header.index("returned_at")] = ""
    (old / "dossiers.csv").write_text("\n".join([lines[0], ",".join(first)] + lines[3:]) + "\n", encoding="utf-8")
    diff = exports.diff(api.load_bundle(old), api.load_bundle(new), "dao-xa")
    got = {(e.record, e.type) for e in diff}
    second = lines[2].split(",")[0]
    assert (second, "received") in got  # a dossier that appeared
    assert any(rid == first[0] and kind in ("finished", "returned") for rid, kind in got)  # one that ended
    assert (first[0], "received") not in got
    assert all(e.commune == "dao-xa" for e in diff)


def test_stake_is_parscores_own_exact_score_difference():
    bundle = api.load_bundle(ROOT / "examples" / "dao-xa-2025")
    rules = {r.id: r for r in load_rules(None, api.catalogue())}
    stake = Stakes({"dao-xa-2025": bundle}).of(rules["task_due_soon"], "dao-xa-2025")
    assert stake is not None and stake.framework == "reference-par-2025"
    # Independently: the bundle's metric edited by hand, scored by the engine.
    fw = api.load_framework("reference-par-2025")
    v = bundle.metrics["plan_tasks_on_time_rate"]
    edited = dataclasses.replace(bundle, metrics={**bundle.metrics, v.name: dataclasses.replace(v, num=v.num - 1)})
    base, worse = api.score_loaded(fw, bundle), api.score_loaded(fw, edited)
    assert stake.points == base.total.points - worse.total.points > 0
    assert isinstance(stake.points, Fraction)
    assert dict(stake.leaves) == {leaf.id: leaf.points - worse.leaf(leaf.id).points for leaf in base.leaves
                                  if leaf.points != worse.leaf(leaf.id).points}
    assert stake.rates == (("plan_tasks_on_time_rate", v.num - 1, v.den),)
    assert Stakes({}).of(rules["task_due_soon"], "dao-xa-2025") is None


def test_facts_hold_only_whole_numbers_and_text():
    cal = Calendar.around(dt.date(2025, 7, 1))
    ledger = Ledger(cal)
    for e in generate.from_bundle(api.load_bundle(ROOT / "examples" / "hop-tien-2025h2")):
        for rec in ledger.apply(e):
            fact = rec.fact(cal)
            assert all(isinstance(x, (int, str)) and not isinstance(x, bool) for x in fact.values())
            assert "e" not in json.dumps([v for v in fact.values() if isinstance(v, int)])


@needs_durable
def test_cli_replay_prints_alerts_with_stakes_deterministically(tmp_path):
    stream = tmp_path / "s.jsonl"
    stream.write_text("".join(e.to_json() + "\n" for e in
                              generate.from_bundle(api.load_bundle(ROOT / "examples" / "dao-xa-2025"))), encoding="utf-8")
    args = ["watch", "--replay", str(stream), "--bundle", str(ROOT / "examples" / "dao-xa-2025"), "--now", "20/01/2025"]
    text = CliRunner().invoke(main, args)
    assert text.exit_code == 0, text.output
    assert "Nhiệm vụ NV-02" in text.output and "mất 1,00 điểm theo reference-par-2025 (1.2 1,00)" in text.output
    runs = [CliRunner().invoke(main, args + ["--format", "json", "--out", str(tmp_path / f"{i}.jsonl")]) for i in (1, 2)]
    assert all(r.exit_code == 0 for r in runs)
    one, two = ((tmp_path / f"{i}.jsonl").read_bytes() for i in (1, 2))
    assert one == two
    first = [json.loads(line) for line in one.decode().splitlines()]
    assert all(a["on"] <= "2025-01-20" for a in first)
    staked = next(a for a in first if a["rule"] == "task_due_soon")
    assert staked["stake"]["points"] == "1" and staked["stake"]["leaves"] == [
        {"leaf": "1.2", "points": "1", "points_display": "1,00"}]


def test_cli_says_in_one_line_when_durable_rules_cannot_run(monkeypatch, tmp_path):
    stream = tmp_path / "s.jsonl"
    stream.write_text('{"commune":"x","table":"dossiers","record":"A","type":"received","at":"2025-03-03"}\n')
    # A Python in which `import durable` fails, as on Python >= 3.13.
    monkeypatch.setattr(runner, "CHILD_ARGV", [sys.executable, "-c", ("import sys, runpy; sys.modules['durable'] = None; "
                                               "runpy.run_module('parscore.watch.engine', run_name='__main__')")])
    result = CliRunner().invoke(main, ["watch", "--replay", str(stream)])
    assert result.exit_code == 2
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "durable-rules" in lines[0] and "Python ≥ 3.13" in lines[0] and "không" in lines[0]
    # and everything else still works
    assert CliRunner().invoke(main, ["score", str(ROOT / "examples" / "dao-xa-2025")]).exit_code == 0


def test_cli_without_a_stream_is_bad_usage():
    result = CliRunner().invoke(main, ["watch"])
    assert result.exit_code == 2
