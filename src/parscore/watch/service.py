"""What `parscore watch` does, as plain functions the CLI (and a program) can call."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from parscore import api
from parscore.core import dates
from parscore.core.errors import InputError, InputErrors
from parscore.evidence.bundle import Bundle
from parscore.watch import events as ev
from parscore.watch.alerts import Alert
from parscore.watch.exports import diff
from parscore.watch.generate import commune_code, from_bundle
from parscore.watch.replay import Report, live, replay
from parscore.watch.rules import AlertRule, load_rules
from parscore.watch.runner import DurableChild, EngineUnavailable, Runner
from parscore.watch.stake import Stakes


@dataclass(frozen=True)
class Setup:
    rules: tuple[AlertRule, ...]
    stakes: Stakes
    province: str | None = None  # whose own days off the working calendar adds (the bundles' one province)


def setup(bundles: Sequence[str | Path], rules_dir: str | Path | None = None, framework: str | None = None) -> Setup:
    """The alert rules and the communes' bundles (for the stakes); bad input raises, all at once."""
    rules = load_rules(rules_dir, api.catalogue())
    loaded = {}
    for path in bundles:
        b = api.load_bundle(path)
        loaded[commune_code(b)] = b
    # One working calendar per run: the bundles' province when they share one, else the national calendar.
    provinces = {b.province for b in loaded.values()}
    return Setup(rules, Stakes(loaded, framework), provinces.pop() if len(provinces) == 1 else None)


def engine_available() -> bool:
    """Whether the durable-rules child can start here (it is asked, not this process)."""
    try:
        DurableChild([]).stop()
    except EngineUnavailable:
        return False
    return True


def runner(rules: Sequence[AlertRule], province: str | None = None) -> Runner:
    """A runner with its durable-rules child; says so in one line (exit 2) where durable-rules cannot run."""
    try:
        return Runner(rules, province=province)
    except EngineUnavailable:
        raise InputErrors([InputError("watch_unavailable")]) from None


def read_file(path: str | Path) -> list[ev.Event]:
    if not Path(path).is_file():
        raise InputErrors([InputError("file_missing", file=str(path))])
    with open(path, encoding="utf-8") as fh:
        return list(ev.read(fh, str(path)))


def run_replay(s: Setup, path: str | Path, now: dt.date | None, on_alert: Callable[[Alert], None] | None) -> Report:
    events = read_file(path)
    r = runner(s.rules, s.province)
    try:
        return replay(events, r, s.stakes, now, on_alert)
    finally:
        r.close()


def run_live(s: Setup, stream: TextIO, name: str, on_alert: Callable[[Alert], None] | None,
             now: dt.date | None = None, interval: float = 2.0) -> Report:
    r = runner(s.rules, s.province)
    try:
        if now is not None:
            return live(ev.read(stream, name), r, s.stakes, on_alert, interval, clock=lambda: now)
        return live(ev.read(stream, name), r, s.stakes, on_alert, interval)
    finally:
        r.close()


def default_now(bundle: Bundle, today: dt.date | None = None) -> dt.date:
    """The day a commune's alerts are looked at from: today inside the bundle's period, else its last day."""
    day = today or dt.datetime.now(dates.TZ).date()
    return day if bundle.period_start <= day <= bundle.period_end else bundle.period_end


def commune_alerts(bundle: Bundle, now: dt.date | None = None, commune: str | None = None,
                   rules_dir: str | Path | None = None, framework: str | None = None) -> Report:
    """One commune's alerts up to `now` (default `default_now`), with `open` those still open then: the events
    its bundle's record tables imply (as `--exports` derives them from a day's export), replayed through the
    durable-rules child, the stakes scored from the same bundle. Raises InputErrors where durable-rules
    cannot run (one line)."""
    code = commune or commune_code(bundle)
    rules = load_rules(rules_dir, api.catalogue())
    r = runner(rules, bundle.province)
    try:
        return replay(from_bundle(bundle, code), r, Stakes({code: bundle}, framework), now or default_now(bundle))
    finally:
        r.close()


def export_events(old: str | Path, new: str | Path) -> list[ev.Event]:
    """The events between two successive exports of one commune's tables."""
    return diff(api.load_bundle(old), api.load_bundle(new))
