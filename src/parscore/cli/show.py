"""`parscore show FRAMEWORK [LEAF_ID]`: what a framework requires, from its parameters alone."""
from __future__ import annotations

import click

from parscore import api
from parscore.cli.common import LANG, VERBOSE
from parscore.render.framework import show_framework, show_trace


@click.command("show")
@click.argument("framework")
@click.argument("leaf_id", required=False)
@click.option("--trace", "with_trace", is_flag=True,
              help="Từng mục của văn bản nguồn → tiêu chí mã hóa nó / each item of the source document → its leaves")
@VERBOSE
@LANG
def command(framework: str, leaf_id: str | None, with_trace: bool, verbose: bool, lang: str) -> None:
    """Yêu cầu của bộ tiêu chí (một tiêu chí hoặc cả cây) / what a framework requires."""
    fw = api.load_framework(framework)
    api.check_node_id(fw, leaf_id)
    if with_trace:
        click.echo(show_trace(fw, api.trace(fw), leaf_id, lang))
        return
    click.echo(show_framework(fw, leaf_id, lang, api.catalogue(), verbose))
