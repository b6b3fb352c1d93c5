"""The event format: one JSON object per line (schema: `schemas/watch-event.schema.json`).

    {"seq": 17, "commune": "nhon-hau-2025", "table": "dossiers", "record": "HS-00001",
     "type": "received", "at": "2025-08-21T12:16:00", "fields": {"due_at": "2025-09-04T17:00:00"}}

Times are Asia/Ho_Chi_Minh wall time (an offset, when given, is converted). A `tick`
moves the clock; `closed` ends a commune's stream (its rules session is deleted).
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TextIO

from parscore.core import dates, schema
from parscore.core.errors import InputError, InputErrors, did_you_mean

# Which event types each table has: a closed vocabulary, checked on reading.
TYPES: Mapping[str, tuple[str, ...]] = {
    "dossiers": ("received", "supplement_requested", "supplement_received", "finished", "returned", "stopped",
                 "apology_issued"),
    "feedback": ("received", "resolved"),
    "documents": ("issued",),
    "reports": ("scheduled", "submitted"),
    "tasks": ("assigned", "done"),
    "clock": ("tick",),
    "commune": ("closed",),
}
MAX_LINE = 1_000_000  # bytes: one event is small; a longer line is not an event


@dataclass(frozen=True)
class Event:
    seq: int
    commune: str
    table: str
    record: str
    type: str
    at: dt.datetime  # naive, Asia/Ho_Chi_Minh wall time
    fields: Mapping[str, Any] = field(default_factory=dict)

    @property
    def day(self) -> dt.date:
        return self.at.date()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"seq": self.seq}
        if self.commune:
            out["commune"] = self.commune
        out["table"] = self.table
        if self.record:
            out["record"] = self.record
        out.update(type=self.type, at=self.at.isoformat(timespec="seconds"))
        if self.fields:
            out["fields"] = dict(self.fields)
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=False, separators=(",", ":"))


def tick(at: dt.datetime, seq: int = 0) -> Event:
    return Event(seq, "", "clock", "", "tick", at)


def _error(file: str, line: int, where: str, value: Any, problem_vi: str, problem_en: str) -> InputError:
    return InputError("watch_event", file=file, line=line, where=where, value=value,
                      params={"problem_vi": problem_vi, "problem_en": problem_en})


def parse_line(text: str, file: str, line: int) -> Event | None:
    """One event from one line (None for a blank line); bad input raises a located InputError."""
    if not text.strip():
        return None
    if len(text) > MAX_LINE:
        raise InputErrors([_error(file, line, "", f"{len(text)} bytes", "dòng quá dài", "line too long")])
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputErrors([_error(file, line, f"col {e.colno}", text.strip()[:60], f"JSON sai: {e.msg}",
                                  f"malformed JSON: {e.msg}")]) from None
    errs = sorted(schema.validator("watch-event").iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    if errs:
        err = errs[0]
        where = "/".join(str(p) for p in err.absolute_path) or "(event)"
        raise InputErrors([_error(file, line, where, err.instance if not isinstance(err.instance, dict) else "…",
                                  err.message, err.message)])
    kind = data["type"]
    table = data.get("table") or ("clock" if kind == "tick" else "commune" if kind == "closed" else "")
    if kind not in TYPES.get(table, ()):
        allowed = TYPES.get(table, ())
        raise InputErrors([InputError("watch_event_type", file=file, line=line, where="type", value=kind, params={
            "table": table, "allowed": ", ".join(allowed), "hint": lambda lg: did_you_mean(kind, allowed, lg)})])
    try:
        at = dates.parse_datetime(data["at"])
        fields = dict(data.get("fields", {}))
        for key in ("due_at", "due_on"):
            if key in fields:
                dates.parse_datetime(fields[key])
    except dates.NotADate as e:
        raise InputErrors([_error(file, line, "at", str(e), "ngày giờ không đọc được",
                                  "unreadable date or time")]) from None
    return Event(int(data.get("seq", line)), str(data.get("commune", "")), table, str(data.get("record", "")),
                 kind, at, fields)


def read(stream: TextIO, file: str) -> Iterator[Event]:
    """Events from JSON lines, in the order given; stops at the first bad line (located)."""
    for n, text in enumerate(stream, start=1):
        event = parse_line(text, file, n)
        if event is not None:
            yield event


def in_time_order(events: Iterable[Event]) -> list[Event]:
    """A recorded stream sorted by event time, ties kept in stream order (a replay is deterministic)."""
    return sorted(events, key=lambda e: (e.at, e.seq))


def write(events: Iterable[Event], out: TextIO) -> int:
    n = 0
    for e in events:
        out.write(e.to_json() + "\n")
        n += 1
    return n
