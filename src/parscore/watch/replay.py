"""Driving a run: a recorded stream day by day (`replay`), or events as they come (`live`).

Time comes from the events and explicit ticks, never from the machine, except in live
mode, whose clock is the wall clock in Asia/Ho_Chi_Minh. So a replay with `--now` is
deterministic: the same stream and rules give the same alerts, byte for byte.
"""
from __future__ import annotations

import datetime as dt
import queue
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from parscore.core import dates
from parscore.watch.alerts import Alert, still_open
from parscore.watch.calendar import day_index
from parscore.watch.events import Event, in_time_order
from parscore.watch.rules import AlertRule
from parscore.watch.runner import Fired, Runner, days
from parscore.watch.stake import Stakes


@dataclass
class Report:
    alerts: list[Alert] = field(default_factory=list)
    days: int = 0
    events: int = 0
    restarts: int = 0
    max_live: int = 0
    now: dt.date | None = None  # the last day run
    open: list[Alert] = field(default_factory=list)  # the alerts still open on that day (`alerts.still_open`)


def _alerts(fired: Iterable[Fired], rules: dict[str, AlertRule], stakes: Stakes | None) -> list[Alert]:
    return [Alert(rules[f.rule], f, stakes.of(rules[f.rule], f.commune) if stakes else None) for f in fired]


def replay(events: Sequence[Event], runner: Runner, stakes: Stakes | None = None, now: dt.date | None = None,
           on_alert: Callable[[Alert], None] | None = None) -> Report:
    """Every day from the stream's first to `now` (default its last), in order; alerts as they fire."""
    rules = runner.rules
    report = Report()
    ordered = in_time_order(events)
    if now is not None:
        ordered = [e for e in ordered if e.day <= now]
    for day, todays in days(ordered, now):
        for a in _alerts(runner.day(day, todays), rules, stakes):
            report.alerts.append(a)
            if on_alert is not None:
                on_alert(a)
        report.days += 1
        report.max_live = max(report.max_live, runner.live)
        report.now = day
    report.events = runner.events
    report.restarts = runner.restarts
    if report.now is not None:
        report.open = open_alerts(report.alerts, runner, report.now)
    return report


def open_alerts(alerts: Sequence[Alert], runner: Runner, day: dt.date) -> list[Alert]:
    """The alerts still open on `day`, each judged on its record as the runner holds it now; the most severe
    first, then by day and record."""
    out = []
    today, wd = day_index(day), runner.calendar.working_day_index(day)
    for a in alerts:
        commune = runner.ledger.communes.get(a.fired.commune)
        rec = commune.records.get((a.fired.table, a.fired.record)) if commune is not None else None
        if rec is not None and still_open(a.rule, rec.fact(runner.calendar), today, wd):
            out.append(a)
    rank = {"critical": 0, "warning": 1, "info": 2}
    return sorted(out, key=lambda a: (rank.get(a.rule.severity, 3), a.fired.day, a.fired.commune, a.fired.table,
                                      a.fired.record, a.rule.id))


def today() -> dt.date:
    return dt.datetime.now(dates.TZ).date()


def live(source: Iterable[Event], runner: Runner, stakes: Stakes | None = None,
         on_alert: Callable[[Alert], None] | None = None, interval: float = 2.0,
         clock: Callable[[], dt.date] = today) -> Report:
    """Events as they arrive (e.g. from stdin); every `interval` seconds the day so far is sent with the
    wall-clock date. One reader thread only reads; only this thread talks to the rules engine."""
    inbox: queue.Queue[Event | BaseException | None] = queue.Queue()

    def read() -> None:
        try:
            for e in source:
                inbox.put(e)
        except Exception as exc:  # noqa: BLE001 — bad input (or any failure) is handed to the main thread, which stops the run
            inbox.put(exc)
        inbox.put(None)

    threading.Thread(target=read, daemon=True, name="parscore-watch-reader").start()
    report = Report()
    pending: list[Event] = []
    done = False
    last = time.monotonic()
    while not done:
        try:
            item = inbox.get(timeout=max(0.0, interval - (time.monotonic() - last)))
            if isinstance(item, BaseException):
                raise item
            if item is None:
                done = True
            else:
                pending.append(item)
        except queue.Empty:
            pass
        if not done and time.monotonic() - last < interval:
            continue
        last = time.monotonic()
        for a in _alerts(runner.day(clock(), pending), runner.rules, stakes):
            report.alerts.append(a)
            if on_alert is not None:
                on_alert(a)
        pending = []
        report.days += 1
    report.events = runner.events
    report.restarts = runner.restarts
    return report
