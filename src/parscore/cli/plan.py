"""`parscore plan BUNDLE --target 85|B`: the cheapest set of improvements that reaches a target."""
from __future__ import annotations

import click

from parscore import api
from parscore.cli.common import FRAMEWORK, LANG, table_or_json
from parscore.render.plan import plan_json, plan_table


@click.command("plan")
@click.argument("bundle", type=click.Path())
@click.option("--target", required=True, help="Chỉ số mục tiêu (85 hoặc 85,5) hoặc mã xếp loại (A, B…) / a target index or class.")
@click.option("--costs", "costs_path", type=click.Path(), help="costs.yaml: công sức cho mỗi loại việc / effort per action.")
@FRAMEWORK
@table_or_json()
@LANG
def command(bundle: str, target: str, costs_path: str | None, framework: str | None, fmt: str, lang: str) -> None:
    """Cách rẻ nhất để đạt mục tiêu, theo thứ tự / the cheapest set of improvements that reaches --target."""
    p = api.plan(bundle, target, costs_path, framework)
    click.echo(plan_json(p) if fmt == "json" else plan_table(p, lang), nl=False)
