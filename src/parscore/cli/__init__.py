"""The `parscore` command: a thin click layer over `parscore.api`.

Each command is one module of this package, discovered by scanning (a command is
one file, as a kind is one folder): the module defines `command`, a click command.
Exit codes: 0 ran; 1 an index is below --fail-under (or `test` found failures);
2 bad input or usage, one located line per problem; 3 a bug in parscore; 130 interrupted.
"""
from __future__ import annotations

import importlib
import pkgutil

import click

from parscore.cli._language import Context, install_click_translation
from parscore.cli.common import ParscoreGroup

install_click_translation()


@click.group(cls=ParscoreGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="parscore", help="Hiện phiên bản rồi thoát / show the version and exit.")
def main() -> None:
    """Chấm điểm Chỉ số CCHC cấp xã từ minh chứng / Score a commune's PAR INDEX from its evidence."""


def _discover() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("_") or info.name == "common":  # helpers, not commands
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        cmd = getattr(module, "command", None)
        if not isinstance(cmd, click.Command):
            raise RuntimeError(f"parscore.cli.{info.name} defines no click `command`")
        if cmd.name in main.commands:
            raise RuntimeError(f"command {cmd.name!r} is defined twice (parscore.cli.{info.name})")
        cmd.context_class = Context  # help texts and click's sentences in the user's language
        main.add_command(cmd)


_discover()
