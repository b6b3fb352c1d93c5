"""Event streams made from a bundle's record tables: for replays, tests and the benchmark.

One bundle gives one commune's year as the one-stop system would have reported it, event
by event: each dossier received (with its appointment date or legal time), its supplement
requests, its end, each apology letter or explanation; feedback received and resolved;
reports and plan tasks scheduled at the period's start and submitted or done. The tables
hold no date for a supplement request, so requests are placed evenly between receipt
and end (deterministically); the citizen's waiting days arrive with the last one.

    python -m parscore.watch.generate examples/nhon-hau-2025 > nhon-hau.jsonl
    python -m parscore.watch.generate examples/nhon-hau-2025 --communes 300 --dossiers 10000 > province.jsonl
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from parscore import api
from parscore.core.workcalendar import WORKING_DAYS, calendar_for
from parscore.evidence.bundle import Bundle
from parscore.watch.events import Event

_ORDER = {"received": 0, "scheduled": 0, "assigned": 0, "supplement_requested": 1, "supplement_received": 2,
          "finished": 3, "resolved": 3, "submitted": 3, "done": 3, "returned": 4, "stopped": 5, "issued": 6,
          "apology_issued": 6, "closed": 9}


def commune_code(bundle: Bundle) -> str:
    """The code events carry for a bundle's commune: its folder's name."""
    return Path(bundle.path).name


def _t(value: Any) -> dt.datetime | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).to_pydatetime()


def _iso(value: dt.datetime) -> str:
    return value.isoformat(timespec="seconds")


def _legal_due(received: dt.datetime, amount: int, unit: str, province: str | None) -> dt.datetime:
    cal = calendar_for(range(received.year - 1, received.year + 3), province)
    due = cal.add_legal_time(np.array([received], dtype="datetime64[ns]"), np.array([amount]), np.array([unit], object))
    return pd.Timestamp(due[0]).floor("s").to_pydatetime()  # an event's times are to the second


def _raw(bundle: Bundle, commune: str) -> Iterator[tuple[dt.datetime, str, str, str, dict[str, Any]]]:
    tables = bundle.evidence.tables if bundle.evidence is not None else {}
    start = dt.datetime.combine(bundle.period_start, dt.time())
    dossiers = tables.get("dossiers")
    if dossiers is not None:
        for row in dossiers.itertuples(index=False):
            rid = str(row.id)
            received = _t(row.received_at)
            if received is None:
                continue
            fields: dict[str, Any] = {}
            unit = getattr(row, "legal_time_unit", None)
            if _t(row.due_at) is not None:
                fields["due_at"] = _iso(_t(row.due_at))  # type: ignore[arg-type]
            elif not pd.isna(row.legal_days) and isinstance(unit, str) and unit and unit != WORKING_DAYS:
                # A legal time in calendar days, hours or months: the due moment scoring computes, by the same
                # calendar, sent as the system's appointment (watch counts `legal_days` as working days).
                fields["due_at"] = _iso(_legal_due(received, int(row.legal_days), unit, bundle.province))
            elif not pd.isna(row.legal_days):
                fields["legal_days"] = int(row.legal_days)
            yield received, "dossiers", rid, "received", fields
            ends = [(k, _t(getattr(row, f"{k}_at"))) for k in ("finished", "returned", "stopped")]
            first_end = min((t for _, t in ends if t is not None), default=None)
            n = int(row.supplement_requests or 0)
            if n:
                horizon = first_end or (received + dt.timedelta(days=30))
                step = (horizon - received) / (n + 1)
                for j in range(1, n + 1):
                    yield received + step * j, "dossiers", rid, "supplement_requested", {}
                days = int(row.supplement_days or 0)
                if days:
                    yield received + step * n, "dossiers", rid, "supplement_received", {"days": days}
            for kind, t in ends:
                if t is not None:
                    yield t, "dossiers", rid, kind, {}
            doc = row.apology_doc
            if isinstance(doc, str) and doc and first_end is not None:
                yield first_end + dt.timedelta(days=1), "dossiers", rid, "apology_issued", {"document": doc}
    documents = tables.get("documents")
    if documents is not None:
        for row in documents.itertuples(index=False):
            issued = _t(row.issued_on)
            if issued is None or str(row.type) not in ("apology", "explanation"):
                continue
            yield issued, "documents", str(row.id), "issued", {"doc_type": str(row.type),
                                                               "dossiers": [str(d) for d in (row.dossiers or ())]}
    feedback = tables.get("feedback")
    if feedback is not None:
        for row in feedback.itertuples(index=False):
            received = _t(row.received_on)
            if received is None:
                continue
            due = _t(row.due_on)
            yield received, "feedback", str(row.id), "received", ({"due_on": _iso(due)} if due else {})
            if _t(row.resolved_on) is not None:
                yield _t(row.resolved_on), "feedback", str(row.id), "resolved", {}  # type: ignore[misc]
    for table, id_of, done_col, done_type, kind in (
            ("reports", lambda r: f"{r.type}/{r.period}", "submitted_on", "submitted", "scheduled"),
            ("tasks", lambda r: str(r.id), "done_on", "done", "assigned")):
        frame = tables.get(table)
        if frame is None:
            continue
        for row in frame.itertuples(index=False):
            due = _t(row.due_on)
            at = min(start, due) if due is not None else start
            yield at, table, id_of(row), kind, ({"due_on": _iso(due)} if due else {})
            done = _t(getattr(row, done_col))
            if done is not None:
                yield max(done, at), table, id_of(row), done_type, {}


def from_bundle(bundle: Bundle, commune: str | None = None, close: bool = False) -> list[Event]:
    """The bundle's records as a time-ordered event stream (seq from 1)."""
    code = commune or commune_code(bundle)
    raw = sorted(_raw(bundle, code), key=lambda r: (r[0], _ORDER[r[3]], r[1], r[2]))
    events = [Event(i, code, table, rid, kind, at, fields) for i, (at, table, rid, kind, fields) in enumerate(raw, 1)]
    if close and events:
        events.append(Event(len(events) + 1, code, "commune", "", "closed", events[-1].at))
    return events


def province(events: list[Event], communes: int, dossiers: int | None = None, prefix: str = "xa") -> Iterator[Event]:
    """A province, made as it is read: `communes` copies of one commune's stream under codes `xa-0001`…, each
    keeping (about) `dossiers` of its dossiers (cycling with new ids `<id>~<lap>` when more are asked for than
    it has), in time order, seq from 1. Only one day's events are held at a time."""
    dossier_ids = sorted({e.record for e in events if e.table == "dossiers"})
    n = len(dossier_ids)
    pos = {rid: i for i, rid in enumerate(dossier_ids)}
    want = n if dossiers is None else dossiers
    codes = [f"{prefix}-{c + 1:04d}" for c in range(communes)]
    by_day: dict[dt.date, list[Event]] = {}
    for e in events:
        by_day.setdefault(e.day, []).append(e)
    seq = 0
    for day in sorted(by_day):
        out: list[Event] = []
        for e in by_day[day]:
            if e.table != "dossiers":
                out.extend(Event(0, code, e.table, e.record, e.type, e.at, e.fields) for code in codes)
                continue
            i = pos[e.record]
            for c, code in enumerate(codes):
                # Commune c keeps its j-th dossier from base dossier (j + c) mod n: this one is every j ≡ i − c.
                for j in range((i - c) % n, want, n):
                    lap = (j + c) // n
                    out.append(Event(0, code, e.table, e.record if lap == 0 else f"{e.record}~{lap}", e.type,
                                     e.at, e.fields))
        out.sort(key=lambda e: (e.at, _ORDER[e.type], e.commune, e.table, e.record))
        for e in out:
            seq += 1
            yield Event(seq, e.commune, e.table, e.record, e.type, e.at, e.fields)


def replicate(events: list[Event], communes: int, dossiers: int | None = None, prefix: str = "xa") -> list[Event]:
    """`province` as a list."""
    return list(province(events, communes, dossiers, prefix))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Event stream (JSON lines) from a bundle's record tables")
    ap.add_argument("bundle")
    ap.add_argument("--communes", type=int, default=0, help="replicate into this many communes")
    ap.add_argument("--dossiers", type=int, default=None, help="dossiers per replicated commune")
    ap.add_argument("--close", action="store_true", help="end each commune's stream with a 'closed' event")
    args = ap.parse_args(argv)
    events = from_bundle(api.load_bundle(args.bundle), close=args.close and not args.communes)
    for e in province(events, args.communes, args.dossiers) if args.communes else events:
        sys.stdout.write(e.to_json() + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
