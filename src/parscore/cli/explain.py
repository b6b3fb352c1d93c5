"""`parscore explain BUNDLE [LEAF_ID...]`: why each leaf scored as it did, from which inputs, what to do."""
from __future__ import annotations

import click

from parscore import api
from parscore.cli.common import FRAMEWORK, LANG, table_or_json
from parscore.render.json_docs import explain_json
from parscore.render.terminal import explain


@click.command("explain")
@click.argument("bundle", type=click.Path())
@click.argument("leaf_ids", nargs=-1)
@FRAMEWORK
@table_or_json()
@LANG
def command(bundle: str, leaf_ids: tuple[str, ...], framework: str | None, fmt: str, lang: str) -> None:
    """Giải thích từng tiêu chí: lý do, dữ liệu vào, việc cần làm / why each leaf scored as it did (default: those that lost points)."""
    result = api.score_bundle(bundle, framework)
    api.check_leaf_ids(result, leaf_ids)
    click.echo(explain_json(result, leaf_ids) if fmt == "json" else explain(result, list(leaf_ids), lang), nl=False)
