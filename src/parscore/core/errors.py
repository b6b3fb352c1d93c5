"""Errors with locations and reasons.

Three families follow the three phases (`Phase`): `InputError` (bad input found
while loading: the run stops, exit code 2), a leaf's evaluation failure (becomes
that leaf's `error` status, see engine; an example case that scores otherwise
than it says is an evaluate-phase `InputError`), and rendering problems (plain
bugs, exit code 3). An error's reason is its `code`: one code per distinct
problem, each with its Vietnamese and English sentence in the message catalogue;
an error naming a code the catalogue lacks is refused when it is made.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Iterable

from parscore.core.messages import ERRORS, word

_NO_VALUE = object()


def did_you_mean(name: str, choices: Iterable[str], lang: str = "en") -> str:
    """A "; did you mean 'x'?" suffix, or '' when nothing is close."""
    close = difflib.get_close_matches(str(name), sorted(set(choices)), n=1, cutoff=0.6)
    return word("did_you_mean", lang, name=close[0]) if close else ""


class Phase(str, Enum):
    LOAD = "load"
    EVALUATE = "evaluate"
    RENDER = "render"


EVALUATE_REASONS = frozenset({"case_mismatch"})


@dataclass(frozen=True)
class InputError(Exception):
    """One problem in one place of one input file; `code` is its reason (a key of the message catalogue)."""

    code: str
    file: str | None = None
    line: int | None = None
    where: str | None = None  # field path, or sheet/row/column
    value: Any = _NO_VALUE
    params: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code not in ERRORS:
            raise KeyError(f"error reason {self.code!r} is not in the message catalogue")

    @property
    def phase(self) -> Phase:
        return Phase.EVALUATE if self.code in EVALUATE_REASONS else Phase.LOAD

    def render(self, lang: str = "en") -> str:
        vi_msg, vi_fix, en_msg, en_fix = ERRORS[self.code]
        msg, fix = (vi_msg, vi_fix) if lang == "vi" else (en_msg, en_fix)
        params = dict(self.params)
        if "hint" in params and callable(params["hint"]):
            params["hint"] = params["hint"](lang)
        params.setdefault("hint", "")
        if self.value is not _NO_VALUE:
            params.setdefault("value", self.value)
        text = msg.format(**params)
        place = ":".join(str(p) for p in (self.file, self.line) if p is not None)
        parts = [place] if place else []
        if self.where:
            parts.append(self.where)
        parts.append(text)
        line = ": ".join(parts)
        if self.value is not _NO_VALUE and "{value}" not in msg:
            line += f" ({word('value', lang)}: {self.value!r})"
        line += f" — {word('fix', lang)}: {fix.format(**params)}"
        return " ".join(line.split())  # one line, whatever the value held

    def __str__(self) -> str:
        return self.render("en")


class InputErrors(Exception):
    """All problems found in one load, reported together."""

    def __init__(self, errors: Iterable[InputError]):
        self.errors = sorted(_unique(errors), key=_order)
        super().__init__("\n".join(e.render("en") for e in self.errors))

    def render(self, lang: str = "en") -> str:
        return "\n".join(e.render(lang) for e in self.errors)


def _unique(errors: Iterable[InputError]) -> list[InputError]:
    seen: dict[str, InputError] = {}
    for e in errors:
        seen.setdefault(e.render("en"), e)
    return list(seen.values())


def _order(e: InputError) -> tuple[str, bool, int, str]:
    # A table's "N more errors, fix the ones above" closes its file's list: it has no line, and would otherwise
    # lead it.
    return (e.file or "", e.code == "more_errors", e.line or 0, e.where or "")


class Collector:
    """Gathers errors so that a load reports every problem at once."""

    def __init__(self) -> None:
        self.errors: list[InputError] = []

    def add(self, code: str, **kw: Any) -> None:
        known = {"file", "line", "where", "value"}
        base = {k: v for k, v in kw.items() if k in known}
        params = {k: v for k, v in kw.items() if k not in known}
        self.errors.append(InputError(code, params=params, **base))

    def extend(self, errors: Iterable[InputError]) -> None:
        self.errors.extend(errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise InputErrors(self.errors)
