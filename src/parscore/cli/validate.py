"""`parscore validate PATH...`: frameworks, bundles and rules files; every problem at once, each located."""
from __future__ import annotations

import sys

import click

from parscore import api
from parscore.cli.common import LANG
from parscore.core.messages import word


@click.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@LANG
def command(paths: tuple[str, ...], lang: str) -> None:
    """Kiểm tra bộ tiêu chí, bộ minh chứng, tệp quy tắc / check frameworks, bundles and rules files."""
    failed = False
    for path, errors in api.validate(paths):
        if errors:
            failed = True
            for e in errors:
                click.echo(e.render(lang), err=True)
        else:
            click.echo(f"{path}: {word('valid', lang)}")
    sys.exit(2 if failed else 0)
