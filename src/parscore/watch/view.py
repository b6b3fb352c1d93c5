"""The live terminal view (rich): the latest alerts with their stakes, and a running summary."""
from __future__ import annotations

from collections import deque
from types import TracebackType
from typing import Self

from rich.console import Console
from rich.live import Live
from rich.table import Table

from parscore.core import dates
from parscore.core.messages import word
from parscore.metrics.catalogue import Catalogue
from parscore.watch.alerts import Alert

STYLE = {"info": "cyan", "warning": "yellow", "critical": "bold red"}


class LiveView:
    """A rich Live table of the last `rows` alerts; use as a context manager, feed with `add`."""

    def __init__(self, lang: str, catalogue: Catalogue, rows: int = 20, console: Console | None = None) -> None:
        self.lang, self.catalogue = lang, catalogue
        self.recent: deque[Alert] = deque(maxlen=rows)
        self.count = 0
        self.live = Live(self._table(), console=console or Console(), auto_refresh=False)

    def _table(self) -> Table:
        lg = self.lang
        t = Table(title=f"{word('watch_live_title', lg)} ({self.count})", expand=True)
        for code in ("watch_col_day", "watch_col_severity", "watch_col_commune", "watch_col_alert", "watch_col_stake"):
            t.add_column(word(code, lg))
        for a in self.recent:
            t.add_row(dates.text(a.fired.day, lg), word(f"watch_severity_{a.rule.severity}", lg), a.fired.commune,
                      a.message(lg), a.stake_text(lg, self.catalogue), style=STYLE.get(a.rule.severity))
        return t

    def add(self, alert: Alert) -> None:
        self.count += 1
        self.recent.append(alert)
        self.live.update(self._table(), refresh=True)

    def __enter__(self) -> Self:
        self.live.__enter__()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.live.__exit__(kind, exc, tb)
