"""The language of the terminal: chosen once, and spoken by click's own sentences too.

Order of precedence: `--lang` on the command line, then `PARSCORE_LANG`, then
`lang = "vi"|"en"` in the user config file (`config_path()`), then Vietnamese.

click marks its own sentences ("Missing argument", "Usage:", "Show this message
and exit.") with gettext: each of its modules binds `_ = gettext.gettext`. A
gettext catalogue would be chosen from the LANGUAGE/LANG environment, which is
not how parscore picks its language, so `install_click_translation` rebinds
those names, once, to a lookup in the message catalogue (`CLICK_VI`) that follows
the language of the running command (a context variable, so tests that call the
CLI in-process in both languages do not leak one into the other).

Help texts are written "tiếng Việt / English" (exactly one " / "); `HelpFormatter`
prints the side of the chosen language.
"""
from __future__ import annotations

import contextvars
import os
import re
import sys
import tomllib
from pathlib import Path
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.types
from platformdirs import user_config_dir

from parscore.core.errors import InputError, InputErrors
from parscore.core.messages import word
from parscore.core.messages.language import CLICK_VI

LANGS = ("vi", "en")
SEPARATOR = " / "
ACTIVE: contextvars.ContextVar[str] = contextvars.ContextVar("parscore_lang", default="vi")


def config_path() -> Path:
    """The user config file: $PARSCORE_CONFIG, else e.g. ~/.config/parscore/config.toml (platformdirs)."""
    override = os.environ.get("PARSCORE_CONFIG")
    return Path(override) if override else Path(user_config_dir("parscore", appauthor=False)) / "config.toml"


def configured_lang() -> str | None:
    """`lang` from the user config file, None when there is no file or no `lang`."""
    path = config_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputErrors([InputError("config_syntax", file=str(path), params={"problem": str(exc)})]) from None
    lang = data.get("lang")
    if lang is None:
        return None
    if lang not in LANGS:
        raise InputErrors([InputError("config_bad_lang", file=str(path), where="lang", value=lang)])
    return str(lang)


def default_lang() -> str:
    """The language when --lang is not given: PARSCORE_LANG, the config file, else Vietnamese."""
    env = os.environ.get("PARSCORE_LANG")
    if env in LANGS:
        return str(env)
    return configured_lang() or "vi"


def lang_in_args(args: Sequence[str]) -> str | None:
    """`--lang X` / `--lang=X` as typed, read before click parses (its own errors come first)."""
    found = None
    for k, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and k + 1 < len(args):
            found = args[k + 1]
        elif arg.startswith("--lang="):
            found = arg.split("=", 1)[1]
    return found if found in LANGS else None


def resolve_lang(args: Sequence[str]) -> str:
    return lang_in_args(args) or default_lang()


def translate(message: str) -> str:
    return CLICK_VI.get(message, message) if ACTIVE.get() == "vi" else message


def _ngettext(singular: str, plural: str, n: int) -> str:
    return translate(singular if n == 1 else plural)


_CLICK_MODULES = (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.types)


def install_click_translation() -> None:
    """Point click's gettext names at parscore's catalogue (idempotent)."""
    for module in _CLICK_MODULES:
        if hasattr(module, "_"):
            module._ = translate  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext  # type: ignore[attr-defined]


class speaking:
    """`with speaking(lang):` click's sentences and help texts in `lang` for the duration."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._token: contextvars.Token[str] | None = None

    def __enter__(self) -> "speaking":
        self._token = ACTIVE.set(self.lang)
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._token is not None:
            ACTIVE.reset(self._token)


def pick(text: str | None, lang: str | None = None) -> str:
    """The `lang` side of a "tiếng Việt / English" help text (the whole text when it has no separator)."""
    if not text:
        return text or ""
    lang = lang or ACTIVE.get()
    extra = ""
    # click appends "  [default: …]" after the help text: keep it whichever side is shown
    if text.endswith("]") and "  [" in text:
        text, _, tail = text.rpartition("  [")
        extra = "  [" + tail
    if SEPARATOR in text:
        vi, _, en = text.partition(SEPARATOR)
        text = vi if lang == "vi" else en
    elif text in _ENGLISH_OF:  # one of click's own, worded when first made (click keeps its --help option)
        text = _ENGLISH_OF[text] if lang == "en" else CLICK_VI[_ENGLISH_OF[text]]
    return text + extra


_ENGLISH_OF = {**{vi: en for en, vi in CLICK_VI.items()}, **{en: en for en in CLICK_VI}}


# click's usage placeholders and type names are not gettext ids: the formatter words them
_METAVARS_VI = {"[OPTIONS]": "[TÙY CHỌN]", "COMMAND": "LỆNH", "[ARGS]": "[ĐỐI SỐ]", "TEXT": "CHUỖI",
                "PATH": "ĐƯỜNG DẪN", "INTEGER RANGE": "SỐ NGUYÊN", "INTEGER": "SỐ NGUYÊN"}


def _metavars(text: str) -> str:
    if ACTIVE.get() != "vi":
        return text
    for en, vi in _METAVARS_VI.items():
        text = re.sub(rf"(?<![A-Z_]){re.escape(en)}(?![A-Z_])", vi, text)
    return text


class HelpFormatter(click.HelpFormatter):
    """click's formatter, printing the chosen language's side of each help text."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, _metavars(args), prefix)

    def write_text(self, text: str) -> None:
        super().write_text(pick(text))

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        super().write_dl([(_metavars(term), pick(help_text)) for term, help_text in rows], col_max, col_spacing)


class Context(click.Context):
    formatter_class = HelpFormatter


def short_help(cmd: click.Command, limit: int) -> str:
    """A command's one-line help in the chosen language (click would cut the bilingual text)."""
    text = " ".join(pick(cmd.short_help or cmd.help or "").split())
    first = text.split(". ")[0].rstrip(".")
    return first if len(first) <= limit else first[: max(limit - 1, 1)].rsplit(" ", 1)[0] + "…"


def usage_line(exc: click.UsageError, lang: str) -> str:
    """A usage error as one located line: the command, click's message (translated), where to look."""
    command = exc.ctx.command_path if exc.ctx is not None else "parscore"
    message = " ".join(exc.format_message().split())
    return word("usage_error", lang, command=command, message=message)


def utf8_streams(streams: Iterator[Any] | Sequence[Any] = ()) -> None:
    """stdout/stderr in UTF-8 whatever the console code page (cp1258, cp437 on a Windows console)."""
    for stream in streams or (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
        if encoding not in ("utf-8", "utf8") and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(encoding="utf-8", errors="replace")
            except (ValueError, OSError):  # a stream that cannot change (already written to, closed)
                continue
