"""`parscore show FRAMEWORK [LEAF_ID]`: what a framework requires, from its parameters alone."""
from __future__ import annotations

import click

from parscore import api
from parscore.cli.common import LANG, VERBOSE
from parscore.render.framework import show_framework


@click.command("show")
@click.argument("framework")
@click.argument("leaf_id", required=False)
@VERBOSE
@LANG
def command(framework: str, leaf_id: str | None, verbose: bool, lang: str) -> None:
    """Yêu cầu của bộ tiêu chí (một tiêu chí hoặc cả cây) / what a framework requires."""
    fw = api.load_framework(framework)
    api.check_node_id(fw, leaf_id)
    click.echo(show_framework(fw, leaf_id, lang, api.catalogue(), verbose))
