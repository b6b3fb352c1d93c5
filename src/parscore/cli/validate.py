"""`parscore validate PATH...`: frameworks, bundles and rules files; every problem at once, each located."""
from __future__ import annotations

import sys

import click

from parscore import api
from parscore.cli.common import LANG, table_or_json
from parscore.core.messages import word
from parscore.render.json_docs import validate_json


@click.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@table_or_json()
@LANG
def command(paths: tuple[str, ...], fmt: str, lang: str) -> None:
    """Kiểm tra bộ tiêu chí, bộ minh chứng, tệp quy tắc / check frameworks, bundles and rules files."""
    found = api.validate(paths)
    if fmt == "json":
        click.echo(validate_json(found), nl=False)
        sys.exit(2 if any(errors for _, errors in found) else 0)
    failed = False
    for path, errors in found:
        if errors:
            failed = True
            for e in errors:
                click.echo(e.render(lang), err=True)
        else:
            click.echo(f"{path}: {word('valid', lang)}")
    sys.exit(2 if failed else 0)
