"""`parscore sweep BUNDLE --vary METRIC=LO:HI:STEP`: the index over a grid of metric values."""
from __future__ import annotations

import click

from parscore import api
from parscore.cli.common import FRAMEWORK, LANG, write_out
from parscore.render.batch import sweep_table, sweep_text
from parscore.render.text import counted


@click.command("sweep")
@click.argument("bundle", type=click.Path())
@click.option("--vary", "vary", multiple=True, required=True,
              help="CHỈ_SỐ=TỪ:ĐẾN:BƯỚC, phần trăm cho tỷ lệ, số lượng cho đếm; lặp được / METRIC=LO:HI:STEP, percent for rates, counts for counts; repeatable.")
@FRAMEWORK
@click.option("--out", "-o", type=click.Path(), help="Ghi lưới ra tệp .csv hoặc .json (mặc định: bảng ra màn hình) / write the grid to a .csv or .json file (default: a table).")
@LANG
def command(bundle: str, vary: tuple[str, ...], framework: str | None, out: str | None, lang: str) -> None:
    """Chấm một lưới giá trị chỉ số trong một lần / score a grid of metric values in one vectorised call."""
    loaded = api.load_bundle(bundle)
    table = api.sweep(loaded, vary, framework)
    if out:
        write_out(sweep_text(table, out), out)
    else:
        fw = api.load_framework(framework or api.framework_refs(loaded, None)[0])
        classes = {b.code: b.label(lang) for b in fw.classification}
        click.echo(sweep_table(table, lang, api.catalogue(), classes), nl=False)
    if out:
        click.echo(f"{out}: {sweep_count(len(table), lang)}", err=True)


def sweep_count(n: int, lang: str) -> str:
    return counted(n, "grid_point", lang)
