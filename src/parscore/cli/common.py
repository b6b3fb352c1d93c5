"""What every command shares: the language option, the exit-code contract, safe output files.

The contract is enforced here, in one place, for every command: bad input
(`InputErrors`) prints one located line per problem and exits 2; an interrupt
exits 130; anything else is a bug in parscore and exits 3 with one line that
names the inputs' hashes — never a traceback, never exit 1 (which means
"below --fail-under").
"""
from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, NoReturn

import click

from parscore.core.errors import InputError, InputErrors
from parscore.core.messages import word


def _remember_lang(ctx: click.Context, _param: click.Parameter, value: str) -> str:
    ctx.meta["parscore.lang"] = value
    return value


LANG = click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True, envvar="PARSCORE_LANG",
                    callback=_remember_lang, expose_value=True, is_eager=True,
                    help="Ngôn ngữ hiển thị / language of the output (PARSCORE_LANG).")
FRAMEWORK = click.option("--framework", "-f", "framework",
                         help="Mã hoặc thư mục bộ tiêu chí (mặc định: của bộ minh chứng) / framework id or folder.")
OUT = click.option("--out", "-o", type=click.Path(), help="Ghi ra tệp này thay vì màn hình / write to this file.")


def table_or_json(default: str = "table", *extra: str) -> Any:
    return click.option("--format", "fmt", type=click.Choice([default, *[e for e in ("table", "json", *extra) if e != default]]),
                        default=default, show_default=True, help="Định dạng đầu ra / output format.")


def lang_of(ctx: click.Context | None) -> str:
    if ctx is not None and "parscore.lang" in ctx.meta:
        return str(ctx.meta["parscore.lang"])
    env = os.environ.get("PARSCORE_LANG", "vi")
    return env if env in ("vi", "en") else "vi"


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
    """The command group that enforces the exit-code contract around every command."""

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
