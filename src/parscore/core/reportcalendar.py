"""Province report calendars: when a commune's periodic reports are due, by province and year.

The due dates of the periodic reports (quarterly PAR reports, procedure-control reports…) are set
by each province (and passed down through its districts and towns), so they are data:
`rules/report_calendars/<province>-<year>.yaml`, one file per province and year, every date citing
its source, over the report series named in `rules/report_calendars/series.yaml`. A deadline leaf
that reads a calendar gets the dates of the bundle's province; one province's dates are never
imposed on another's bundles unless a framework names that borrowing (`report_calendar:` in its
manifest), and the result then says so.
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping

from parscore.core import schema, yamlio
from parscore.core.errors import Collector
from parscore.core.paths import data_dir, display
from parscore.core.text import Text

SERIES_FILE = "series.yaml"


def calendars_dir() -> Path:
    return data_dir("rules") / "report_calendars"


def fold(province: str | None) -> str:
    """A province name for matching: marks, case and spacing folded ("Thanh Hoá" and "thanh hóa" are one)."""
    text = unicodedata.normalize("NFD", str(province or "").replace("Đ", "D").replace("đ", "d"))
    return " ".join("".join(ch for ch in text if not unicodedata.combining(ch)).lower().split())


@dataclass(frozen=True)
class Due:
    on: dt.date
    source: str  # the file and what it cites


@dataclass(frozen=True)
class ReportCalendar:
    province: str
    year: int
    file: str
    series: Mapping[str, Mapping[str, Due]]  # series -> key -> due date

    def due(self, series: str, key: str) -> Due | None:
        return self.series.get(series, {}).get(key)


@dataclass(frozen=True)
class Calendars:
    series: Mapping[str, tuple[Text, tuple[str, ...]]]  # series name -> (title, keys)
    calendars: tuple[ReportCalendar, ...]  # sorted by (province, year): a calendar's index is stable within a run

    def find(self, province: str | None, years: Iterable[int]) -> list[ReportCalendar]:
        """The calendars of `province` for `years` (one per year found), in year order."""
        wanted, ys = fold(province), set(years)
        return [c for c in self.calendars if fold(c.province) == wanted and c.year in ys] if wanted else []

    def index(self, calendar: ReportCalendar) -> int:
        return self.calendars.index(calendar)


def load(directory: str | None = None) -> Calendars:
    """Every report calendar, schema-checked and checked against the series vocabulary; all problems at once."""
    return _load(directory)


@lru_cache(maxsize=4)
def _load(directory: str | None) -> Calendars:
    root = Path(directory) if directory else calendars_dir()
    c = Collector()
    series: dict[str, tuple[Text, tuple[str, ...]]] = {}
    spath = root / SERIES_FILE
    if spath.is_file():
        sdoc = yamlio.load_mapping(spath, display=display(spath))
        problems = schema.validate(sdoc, "report_series")
        c.extend(problems)
        if not problems:
            series = {name: (Text(s["title"]["vi"], s["title"]["en"]), tuple(str(k) for k in s["keys"]))
                      for name, s in sdoc.data["series"].items()}
    out: list[ReportCalendar] = []
    seen: dict[tuple[str, int], str] = {}
    for path in sorted(root.glob("*.yaml")) if root.is_dir() else []:
        if path.name == SERIES_FILE:
            continue
        cal = _check(path, series, seen, c)
        if cal is not None:
            out.append(cal)
    c.raise_if_any()
    return Calendars(series, tuple(sorted(out, key=lambda x: (fold(x.province), x.year))))


def _check(path: Path, series: Mapping[str, tuple[Text, tuple[str, ...]]], seen: dict[tuple[str, int], str],
           c: Collector) -> ReportCalendar | None:
    """One province file: its schema, series and keys known, dates real and in its year, keys not repeated."""
    doc = yamlio.load_mapping(path, display=display(path))
    problems = schema.validate(doc, "report_calendar")
    c.extend(problems)
    if problems:
        return None
    data = doc.data
    year = int(data["year"])
    before = len(c.errors)
    ident = (fold(data["province"]), year)
    if ident in seen:
        c.add("duplicate_id", file=doc.file, line=doc.line(("province",)), where="province",
              id=f"{data['province']} {year}", other=seen[ident])
    seen.setdefault(ident, doc.file)
    dated: dict[str, dict[str, Due]] = {}
    for name, entries in data["series"].items():
        if name not in series:
            c.add("report_series_unknown", file=doc.file, line=doc.line(("series", name)), where=f"series.{name}",
                  series=name, known=", ".join(sorted(series)))
            continue
        keys = series[name][1]
        for i, e in enumerate(entries):
            where = ("series", name, i)
            key = str(e["key"])
            if key not in keys:
                c.add("report_key_unknown", file=doc.file, line=doc.line(where + ("key",)),
                      where=f"series.{name}.{i}.key", key=key, series=name, known=", ".join(keys))
                continue
            if key in dated.get(name, {}):
                c.add("duplicate_id", file=doc.file, line=doc.line(where + ("key",)), where=f"series.{name}.{i}.key",
                      id=key, other=f"series.{name}")
                continue
            try:
                on = dt.date.fromisoformat(str(e["on"]))
            except ValueError:
                c.add("bad_date", file=doc.file, line=doc.line(where + ("on",)), where=f"series.{name}.{i}.on",
                      value=str(e["on"]))
                continue
            if on.year != year:
                c.add("report_date_year", file=doc.file, line=doc.line(where + ("on",)), where=f"series.{name}.{i}.on",
                      value=on.isoformat(), year=year)
                continue
            dated.setdefault(name, {})[key] = Due(on, f"{doc.file}: {e['source']}")
    if len(c.errors) > before:
        return None
    return ReportCalendar(str(data["province"]), year, doc.file, dated)
