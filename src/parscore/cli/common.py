"""What every command shares: the language option, the exit-code contract, safe output files.

The contract is enforced here, in one place, for every command: bad input
(`InputErrors`) prints one located line per problem and exits 2; an interrupt
exits 130; anything else is a bug in parscore and exits 3 with one line that
names the inputs' hashes — never a traceback, never exit 1 (which means
"below --fail-under").
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, NoReturn

import click

from parscore.cli._language import ACTIVE, Context, default_lang, resolve_lang, short_help, speaking, translate, usage_line, utf8_streams
from parscore.core.errors import InputError, InputErrors
from parscore.core.messages import word
from parscore.render.screen import Screen, on_screen


def _remember_lang(ctx: click.Context, _param: click.Parameter, value: str | None) -> str:
    lang = value or default_lang()
    ctx.meta["parscore.lang"] = lang
    return lang


LANG = click.option("--lang", type=click.Choice(["vi", "en"]), default=None, envvar="PARSCORE_LANG",
                    callback=_remember_lang, expose_value=True, is_eager=True,
                    help="Ngôn ngữ hiển thị; mặc định lấy từ PARSCORE_LANG, rồi từ lang trong tệp cấu hình, rồi vi"
                         " / language of the output; defaults to PARSCORE_LANG, then lang in the config file, then vi.")
VERBOSE = click.option("--verbose", "-v", is_flag=True,
                       help="Hiện cả ghi chú nguồn gốc cho người bảo trì / also show provenance notes meant for maintainers.")
FRAMEWORK = click.option("--framework", "-f", "framework",
                         help="Mã hoặc thư mục bộ tiêu chí (mặc định: của bộ minh chứng) / framework id or folder.")
OUT = click.option("--out", "-o", type=click.Path(), help="Ghi ra tệp này thay vì màn hình / write to this file.")


def table_or_json(default: str = "table", *extra: str) -> Any:
    return click.option("--format", "fmt", type=click.Choice([default, *[e for e in ("table", "json", *extra) if e != default]]),
                        default=default, show_default=True, help="Định dạng đầu ra / output format.")


def lang_of(ctx: click.Context | None) -> str:
    if ctx is not None and "parscore.lang" in ctx.meta:
        return str(ctx.meta["parscore.lang"])
    return ACTIVE.get()  # the language `main` resolved from the arguments, PARSCORE_LANG and the config file


def terminal_screen() -> Screen:
    """The screen stdout shows, as rich detects it: width (COLUMNS, the terminal's size, else 80) and
    colour (only on a terminal that has it; none when piped, with NO_COLOR or TERM=dumb)."""
    piped = _piped_screen()
    if piped is not None:
        return piped
    from rich.console import Console  # lazily: ~25 ms, and `--help` or a piped run prints without it

    con = Console(file=sys.stdout)
    color = con.is_terminal and not con.no_color and con.color_system is not None
    return Screen(width=con.width, color_system=con.color_system if color else None)


def _std_fileno(stream: Any, default: int) -> int:
    try:
        return int(stream.fileno())
    except Exception:
        return default


def _piped_screen() -> Screen | None:
    """What rich's Console detects when stdout is not a terminal (piped, redirected, captured), decided
    without importing rich: no colour, and COLUMNS if it is digits, else the size of the first standard
    stream that is a terminal, else 80. None when rich must decide: a terminal, or a setting that may make
    rich treat stdout as one (FORCE_COLOR, TTY_COMPATIBLE=1), Jupyter, IDLE or Windows (tests/test_cli_screen.py)."""
    env = os.environ
    if sys.platform == "win32" or "FORCE_COLOR" in env or env.get("TTY_COMPATIBLE", "") == "1" or "IPython" in sys.modules:
        return None
    if getattr(sys.stdin, "__module__", "").startswith("idlelib"):
        return None
    try:
        if sys.stdout.isatty() and env.get("TTY_COMPATIBLE", "") != "0":
            return None
    except ValueError:  # a closed stream: rich counts it as no terminal too
        pass
    columns = env.get("COLUMNS")
    if columns is not None and columns.isdigit():
        try:
            return Screen(width=int(columns), color_system=None)
        except ValueError:  # digits int() does not read ("²"): whatever rich makes of them
            return None
    width = 0
    for fd in (_std_fileno(sys.__stdin__, 0), _std_fileno(sys.__stdout__, 1), _std_fileno(sys.__stderr__, 2)):
        try:
            width = os.get_terminal_size(fd).columns
        except (AttributeError, ValueError, OSError):
            continue
        break
    return Screen(width=width or 80, color_system=None)


# click >= 8.2 raises this for a group called without a command (8.1 prints the help itself)
_NO_ARGS_IS_HELP: type[Exception] = getattr(click.exceptions, "NoArgsIsHelpError", type("_Never", (Exception,), {}))

# A table written with --out goes to a file, not a terminal: a fixed width, no colour codes.
FILE_SCREEN = Screen(width=120, color_system=None)


def screen_for(out: str | None) -> contextlib.AbstractContextManager[Any]:
    """Render for the file named by --out, or for the terminal (the screen `main` set)."""
    return on_screen(FILE_SCREEN) if out else contextlib.nullcontext()


def fail(lang: str, errors: list[InputError]) -> NoReturn:
    for e in errors:
        click.echo(e.render(lang), err=True)
    sys.exit(2)


def input_hashes(argv: list[str]) -> str:
    """Short sha256 of every existing input named on the command line (a folder: of its files)."""
    out = []
    for arg in argv:
        p = Path(arg)
        try:
            if p.is_file():
                out.append(f"{p.name}={_hash_files([p], p.parent)}")
            elif p.is_dir():
                out.append(f"{p.name}/={_hash_files(sorted(x for x in p.rglob('*') if x.is_file()), p)}")
        except OSError:
            continue
    return ", ".join(out) or "—"


def _hash_files(files: list[Path], root: Path) -> str:
    h = hashlib.sha256()
    for f in files[:10_000]:
        h.update(f.relative_to(root).as_posix().encode())
        with open(f, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()[:16]


class ParscoreGroup(click.Group):
    """The command group that enforces the exit-code contract around every command.

    It also runs click in the user's language: the language is read from the
    arguments before click parses them (click's own usage errors come first), and a
    usage error is one translated line and exit 2 rather than click's usage block.
    """

    context_class = Context

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        utf8_streams()
        try:
            lang = resolve_lang(argv)
        except InputErrors as exc:
            fail("vi", exc.errors)
        with speaking(lang), on_screen(terminal_screen()):
            if not standalone_mode:
                return super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
            try:
                rv = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
            except click.UsageError as exc:
                if isinstance(exc, _NO_ARGS_IS_HELP) and exc.ctx is not None:  # `parscore` alone: the help, not an error line
                    click.echo(exc.ctx.get_help(), err=True)
                else:
                    click.echo(usage_line(exc, lang), err=True)
                sys.exit(2)
            except click.ClickException as exc:
                click.echo(" ".join(exc.format_message().split()), err=True)
                sys.exit(exc.exit_code)
            except click.Abort:
                click.echo(word("interrupted", lang), err=True)
                sys.exit(130)
            sys.exit(rv if isinstance(rv, int) else 0)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        limit = formatter.width - 6 - max((len(n) for n in self.list_commands(ctx)), default=0)
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                rows.append((name, short_help(cmd, limit)))
        if rows:
            with formatter.section(translate("Commands")):
                formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit):
            raise
        except InputErrors as exc:
            fail(lang_of(ctx), exc.errors)
        except (KeyboardInterrupt, click.exceptions.Abort):  # click turns Ctrl-C at a prompt into Abort (exit 1)
            click.echo(word("interrupted", lang_of(ctx)), err=True)
            sys.exit(130)
        except BrokenPipeError:
            sys.exit(0)
        except Exception as exc:  # the contract: a bug, not bad input
            click.echo(word("internal_bug", lang_of(ctx), error=f"{type(exc).__name__}: {exc}"[:300],
                            hashes=input_hashes(sys.argv[1:])), err=True)
            sys.exit(3)


def write_out(text: str | bytes, out: str | None) -> None:
    """Write to stdout, or atomically to a file: a failed run leaves no half-written file.

    The file gets the mode the user's umask gives a new file (mkstemp alone would make it 0600).
    """
    if not out:
        click.echo(text, nl=False)
        return
    target = Path(out)
    parent = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise InputErrors([InputError("out_is_folder", file=out, params={"file": out})])
    if not parent.is_dir():
        raise InputErrors([InputError("out_folder_missing", file=out, params={"folder": str(parent)})])
    fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode("utf-8") if isinstance(text, str) else text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
