"""Records as the rules see them: events folded into one flat fact per record.

The fold mirrors the scoring path's dossier timing (`rules/evidence/tables.yaml`,
`computed:`): end = finished > returned > stopped; due = the appointment date, else
received + legal working days; the citizen's supplement days are added; more than one
supplement request is late. A fact holds only whole numbers and short strings (so
durable-rules never meets exponent notation) and every field is always present: a
date that is not known yet is 0 with `has_<date>` = 0 (durable-rules refuses a rule
that reads a missing field, error 311).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from parscore.core import dates
from parscore.watch.calendar import Calendar, day_index
from parscore.watch.events import Event

RECORD_TABLES = ("dossiers", "feedback", "reports", "tasks")
FLAGS = ("open", "late", "supp", "apology")  # whole-number fields a rule may test
DATES = ("start", "due", "end")  # date fields a time condition may measure from
APOLOGY_DOCS = ("apology", "explanation")  # documents that answer for a late dossier (leaf 3.2.2)


@dataclass
class Record:
    table: str
    rid: str
    start: dt.date | None = None
    base_due: dt.date | None = None
    finished: dt.date | None = None
    returned: dt.date | None = None
    stopped: dt.date | None = None
    supp: int = 0
    supp_days: int = 0
    apology: bool = False
    alerted: set[str] = field(default_factory=set)  # rules that already alerted on this record

    @property
    def end(self) -> dt.date | None:
        return self.finished or self.returned or self.stopped

    @property
    def due(self) -> dt.date | None:
        if self.base_due is None:
            return None
        return self.base_due + dt.timedelta(days=self.supp_days)

    @property
    def late(self) -> bool:
        if self.table == "dossiers" and self.supp > 1:
            return True
        end, due = self.end, self.due
        return end is not None and due is not None and end > due

    def fact(self, cal: Calendar, rule_ids: tuple[str, ...] = ()) -> dict[str, Any]:
        """The record as durable-rules sees it, its dates as day and working-day indices of the run's calendar.
        `f_<rule>` is 1 once that rule has alerted on it, so that the rule stops matching
        (each new clock would otherwise match the same record again, every day)."""
        out: dict[str, Any] = {"t": self.table, "id": f"{self.table}:{self.rid}", "rid": self.rid,
                               "open": int(self.end is None), "late": int(self.late), "supp": self.supp,
                               "apology": int(self.apology)}
        for name, value in (("start", self.start), ("due", self.due), ("end", self.end)):
            out[f"has_{name}"] = int(value is not None)
            out[f"{name}_day"] = day_index(value) if value is not None else 0
            out[f"{name}_wd"] = cal.working_day_index(value) if value is not None else 0
        for rule in rule_ids:
            out[f"f_{rule}"] = int(rule in self.alerted)
        return out


@dataclass
class Commune:
    records: dict[tuple[str, str], Record] = field(default_factory=dict)
    apologised: set[str] = field(default_factory=set)  # dossier ids covered by a letter, even before they arrive

    def record(self, table: str, rid: str) -> Record:
        key = (table, rid)
        rec = self.records.get(key)
        if rec is None:
            rec = self.records[key] = Record(table, rid, apology=table == "dossiers" and rid in self.apologised)
        return rec


def _date(value: Any) -> dt.date:
    return dates.parse_date(value)


class Ledger:
    """Every commune's records, updated event by event; `apply` names the records it changed.

    A legal time (`legal_days`) becomes a due date by the run's working calendar, as scoring computes it."""

    def __init__(self, cal: Calendar) -> None:
        self.calendar = cal
        self.communes: dict[str, Commune] = {}

    def commune(self, code: str) -> Commune:
        c = self.communes.get(code)
        if c is None:
            c = self.communes[code] = Commune()
        return c

    def apply(self, e: Event) -> list[Record]:
        if e.table not in RECORD_TABLES and e.table != "documents":
            return []
        c = self.commune(e.commune)
        if e.table == "documents":
            if e.type == "issued" and e.fields.get("doc_type") in APOLOGY_DOCS:
                return [self._apologise(c, rid) for rid in e.fields.get("dossiers", ())]
            return []
        rec = c.record(e.table, e.record)
        day = e.day
        kind = e.type
        if kind in ("received", "scheduled", "assigned"):
            rec.start = day
            if "due_at" in e.fields:
                rec.base_due = _date(e.fields["due_at"])
            elif "due_on" in e.fields:
                rec.base_due = _date(e.fields["due_on"])
            elif "legal_days" in e.fields:
                rec.base_due = self.calendar.add_working_days(day, int(e.fields["legal_days"]))
        elif kind == "supplement_requested":
            rec.supp += 1
        elif kind == "supplement_received":
            rec.supp_days += int(e.fields.get("days", 0))
        elif kind in ("finished", "resolved", "submitted", "done"):
            rec.finished = day
        elif kind == "returned":
            rec.returned = day
        elif kind == "stopped":
            rec.stopped = day
        elif kind == "apology_issued":
            return [self._apologise(c, e.record)]
        return [rec]

    @staticmethod
    def _apologise(c: Commune, rid: str) -> Record:
        c.apologised.add(rid)
        rec = c.record("dossiers", rid)
        rec.apology = True
        return rec

    def close(self, code: str) -> None:
        self.communes.pop(code, None)
