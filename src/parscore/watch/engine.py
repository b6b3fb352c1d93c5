"""The durable-rules side of watch. It runs only in a child process (`python -m parscore.watch.engine`).

Why a child: durable-rules keeps at most 1,024 live sessions per ruleset (then MemoryError,
sometimes a segfault), crashes when several threads post, has no build for Python ≥ 3.13.
A crash here must not take the parent's state with it: the parent keeps the records and
the alerts already emitted, and restarts this process from the last acknowledged batch.

Isolation, rule by rule of the engine's known limits:
- one session per commune, spread over rulesets `parscore_watch_<k>` (the parent assigns
  `k` so that no ruleset holds more than `SESSION_CAP` live sessions), its state deleted
  when the commune's stream is closed;
- only this process's main thread posts, and durable-rules' own dispatch threads are not
  started (they call into the engine concurrently and crash it);
- facts hold whole numbers and short strings only (error 204 on exponent notation);
- every rule starts with a test on the fact's table and at least one field (no catch-all,
  which hangs the engine);
- records and the clock are asserted as facts, not posted as events (an event is consumed
  by the first rule it matches; a fact is seen by every rule).

Protocol (JSON lines on stdin/stdout): `init` {rules}, then `batch` {n, day, wd, sessions:
[{sid, rs, assert: [facts], retract: [fact ids], close}]} or `restore` {n, day, wd, sessions:
[{sid, rs, assert}]}; the child answers each with `alert` lines then `{"ack": n}`.
"""
from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

# This module imports nothing heavy (no pandas, no parscore stages): a child starts in a fraction of a
# second, which is what a restart costs.
SESSION_CAP = 1000  # below durable-rules' 1,024 live sessions per ruleset
CLOCK_ID = "clock"


def _compare(term: Any, op: str, value: Any) -> Any:
    if op == "eq":
        return term == value
    if op == "ge":
        return term >= value
    if op == "le":
        return term <= value
    raise ValueError(op)


def define_ruleset(name: str, specs: Sequence[Mapping[str, Any]], on_fire: Callable[[str, Any, Any], None]) -> None:
    """Compile the rule specs into one durable-rules ruleset named `name`."""
    from durable.lang import (  # lazily: only the child has durable-rules loaded
        c,
        m,
        ruleset,
        when_all,
    )

    with ruleset(name):
        for spec in specs:
            record = m.t == spec["record"]
            for field, op, value in spec["tests"]:
                record = record & _compare(getattr(m, field), op, int(value))
            clock = m.t == CLOCK_ID
            for measure, date, days in spec["clock"]:
                record = record & (getattr(m, f"has_{date}") == 1)
                # A fresh term for each use: durable-rules' arithmetic changes the term it is applied to.
                def ref(kind: str, date: str = date) -> Any:
                    return getattr(c.r, f"{date}_{kind}")
                if measure == "working_days_until":
                    clock = clock & (m.wd >= ref("wd") - int(days)) & (m.day <= ref("day"))
                elif measure == "days_until":
                    clock = clock & (m.day >= ref("day") - int(days)) & (m.day <= ref("day"))
                elif measure == "days_since":
                    clock = clock & (m.day >= ref("day") + int(days))
                elif measure == "working_days_since":
                    clock = clock & (m.wd >= ref("wd") + int(days))
                else:
                    raise ValueError(measure)
            action = _action(spec["id"], bool(spec["clock"]), on_fire)
            if spec["clock"]:
                when_all(c.r << record, c.k << clock)(action)
            else:
                when_all(c.r << record)(action)


def _action(rule_id: str, joined: bool, on_fire: Callable[[str, Any, Any], None]) -> Callable[[Any], None]:
    # durable-rules calls an action with a completion callback when it takes two parameters, and names the
    # rule after the function: so exactly one parameter, the rule id bound by this closure, and one name each.
    def act(ctx: Any) -> None:
        on_fire(rule_id, ctx.r, ctx.k.day if joined else None)
    act.__name__ = rule_id
    return act


class Child:
    """The child's state: its rulesets, the current day, the alerts already sent."""

    def __init__(self, out: Any) -> None:
        from durable import engine, lang  # lazily: the parent never loads durable-rules

        class OneThreadHost(engine.Host):  # type: ignore[misc]
            def _run(self) -> None:
                """No dispatch threads: durable-rules' own timer threads call into the engine while this
                thread posts, and that crashes it (it segfaulted here with 2,000 sessions). Rules fire
                synchronously inside assert_fact; watch uses no durable-rules timers."""

        lang._main_host = OneThreadHost()
        self.lang = lang
        self.unhandled = engine.MessageNotHandledException
        self.out = out
        self.specs: list[Mapping[str, Any]] = []
        self.defined: set[int] = set()
        self.day = 0
        self.sent: dict[str, set[tuple[str, str, str]]] = {}

    def ruleset(self, k: int) -> str:
        name = f"parscore_watch_{k}"
        if k not in self.defined:
            define_ruleset(name, self.specs, self.fire)
            self.defined.add(k)
        return name

    def fire(self, rule_id: str, fact: Any, day: Any) -> None:
        sid, table, rid = str(fact.sid), str(fact.t), str(fact.rid)
        key = (rule_id, table, rid)
        seen = self.sent.setdefault(sid, set())
        if key in seen:
            return  # the same record met again with a later clock: one alert per rule and record
        seen.add(key)
        self.out.write(json.dumps({"alert": [rule_id, sid, table, rid, int(day) if day is not None else self.day]},
                                  ensure_ascii=False) + "\n")

    def _post(self, call: Callable[[str, dict[str, Any]], Any], name: str, fact: dict[str, Any]) -> None:
        try:
            call(name, fact)
        except self.unhandled:
            pass  # a fact that no rule's first test matches (a closed task, say) is normal here

    def session(self, s: Mapping[str, Any], day: int, wd: int) -> None:
        lang, sid = self.lang, s["sid"]
        name = self.ruleset(int(s["rs"]))
        # The old clock goes first, so that no record of today meets yesterday's clock.
        self._post(lang.retract_fact, name, {"sid": sid, "id": CLOCK_ID})
        for fid in s.get("retract", ()):
            # A closed record no rule can fire on any more (the parent decides): durable-rules forgets it.
            self._post(lang.retract_fact, name, {"sid": sid, "id": fid})
        for fact in s.get("assert", ()):
            # A changed record replaces its fact (retracting an absent fact is harmless).
            self._post(lang.retract_fact, name, {"sid": sid, "id": fact["id"]})
            self._post(lang.assert_fact, name, {**fact, "sid": sid})
        self._post(lang.assert_fact, name, {"sid": sid, "id": CLOCK_ID, "t": CLOCK_ID, "day": day, "wd": wd})
        if s.get("close"):
            lang.delete_state(name, sid)
            self.sent.pop(sid, None)

    def handle(self, msg: Mapping[str, Any]) -> None:
        op = msg["op"]
        if op == "init":
            self.specs = list(msg["rules"])
            return
        self.day = int(msg["day"])
        for s in msg["sessions"]:
            self.session(s, self.day, int(msg["wd"]))
        self.out.write(json.dumps({"ack": msg["n"]}) + "\n")
        self.out.flush()


def main() -> int:
    try:
        child = Child(sys.stdout)
    except ImportError:
        sys.stdout.write(json.dumps({"unavailable": True}) + "\n")
        sys.stdout.flush()
        return 2
    sys.stdout.write(json.dumps({"ready": True}) + "\n")
    sys.stdout.flush()
    for line in sys.stdin:
        if line.strip():
            child.handle(json.loads(line))
    return 0


if __name__ == "__main__":
    sys.exit(main())
