"""`parscore whatif BUNDLE SCENARIO...`: the baseline and each scenario side by side."""
from __future__ import annotations

import click

from parscore import api
from parscore.cli.common import FRAMEWORK, LANG, OUT, screen_for, table_or_json, write_out
from parscore.render.whatif import whatif_json, whatif_table


@click.command("whatif")
@click.argument("bundle", type=click.Path())
@click.argument("scenarios", nargs=-1, required=True, type=click.Path())
@FRAMEWORK
@table_or_json()
@OUT
@LANG
def command(bundle: str, scenarios: tuple[str, ...], framework: str | None, fmt: str, out: str | None, lang: str) -> None:
    """Kết quả hiện tại và từng kịch bản cạnh nhau / the baseline and each SCENARIO side by side."""
    loaded = [api.load_scenario(s) for s in scenarios]
    w = api.whatif(bundle, loaded, framework)
    with screen_for(out):
        text = whatif_json(w) if fmt == "json" else whatif_table(w, lang)
    write_out(text, out)
