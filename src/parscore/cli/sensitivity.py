"""`parscore sensitivity BUNDLE`: which metrics move the score most."""
from __future__ import annotations

import click

from parscore import api
from parscore.cli.common import FRAMEWORK, LANG, table_or_json
from parscore.render.batch import levers_json, levers_table


@click.command("sensitivity")
@click.argument("bundle", type=click.Path())
@FRAMEWORK
@table_or_json()
@LANG
def command(bundle: str, framework: str | None, fmt: str, lang: str) -> None:
    """Xếp các chỉ số theo điểm tăng trên mỗi đơn vị cải thiện / rank metrics by points per unit of improvement."""
    levers, baseline = api.sensitivity(bundle, framework)
    click.echo(levers_json(levers) if fmt == "json" else levers_table(levers, baseline, lang, api.catalogue()), nl=False)
