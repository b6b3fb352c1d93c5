"""`parscore frameworks`: the frameworks parscore holds."""
from __future__ import annotations

import click

from parscore import api
from parscore.cli.common import LANG
from parscore.render.framework import frameworks_table


@click.command("frameworks")
@LANG
def command(lang: str) -> None:
    """Liệt kê các bộ tiêu chí / list the frameworks parscore holds."""
    click.echo(frameworks_table(api.frameworks(), lang), nl=False)
