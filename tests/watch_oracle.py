"""The plain-Python oracle for `parscore watch`: the same alerts, computed without durable-rules.

It shares nothing with the watch engine but the inputs (parsed events and loaded rules):
each day's events are applied to a record table with pandas group-bys, and at every tick
(one per calendar day, as a replay runs) each rule is evaluated over the whole record table
at once with numpy; an alert is the first day its condition holds for a (rule, commune,
table, record). Working days follow the state's calendar, read here on its own from the same data the
scoring path reads (the `holidays` package's Vietnamese holidays and make-up days, and
`rules/calendar/*.yaml`), and counted with numpy business days (`busday_count` with those holidays,
plus the make-up Saturdays); nothing of `core.workcalendar` or `watch.calendar` is used.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import holidays
import numpy as np
import pandas as pd

from parscore.core import yamlio
from parscore.watch.events import Event
from parscore.watch.rules import AlertRule

EPOCH = np.datetime64("1970-01-01", "D")
RECORDS = ("dossiers", "feedback", "reports", "tasks")
CALENDAR_FILES = Path(__file__).resolve().parents[1] / "rules" / "calendar"


@dataclass(frozen=True)
class Days:
    """The state's working calendar as numpy reads it: weekdays off and weekend days worked, over `years`
    (outside them, Monday–Friday)."""

    off: np.ndarray  # datetime64[D], sorted
    make_up: np.ndarray  # datetime64[D], sorted
    years: tuple[int, int]  # first, last

    def count(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Working days in [a, b) (negative when b < a): numpy's business days less the days off, plus the
        make-up days in between."""
        extra = np.searchsorted(self.make_up, b) - np.searchsorted(self.make_up, a)
        return np.busday_count(a, b, holidays=self.off) + extra

    def offset(self, start: np.ndarray, n: np.ndarray) -> np.ndarray:
        """`start` rolled forward to a working day, then `n` working days on."""
        first, last = np.datetime64(f"{self.years[0]}-01-01"), np.datetime64(f"{self.years[1]}-12-31")
        days = np.arange(first, last + 1, dtype="datetime64[D]")
        work = days[np.is_busday(days, holidays=self.off) | np.isin(days, self.make_up)]
        at = np.searchsorted(work, start) + n
        inside = (start >= first) & (start <= last) & (at >= 0) & (at < len(work))
        out = np.busday_offset(start, n, roll="forward")
        out[inside] = work[at[inside]]
        return out


def state_calendar(years: Iterable[int], province: str | None = None) -> Days:
    """The days off and make-up days of `years`, from the holidays package and rules/calendar/*.yaml."""
    ys = sorted(set(years))
    library = holidays.country_holidays("VN", years=ys)
    off = set(library.keys())
    make_up = {d for d in library.weekend_workdays if d.year in ys}
    for path in sorted(CALENDAR_FILES.glob("*.yaml")):
        data = yamlio.load_mapping(path).data
        named = str(data.get("province") or "").strip().lower()
        if data["year"] not in ys or (named and named != (province or "").strip().lower()):
            continue
        off |= {dt.date.fromisoformat(str(e["date"])) for e in data.get("days_off", [])}
        make_up |= {dt.date.fromisoformat(str(e["date"])) for e in data.get("working_days", [])}
    return Days(np.array(sorted(off), dtype="datetime64[D]"), np.array(sorted(make_up), dtype="datetime64[D]"),
                (ys[0], ys[-1]))


def calendar_around(day: int) -> Days:
    """The span a run's calendar covers: the year before its first day to five years after."""
    year = (dt.date(1970, 1, 1) + dt.timedelta(days=int(day))).year
    return state_calendar(range(year - 1, year + 6))


def _day(value: dt.date) -> int:
    return int((np.datetime64(value, "D") - EPOCH).astype(int))


def event_table(events: Iterable[Event]) -> pd.DataFrame:
    rows = []
    for e in events:
        if e.table == "documents":
            if e.type == "issued" and e.fields.get("doc_type") in ("apology", "explanation"):
                rows += [(e.seq, e.commune, "dossiers", d, "apology_issued", _day(e.day), np.nan, -1, 0)
                         for d in e.fields.get("dossiers", ())]
            continue
        due = e.fields.get("due_at") or e.fields.get("due_on")
        rows.append((e.seq, e.commune, e.table, e.record, e.type, _day(e.day),
                     _day(pd.Timestamp(due).date()) if due else np.nan,
                     int(e.fields.get("legal_days", -1)), int(e.fields.get("days", 0))))
    frame = pd.DataFrame(rows, columns=["seq", "commune", "table", "record", "type", "day", "due", "legal", "days"])
    return frame.sort_values(["day", "seq"], kind="stable").reset_index(drop=True)


class Changes:
    """One day's changes to the record table, as row numbers and values (numpy)."""

    def __init__(self) -> None:
        empty_i, empty_f = np.zeros(0, dtype=np.int64), np.zeros(0)
        self.seen = empty_i
        self.start_rows, self.start_days, self.due_rows, self.due_days = empty_i, empty_f, empty_i, empty_f
        self.ends = {k: (empty_i, empty_f) for k in ("finished", "returned", "stopped")}
        self.supp_rows, self.supp_counts, self.wait_rows, self.wait_days = empty_i, empty_f, empty_i, empty_f
        self.apology_rows = empty_i


def changes_by_day(frame: pd.DataFrame, table: Table, cal: Days) -> dict[int, Changes]:
    """Every day's changes, from group-bys over the whole event table (the last event of a kind wins)."""
    recs = frame[frame["table"].isin(RECORDS)].copy()
    recs["row"] = table.rows(recs)
    out: dict[int, Changes] = {}

    def at(day: int) -> Changes:
        return out.setdefault(int(day), Changes())

    for day, g in recs.groupby("day")["row"]:
        at(day).seen = np.unique(g.to_numpy())
    starts = recs[recs["type"].isin(["received", "scheduled", "assigned"])].groupby(["day", "row"]).tail(1).copy()
    due = starts["due"].to_numpy(dtype=float).copy()
    by_law = np.isnan(due) & (starts["legal"].to_numpy() >= 0)
    if by_law.any():
        base = EPOCH + starts["day"].to_numpy()[by_law].astype("timedelta64[D]")
        rolled = cal.offset(base, starts["legal"].to_numpy()[by_law])
        due[by_law] = (rolled - EPOCH).astype(int)
    starts["due"] = due
    for day, g in starts.groupby("day"):
        c = at(day)
        c.start_rows, c.start_days = g["row"].to_numpy(), g["day"].to_numpy(dtype=float)
        known = g[g["due"].notna()]
        c.due_rows, c.due_days = known["row"].to_numpy(), known["due"].to_numpy(dtype=float)
    for types, name in ((("finished", "resolved", "submitted", "done"), "finished"), (("returned",), "returned"),
                        (("stopped",), "stopped")):
        ends = recs[recs["type"].isin(types)].groupby(["day", "row"]).tail(1)
        for day, g in ends.groupby("day"):
            at(day).ends[name] = (g["row"].to_numpy(), g["day"].to_numpy(dtype=float))
    supp = recs[recs["type"] == "supplement_requested"].groupby(["day", "row"]).size().reset_index(name="n")
    for day, g in supp.groupby("day"):
        at(day).supp_rows, at(day).supp_counts = g["row"].to_numpy(), g["n"].to_numpy(dtype=float)
    waits = recs[recs["type"] == "supplement_received"].groupby(["day", "row"])["days"].sum().reset_index()
    for day, g in waits.groupby("day"):
        at(day).wait_rows, at(day).wait_days = g["row"].to_numpy(), g["days"].to_numpy(dtype=float)
    for day, g in recs[recs["type"] == "apology_issued"].groupby("day")["row"]:
        at(day).apology_rows = g.to_numpy()
    return out


class Table:
    """The record table: one row per (commune, table, record), columns as numpy arrays."""

    COLUMNS = ("start", "base_due", "finished", "returned", "stopped", "supp", "supp_days", "apology", "alive")

    def __init__(self) -> None:
        self.pos: dict[tuple[str, str, str], int] = {}
        self.keys: list[tuple[str, str, str]] = []
        self.col = {c: np.zeros(0) for c in self.COLUMNS}

    def rows(self, keys: pd.DataFrame) -> np.ndarray:
        """Row numbers for the key columns of `keys`, adding the records not seen yet (not yet alive)."""
        new = [k for k in dict.fromkeys(zip(keys["commune"], keys["table"], keys["record"])) if k not in self.pos]
        if new:
            for k in new:
                self.pos[k] = len(self.keys)
                self.keys.append(k)
            fill = {"supp": 0.0, "supp_days": 0.0, "apology": 0.0, "alive": 0.0}
            for c in self.COLUMNS:
                self.col[c] = np.concatenate([self.col[c], np.full(len(new), fill.get(c, np.nan))])
        return np.array([self.pos[k] for k in zip(keys["commune"], keys["table"], keys["record"])], dtype=np.int64)

    def apply(self, day: Changes) -> None:
        col = self.col
        col["alive"][day.seen] = 1.0
        col["start"][day.start_rows] = day.start_days
        col["base_due"][day.due_rows] = day.due_days
        for name in ("finished", "returned", "stopped"):
            rows, days = day.ends[name]
            col[name][rows] = days
        col["supp"][day.supp_rows] += day.supp_counts
        col["supp_days"][day.wait_rows] += day.wait_days
        col["apology"][day.apology_rows] = 1.0

    def close(self, communes: set[str]) -> None:
        gone = np.array([k[0] in communes for k in self.keys], dtype=bool)
        self.col["alive"][gone] = 0.0

    def derived(self) -> dict[str, np.ndarray]:
        c = self.col
        end = np.where(~np.isnan(c["finished"]), c["finished"], np.where(~np.isnan(c["returned"]), c["returned"],
                                                                          c["stopped"]))
        due = c["base_due"] + c["supp_days"]
        tables = self._tables()
        is_dossier = tables == "dossiers"
        with np.errstate(invalid="ignore"):
            late = (is_dossier & (c["supp"] > 1)) | (end > due)
        return {"start": c["start"], "due": due, "end": end, "open": np.isnan(end).astype(int),
                "late": late.astype(int), "supp": c["supp"].astype(int), "apology": c["apology"].astype(int),
                "table": tables, "alive": c["alive"] > 0}

    def _tables(self) -> np.ndarray:
        if getattr(self, "_cached", (None, -1))[1] != len(self.keys):
            self._cached = (np.array([k[1] for k in self.keys], dtype=object), len(self.keys))
        return self._cached[0]


def _busdays(a: np.ndarray, b: np.ndarray, cal: Days) -> np.ndarray:
    """Working days in [a, b) for day numbers (negative when b < a); unknown dates give a huge number."""
    ok = ~(np.isnan(a) | np.isnan(b))
    out = np.full(len(a), 10**9, dtype=np.int64)
    if ok.any():
        out[ok] = cal.count(EPOCH + a[ok].astype("timedelta64[D]"), EPOCH + b[ok].astype("timedelta64[D]"))
    return out


def _holds(rule: AlertRule, d: dict[str, np.ndarray], today: int, cal: Days) -> np.ndarray:
    mask = (d["table"] == rule.record) & d["alive"]
    for t in rule.tests:
        v = d[t.field]
        mask &= (v == t.value) if t.op == "eq" else (v >= t.value) if t.op == "ge" else (v <= t.value)
    now = np.full(len(mask), float(today))
    with np.errstate(invalid="ignore"):
        for c in rule.clock:
            date = d[c.date]
            known = ~np.isnan(date)
            if c.measure == "working_days_until":
                cond = (_busdays(now, date, cal) <= c.days) & (date >= today)
            elif c.measure == "days_until":
                cond = (date - today <= c.days) & (date >= today)
            elif c.measure == "days_since":
                cond = today - date >= c.days
            else:
                cond = _busdays(date, now, cal) >= c.days
            mask &= known & cond
    return mask


def alerts(events: Iterable[Event], rules: Sequence[AlertRule], now: dt.date | None = None,
           calendar: Days | None = None) -> list[tuple[str, str, str, str, dt.date]]:
    """(rule, commune, table, record, day) of every alert, in day order; working days by `calendar`
    (default: the state's calendar around the stream's first day, as a run builds it)."""
    frame = event_table(events)
    if now is not None:
        frame = frame[frame["day"] <= _day(now)]
    if frame.empty:
        return []
    closing = frame[frame["type"] == "closed"].groupby("day")["commune"].agg(set).to_dict()
    cal = calendar if calendar is not None else calendar_around(int(frame["day"].min()))
    table = Table()
    by_day = changes_by_day(frame, table, cal)
    fired: dict[tuple[str, str, str, str], int] = {}
    last = _day(now) if now is not None else int(frame["day"].max())
    for day in range(int(frame["day"].min()), last + 1):
        if day in by_day:
            table.apply(by_day[day])
        if table.keys:
            d = table.derived()
            for rule in rules:
                for i in np.flatnonzero(_holds(rule, d, day, cal)):
                    c, t, r = table.keys[i]
                    fired.setdefault((rule.id, c, t, r), day)
        if day in closing:
            table.close(closing[day])
    out = [(*k, dt.date(1970, 1, 1) + dt.timedelta(days=v)) for k, v in fired.items()]
    return sorted(out, key=lambda x: (x[4], x[1], x[0], x[2], x[3]))
