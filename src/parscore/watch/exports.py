"""Events from two successive exports of a commune's tables (the one-stop system's daily export).

Each export is a bundle folder (or workbook). The events of the newer one that the
older one does not already imply are the day's events: a dossier that appears is
`received`, one whose end date appears is `finished`, a supplement count that grows
is one `supplement_requested` per request, a new apology letter is `issued`, and so
on. Both exports go through the same generator (`generate.from_bundle`), so an
export and the stream it implies always agree.
"""
from __future__ import annotations

from collections import Counter

from parscore.evidence.bundle import Bundle
from parscore.watch.events import Event
from parscore.watch.generate import commune_code, from_bundle


def _key(e: Event) -> tuple[str, str, str]:
    return (e.table, e.record, e.type)


def diff(old: Bundle, new: Bundle, commune: str | None = None) -> list[Event]:
    """The events in `new` beyond those in `old`, in time order (seq from 1).

    Events are matched by (table, record, type) and counted, so a second supplement
    request is new even though a first one was known."""
    code = commune or commune_code(new)
    seen = Counter(_key(e) for e in from_bundle(old, code))
    out = []
    for e in from_bundle(new, code):
        k = _key(e)
        if seen[k] > 0:
            seen[k] -= 1
            continue
        out.append(e)
    return [Event(i, e.commune, e.table, e.record, e.type, e.at, e.fields) for i, e in enumerate(out, 1)]
