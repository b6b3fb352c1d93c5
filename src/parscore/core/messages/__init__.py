"""Every user-facing sentence, in Vietnamese and English, keyed by a stable code.

The catalogue is one registry gathered from the modules of this package (one per
area: `base`, and e.g. `reports`, `web`, `watch`), each defining `ERRORS`
(code → vi message, vi fix, en message, en fix) and/or `WORDS` (code → vi, en).
A code defined twice is refused at import. Keeping every sentence here means a
message cannot exist in one language only: `tests/test_messages.py` checks that
both languages carry the same placeholders.
"""
from __future__ import annotations

import importlib
import pkgutil

LANGS = ("vi", "en")
ERRORS: dict[str, tuple[str, str, str, str]] = {}
WORDS: dict[str, tuple[str, str]] = {}


def _gather() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for target, name in ((ERRORS, "ERRORS"), (WORDS, "WORDS")):
            for code, text in getattr(module, name, {}).items():
                if code in target:
                    raise RuntimeError(f"message code {code!r} is defined twice (parscore.core.messages.{info.name})")
                target[code] = text  # type: ignore[assignment]


def add(errors: dict[str, tuple[str, str, str, str]] | None = None,
        words: dict[str, tuple[str, str]] | None = None, owner: str = "?") -> None:
    """Sentences a later stage owns (a kind's folder, say), added to the one catalogue; a code defined twice is refused."""
    for target, new in ((ERRORS, errors or {}), (WORDS, words or {})):
        for code, text in new.items():
            if code in target and target[code] != text:
                raise RuntimeError(f"message code {code!r} is defined twice ({owner})")
            target[code] = text  # type: ignore[assignment]


def word(code: str, lang: str, **params: object) -> str:
    vi, en = WORDS[code]
    text = vi if lang == "vi" else en
    return text.format(**params) if params else text


_gather()
