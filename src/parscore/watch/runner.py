"""The parent side: records, batches, acknowledgements, restarts. durable-rules never loads here.

Each day of the stream is one batch: the records the day's events changed (their final
state that day) and the day's clock, for every live commune. The child answers with the
alerts that fired and an acknowledgement. Only acknowledged state is kept for recovery:
if the child dies, a new one is started, given every live commune's acknowledged facts
(`restore`), and the unacknowledged batch is sent again. Alerts are emitted once per
(rule, commune, record): an alert repeated by a restored child is dropped here, and one
lost with a dead child is produced again by the batch sent again.
"""
from __future__ import annotations

import datetime as dt
import heapq
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from parscore.watch.calendar import Calendar, day_index, from_day_index
from parscore.watch.engine import SESSION_CAP
from parscore.watch.events import Event
from parscore.watch.rules import AlertRule
from parscore.watch.state import Ledger, Record


def rule_spec(rule: AlertRule) -> dict[str, Any]:
    """A rule as the child receives it: plain data, compiled there by `engine` (nothing is evaluated).
    Its first test is that it has not alerted on the record yet (`f_<rule>`, see `state.Record.fact`)."""
    return {"id": rule.id, "record": rule.record,
            "tests": [[f"f_{rule.id}", "eq", 0]] + [[t.field, t.op, t.value] for t in rule.tests],
            "clock": [[c.measure, c.date, c.days] for c in rule.clock]}


class EngineUnavailable(Exception):
    """durable-rules cannot be imported in this Python (not installed, or Python ≥ 3.13)."""


class ChildDied(Exception):
    pass


@dataclass(frozen=True)
class Fired:
    rule: str
    commune: str
    table: str
    record: str
    day: dt.date
    fact: Mapping[str, Any]  # the record as the rule saw it (end of that day)
    wd: int = 0  # the day's working-day index in the run's calendar (for "due in N working days")

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.rule, self.commune, self.table, self.record)


# The child's command line (a test replaces it to stand for a Python without durable-rules).
CHILD_ARGV: list[str] = [sys.executable, "-m", "parscore.watch.engine"]


class DurableChild:
    """One `python -m parscore.watch.engine` process and its pipes."""

    def __init__(self, specs: Sequence[Mapping[str, Any]]) -> None:
        # The child's own error output goes to a file, so that a crash prints no traceback at the user.
        self.errors = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115 — lives with the child
        self.proc = subprocess.Popen(list(CHILD_ARGV), stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self.errors, text=True, encoding="utf-8",
                                     bufsize=1)
        first = self._line()
        if first is None or json.loads(first).get("unavailable"):
            self.proc.wait()
            raise EngineUnavailable()
        self.send({"op": "init", "rules": list(specs)})

    def _line(self) -> str | None:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        return line or None

    def send(self, msg: Mapping[str, Any]) -> None:
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(json.dumps(msg, ensure_ascii=False, separators=(",", ":")) + "\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            raise ChildDied() from None

    def receive(self, n: int) -> list[list[Any]]:
        """The alerts the child sent for batch `n`, up to its acknowledgement."""
        alerts: list[list[Any]] = []
        while True:
            line = self._line()
            if line is None:
                raise ChildDied()
            try:
                msg = json.loads(line)
            except json.JSONDecodeError:
                raise ChildDied() from None  # a line cut short by a crash
            if "ack" in msg:
                if msg["ack"] != n:
                    raise ChildDied()
                return alerts
            alerts.append(msg["alert"])

    def last_error(self) -> str:
        self.errors.seek(0)
        lines = [ln for ln in self.errors.read().splitlines() if ln.strip()]
        return lines[-1] if lines else ""

    def stop(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            try:
                self.proc.stdin.close()
            except OSError:
                pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.errors.close()


class Runner:
    """Feeds days to the durable-rules child and emits each alert once."""

    def __init__(self, rules: Sequence[AlertRule], cap: int = SESSION_CAP, max_restarts: int = 20,
                 after_send: Callable[[int, DurableChild], None] | None = None,
                 child_factory: Callable[[Sequence[Mapping[str, Any]]], DurableChild] = DurableChild,
                 calendar: Calendar | None = None, province: str | None = None) -> None:
        self.rules = {r.id: r for r in rules}
        self.rule_ids = tuple(self.rules)
        self.dirty: dict[str, dict[str, Record]] = {}  # records that alerted: re-sent with their f_<rule> set
        self.specs = [rule_spec(r) for r in rules]
        self.cap = cap
        self.max_restarts = max_restarts
        self.after_send = after_send  # a test's hook: it may kill the child between send and acknowledgement
        self.factory = child_factory
        self.child = child_factory(self.specs)
        # The scoring path's working calendar; without one given, it is built around the run's first day
        # (for `province`'s own days off when named).
        self._calendar = calendar
        self.province = province
        self._ledger: Ledger | None = None
        self.acked: dict[str, dict[str, dict[str, Any]]] = {}  # commune -> fact id -> fact, as acknowledged
        self.shard: dict[str, int] = {}
        self.live_in_shard: dict[int, int] = {}
        self.emitted: set[tuple[str, str, str, str]] = set()
        self.batches = 0
        self.restarts = 0
        self.last: tuple[int, int] | None = None  # (day, wd) of the last acknowledged batch
        self.events = 0
        self.recovered: list[Fired] = []
        # Closed records leave the engine once no rule can first fire on them any more (see `_retire`).
        self.retire_at: list[tuple[int, str, str]] = []  # heap of (day index, commune, fact id)
        self.in_engine = 0  # record facts the child holds now
        self.retired = 0

    # ---- sessions over rulesets, below the cap --------------------------------------------------
    def _assign(self, commune: str) -> None:
        if commune in self.shard:
            return
        k = 0
        while self.live_in_shard.get(k, 0) >= self.cap:
            k += 1
        self.shard[commune] = k
        self.live_in_shard[k] = self.live_in_shard.get(k, 0) + 1

    def _release(self, commune: str) -> None:
        k = self.shard.pop(commune)
        self.live_in_shard[k] -= 1
        self.in_engine -= len(self.acked.pop(commune, {}))
        self.dirty.pop(commune, None)
        self.ledger.close(commune)

    def calendar_for(self, day: dt.date) -> Calendar:
        if self._calendar is None:
            self._calendar = Calendar.around(day, self.province)
        return self._calendar

    @property
    def calendar(self) -> Calendar:
        if self._calendar is None:
            raise RuntimeError("the runner's calendar is set by its first day")
        return self._calendar

    @property
    def ledger(self) -> Ledger:
        if self._ledger is None:
            self._ledger = Ledger(self.calendar)
        return self._ledger

    @property
    def live(self) -> int:
        return len(self.shard)

    # ---- one day --------------------------------------------------------------------------------
    def day(self, day: dt.date, events: Iterable[Event]) -> list[Fired]:
        cal = self.calendar_for(day)
        changed, self.dirty = self.dirty, {}
        closing: set[str] = set()
        for e in events:
            self.events += 1
            if e.table == "clock":
                continue
            self._assign(e.commune)
            if e.type == "closed":
                closing.add(e.commune)
                continue
            for rec in self.ledger.apply(e):
                changed.setdefault(e.commune, {})[f"{rec.table}:{rec.rid}"] = rec
        facts = {c: {fid: rec.fact(cal, self.rule_ids) for fid, rec in recs.items()} for c, recs in changed.items()
                 if c in self.shard}
        d, wd = day_index(day), cal.working_day_index(day)
        retract = self._retire(d, changed)
        self.batches += 1
        n = self.batches
        sessions = [{"sid": c, "rs": self.shard[c], "assert": list(facts.get(c, {}).values()),
                     "retract": retract.get(c, []), "close": c in closing} for c in sorted(self.shard)]
        raw = self._exchange({"op": "batch", "n": n, "day": d, "wd": wd, "sessions": sessions})
        self.last = (d, wd)
        for c, fids in retract.items():
            held = self.acked.get(c, {})
            for fid in fids:
                self.in_engine -= held.pop(fid, None) is not None
        for c, fs in facts.items():
            held = self.acked.setdefault(c, {})
            self.in_engine += sum(fid not in held for fid in fs)
            held.update(fs)
            for fid in fs:
                self._schedule(c, fid, d)
        fired, self.recovered = self.recovered + self._keep(raw), []
        for c in sorted(closing):
            self._release(c)
        return fired

    # ---- closed records leave the engine --------------------------------------------------------
    def _horizon(self, rec: Record) -> int:
        """The last day a rule could first fire on `rec` while no event changes it (as a day index).

        With its fields fixed, a rule's `*_since` conditions turn true once and stay true, its `*_until` ones are
        false after their date: past the latest of those days, the rule has fired already or never will."""
        last = 0
        for rule in self.rules.values():
            if rule.record != rec.table:
                continue
            for c in rule.clock:
                x = getattr(rec, c.date)
                if x is None:
                    continue
                if c.measure == "days_since":
                    x = x + dt.timedelta(days=c.days)
                elif c.measure == "working_days_since":
                    x = self.calendar.add_working_days(x, c.days)
                last = max(last, day_index(x))
        return last

    def _schedule(self, commune: str, fid: str, today: int) -> None:
        table, rid = fid.split(":", 1)
        rec = self.ledger.commune(commune).records.get((table, rid))
        if rec is not None and rec.end is not None:
            heapq.heappush(self.retire_at, (max(today, self._horizon(rec)) + 1, commune, fid))

    def _retire(self, today: int, changed: Mapping[str, Mapping[str, Record]]) -> dict[str, list[str]]:
        """The facts to retract today: closed records past their horizon that nothing changed since.

        Their record stays in the ledger (an event for it later puts it back, with its alerts remembered);
        only durable-rules forgets them, so that its memory and each clock's joins follow the open records."""
        out: dict[str, list[str]] = {}
        while self.retire_at and self.retire_at[0][0] <= today:
            _, commune, fid = heapq.heappop(self.retire_at)
            held = self.acked.get(commune)
            if held is None or fid not in held or fid in changed.get(commune, {}):
                continue  # gone with its commune, retracted already, or changed today (scheduled again)
            table, rid = fid.split(":", 1)
            rec = self.ledger.commune(commune).records[(table, rid)]
            if rec.end is None or self._horizon(rec) >= today:
                continue  # reopened, or moved by a later event (scheduled again then)
            out.setdefault(commune, []).append(fid)
            self.retired += 1
        return out

    def _keep(self, raw: list[list[Any]]) -> list[Fired]:
        out = []
        for rule_id, commune, table, rid, day in raw:
            key = (rule_id, commune, table, rid)
            if key in self.emitted:
                continue
            self.emitted.add(key)
            rec = self.ledger.commune(commune).records.get((table, rid))
            if rec is not None:
                rec.alerted.add(rule_id)
                if commune in self.shard:
                    self.dirty.setdefault(commune, {})[f"{table}:{rid}"] = rec
            on = from_day_index(int(day))
            out.append(Fired(rule_id, commune, table, rid, on, rec.fact(self.calendar) if rec is not None else {},
                             self.calendar.working_day_index(on)))
        order = {r: i for i, r in enumerate(self.rules)}
        return sorted(out, key=lambda f: (f.commune, order[f.rule], f.table, f.record))

    def _exchange(self, msg: Mapping[str, Any]) -> list[list[Any]]:
        tries, broken = 0, False
        while True:
            try:
                if broken:
                    self._restart()
                    broken = False
                self.child.send(msg)
                if self.after_send is not None:
                    self.after_send(int(msg["n"]), self.child)
                return self.child.receive(int(msg["n"]))
            except ChildDied:
                tries += 1
                if tries > self.max_restarts:
                    raise RuntimeError(f"the durable-rules child died {tries} times on batch {msg['n']}: "
                                       f"{self.child.last_error()}") from None
                broken = True

    def _restart(self) -> None:
        """A new child with every live commune's acknowledged facts; alerts it repeats are dropped by `_keep`."""
        self.child.stop()
        self.restarts += 1
        self.child = self.factory(self.specs)
        if self.last is None or not self.shard:
            return
        sessions = [{"sid": c, "rs": self.shard[c], "assert": list(self.acked.get(c, {}).values()), "close": False}
                    for c in sorted(self.shard) if c in self.acked]
        msg = {"op": "restore", "n": 0, "day": self.last[0], "wd": self.last[1], "sessions": sessions}
        self.child.send(msg)
        # What a restored child fires was already emitted (same facts, same clock): `_keep` drops it;
        # anything else is kept for the next day's output, so nothing is lost either way.
        self.recovered.extend(self._keep(self.child.receive(0)))

    def close(self) -> None:
        self.child.stop()


def days(events: Iterable[Event], now: dt.date | None = None) -> Iterator[tuple[dt.date, list[Event]]]:
    """Every calendar day from the stream's first to `now` (default: its last event), with that day's events.

    Events after `now` are not read: a replay looks from `now`. The stream must be in time order; it is read
    as it goes (a province's year need not be held in memory)."""
    it = iter(events)
    nxt = next(it, None)
    if nxt is None or (now is not None and nxt.day > now):
        return
    day = nxt.day
    while True:
        todays = []
        while nxt is not None and nxt.day <= day:
            todays.append(nxt)
            nxt = next(it, None)
        yield day, todays
        if (now is not None and day >= now) or (now is None and nxt is None):
            return
        day += dt.timedelta(days=1)
