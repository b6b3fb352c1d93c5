"""The screen a terminal table is rendered for: its width and whether it takes colour.

Kept apart from `render.terminal` (rich, numpy through the kinds) so that the CLI can
set the screen for every command, `--help` included, without importing either.
"""
from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from dataclasses import dataclass

WIDE = 120  # from this width the score table shows every column


@dataclass(frozen=True)
class Screen:
    width: int = WIDE
    color_system: str | None = None  # rich's name ("standard", "256", "truecolor"), None: no colour


_SCREEN: contextvars.ContextVar[Screen] = contextvars.ContextVar("parscore_screen", default=Screen())


@contextlib.contextmanager
def on_screen(screen: Screen) -> Iterator[Screen]:
    """Render for `screen` inside the block."""
    token = _SCREEN.set(screen)
    try:
        yield screen
    finally:
        _SCREEN.reset(token)
