"""The `parscore` command: a thin click layer over `parscore.api`.

Each command is one module of this package, discovered by scanning (a command is
one file, as a kind is one folder): the module defines `command`, a click command.
Exit codes: 0 ran; 1 an index is below --fail-under (or `test` found failures);
2 bad input or usage, one located line per problem; 3 a bug in parscore; 130 interrupted.

Commands are listed without being imported: each module's source is read for its
command's name and help (`parscore --help` never loads pandas), and a module is
imported only when its command runs. A module whose command cannot be read that way
(a computed name or help) is simply imported to list it.
"""
from __future__ import annotations

import ast
import importlib
import pkgutil
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import click
from click.utils import make_str

from parscore.cli._language import Context, install_click_translation
from parscore.cli.common import ParscoreGroup

install_click_translation()


@dataclass(frozen=True)
class Entry:
    module: str
    command: click.Command | None  # a stand-in carrying the name and help, or the real command if imported


def _literal(node: ast.expr | None) -> Any:
    try:
        return ast.literal_eval(node) if node is not None else None
    except ValueError:
        raise LookupError from None


def _stand_in(path: Path) -> click.Command | None:
    """The command's name and help read from the module's source, or None if they are not plain literals.
    A command group is listed by a plain stand-in too: the listing shows only its name and short help."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if not (isinstance(node, ast.FunctionDef) and node.name == "command"):
            continue
        for deco in node.decorator_list:
            if (isinstance(deco, ast.Call) and isinstance(deco.func, ast.Attribute) and deco.func.attr in ("command", "group")
                    and isinstance(deco.func.value, ast.Name) and deco.func.value.id == "click"):
                try:
                    name = _literal(deco.args[0]) if deco.args else None
                    kw = {k.arg: _literal(k.value) for k in deco.keywords if k.arg in ("help", "short_help", "hidden")}
                except LookupError:
                    return None
                if not isinstance(name, str) or len(kw) != len([k for k in deco.keywords if k.arg in ("help", "short_help", "hidden")]):
                    return None
                stand_in = click.Command(name, help=kw.get("help", ast.get_docstring(node)),
                                         short_help=kw.get("short_help"), hidden=bool(kw.get("hidden", False)))
                stand_in.context_class = Context
                return stand_in
    return None


def _load(module: str, info_name: str) -> click.Command:
    cmd = getattr(importlib.import_module(module), "command", None)
    if not isinstance(cmd, click.Command):
        raise RuntimeError(f"parscore.cli.{info_name} defines no click `command`")
    cmd.context_class = Context  # help texts and click's sentences in the user's language
    return cmd


@lru_cache(maxsize=1)
def index() -> dict[str, Entry]:
    """Command name → its module, from the sources of this package."""
    out: dict[str, Entry] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("_") or info.name == "common":
            continue
        module = f"{__name__}.{info.name}"
        stand_in = _stand_in(Path(__path__[0]) / f"{info.name}.py")
        cmd = stand_in or _load(module, info.name)
        if cmd.name in out:
            raise RuntimeError(f"command {cmd.name!r} is defined twice (parscore.cli.{info.name})")
        out[str(cmd.name)] = Entry(module, cmd)
    return out


class LazyGroup(ParscoreGroup):
    """Lists commands from `index()`; imports a command's module only to run it (or show its own help)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(index())

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[str | None, click.Command | None, list[str]]:
        # click suggests a close name from `self.commands`, which a lazy group leaves empty: offer the index instead
        try:
            return super().resolve_command(ctx, args)
        except click.exceptions.NoSuchCommand as exc:
            name = make_str(args[0]) if args else ""
            raise click.exceptions.NoSuchCommand(name, possibilities=sorted(index()), ctx=ctx) from exc

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = index().get(cmd_name)
        if entry is None:
            return None
        if ctx.resilient_parsing or _listing(ctx):
            return entry.command  # listing the commands: the stand-in's name and help are enough
        cmd = _load(entry.module, entry.module.rsplit(".", 1)[1])
        if cmd.name != cmd_name:
            raise RuntimeError(f"{entry.module} names its command {cmd.name!r}, its source says {cmd_name!r}")
        return cmd


def _listing(ctx: click.Context) -> bool:
    return bool(ctx.meta.get("parscore.listing"))


class _Main(LazyGroup):
    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        ctx.meta["parscore.listing"] = True
        try:
            super().format_commands(ctx, formatter)
        finally:
            ctx.meta["parscore.listing"] = False


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="parscore", help="Hiện phiên bản rồi thoát / show the version and exit.")
def main() -> None:
    """Chấm điểm Chỉ số CCHC cấp xã từ minh chứng / Score a commune's PAR INDEX from its evidence."""
