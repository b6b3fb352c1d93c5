"""`parscore diff A B [--bundle B]`: leaves added, removed or changed between two frameworks."""
from __future__ import annotations

import click

from parscore import api
from parscore.cli.common import LANG, table_or_json
from parscore.render.diff import diff_json, diff_text


@click.command("diff")
@click.argument("framework_a")
@click.argument("framework_b")
@click.option("--bundle", "bundle", type=click.Path(),
              help="Chấm cả bộ minh chứng này theo hai bộ tiêu chí / also score this bundle under both.")
@table_or_json()
@LANG
def command(framework_a: str, framework_b: str, bundle: str | None, fmt: str, lang: str) -> None:
    """Tiêu chí thêm, bỏ, đổi giữa hai bộ tiêu chí / leaves added, removed or changed between two frameworks."""
    d = api.diff(framework_a, framework_b, bundle, lang)
    click.echo(diff_json(d) if fmt == "json" else diff_text(d, lang) + "\n", nl=False)
