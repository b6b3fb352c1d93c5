"""An alert as the user reads it: the rule's message with the record's values, and the stake.

Messages are filled by substituting the known placeholders (`rules.PLACEHOLDERS`) one by
one, never by `str.format` on a file's text. Points stay exact (Fractions) in the JSON
log and are rounded only for display, the Vietnamese way (99,88 %, 3,50 điểm).
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from parscore.core import dates
from parscore.core.messages import word
from parscore.core.numbers import display, exact_text
from parscore.metrics.catalogue import Catalogue
from parscore.watch.calendar import day_index, from_day_index
from parscore.watch.rules import AlertRule
from parscore.watch.runner import Fired
from parscore.watch.stake import Stake


@dataclass(frozen=True)
class Alert:
    rule: AlertRule
    fired: Fired
    stake: Stake | None

    @property
    def key(self) -> tuple[str, str, str, str]:
        return self.fired.key

    def values(self, lang: str) -> dict[str, str]:
        f = self.fired.fact
        today = self.fired.day
        out = {"commune": self.fired.commune, "record": self.fired.record, "supp": str(f.get("supp", 0))}
        for name in ("start", "due", "end"):
            out[name] = dates.text(from_day_index(f[f"{name}_day"]), lang) if f.get(f"has_{name}") else "—"
        out["days_left"] = str(f["due_wd"] - self.fired.wd) if f.get("has_due") else "—"
        out["days_since_end"] = str(day_index(today) - f["end_day"]) if f.get("has_end") else "—"
        return out

    def message(self, lang: str) -> str:
        text = self.rule.message.vi if lang == "vi" else self.rule.message.en
        for name, value in self.values(lang).items():
            text = text.replace("{" + name + "}", value)
        return text

    def stake_text(self, lang: str, catalogue: Catalogue) -> str:
        s = self.stake
        if s is None:
            return word("watch_no_stake", lang)
        if s.points == 0:
            return word("watch_stake_none", lang, framework=s.framework)
        leaves = ", ".join(f"{leaf} {display(p, 2, lang)}" for leaf, p in s.leaves)
        rates = "; ".join(word("watch_rate_after", lang, metric=_title(catalogue, m, lang), rate=percent(n, d, lang))
                          for m, n, d in s.rates if d)
        return word("watch_stake", lang, points=display(s.points, 2, lang), framework=s.framework, leaves=leaves,
                    rates=rates)

    def line(self, lang: str, catalogue: Catalogue) -> str:
        sev = word(f"watch_severity_{self.rule.severity}", lang)
        return f"[{sev}] {dates.text(self.fired.day, lang)} {self.fired.commune} · {self.message(lang)} — " \
               f"{self.stake_text(lang, catalogue)}"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"rule": self.rule.id, "severity": self.rule.severity, "commune": self.fired.commune,
                               "table": self.fired.table, "record": self.fired.record,
                               "on": self.fired.day.isoformat(),
                               "message": {"vi": self.message("vi"), "en": self.message("en")}, "stake": None}
        s = self.stake
        if s is not None:
            out["stake"] = {
                "framework": s.framework, "points": exact_text(s.points), "points_display": display(s.points, 2, "vi"),
                "leaves": [{"leaf": leaf, "points": exact_text(p), "points_display": display(p, 2, "vi")}
                           for leaf, p in s.leaves],
                "index_if_acted": _exact(s.index_if_acted), "index_if_ignored": _exact(s.index_if_ignored),
                "if_ignored": [{"metric": m, "numerator": n, "denominator": d, "percent_display": percent(n, d, "vi")}
                               for m, n, d in s.rates]}
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))


def still_open(rule: AlertRule, fact: Mapping[str, Any], today: int, today_wd: int) -> bool:
    """Whether an alert that fired is still open on day `today` for the record as it is now (`fact`).

    An alert stays open while its record still passes the rule's field tests and its time conditions hold with
    the window's near edge dropped: "due within N days" stays open until the date passes (a dossier due
    tomorrow is still due today), "N days since" holds once it turned true. So a finished dossier closes its
    "due soon" alert, an apology letter closes "late without apology", a past due date turns "due soon" into
    the "overdue" alert that fired by then."""
    if not fact:
        return False
    ops = {"eq": lambda a, b: a == b, "ge": lambda a, b: a >= b, "le": lambda a, b: a <= b}
    if not all(ops[t.op](fact[t.field], t.value) for t in rule.tests):
        return False
    for c in rule.clock:
        if not fact.get(f"has_{c.date}"):
            return False
        if c.measure in ("days_until", "working_days_until") and fact[f"{c.date}_day"] < today:
            return False
        if c.measure == "days_since" and today - fact[f"{c.date}_day"] < c.days:
            return False
        if c.measure == "working_days_since" and today_wd - fact[f"{c.date}_wd"] < c.days:
            return False
    return True


def percent(num: int, den: int, lang: str) -> str:
    """A rate as an office reads it: 99,88 % (Vietnamese) or 99.88 % (English)."""
    return f"{display(Fraction(100 * num, den), 2, lang)} %" if den else "—"


def _exact(value: Fraction | None) -> str | None:
    return None if value is None else exact_text(value)


def _title(catalogue: Catalogue, metric: str, lang: str) -> str:
    m = catalogue.get(metric)
    if m is None:
        return metric
    return m.title.vi if lang == "vi" else m.title.en


def summary(alerts: list[Alert], days: int, events: int, restarts: int, lang: str) -> str:
    by_sev: dict[str, int] = {}
    for a in alerts:
        by_sev[a.rule.severity] = by_sev.get(a.rule.severity, 0) + 1
    parts = ", ".join(f"{word(f'watch_severity_{k}', lang)} {v}" for k, v in sorted(by_sev.items()))
    at_stake = sum((a.stake.points for a in alerts if a.stake is not None), Fraction(0))
    return word("watch_summary", lang, alerts=len(alerts), parts=parts or "—", events=events, days=days,
                points=display(at_stake, 2, lang), restarts=restarts)

