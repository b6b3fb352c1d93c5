"""`parscore sweep BUNDLE --vary METRIC=LO:HI:STEP`: the index over a grid of metric values."""
from __future__ import annotations

import click

from parscore import api
from parscore.cli.common import FRAMEWORK, LANG, write_out
from parscore.core.numbers import grouped
from parscore.render.batch import sweep_text


@click.command("sweep")
@click.argument("bundle", type=click.Path())
@click.option("--vary", "vary", multiple=True, required=True,
              help="METRIC=LO:HI:STEP (phần trăm cho tỷ lệ, số lượng cho đếm; lặp được) / percent for rates, counts for counts.")
@FRAMEWORK
@click.option("--out", "-o", type=click.Path(), help="Tệp .csv hoặc .json (mặc định: CSV ra màn hình) / a .csv or .json file.")
@LANG
def command(bundle: str, vary: tuple[str, ...], framework: str | None, out: str | None, lang: str) -> None:
    """Chấm một lưới giá trị chỉ số trong một lần / score a grid of metric values in one vectorised call."""
    table = api.sweep(bundle, vary, framework)
    write_out(sweep_text(table, out), out)
    if out:
        click.echo(f"{out}: {sweep_count(len(table), lang)}", err=True)


def sweep_count(n: int, lang: str) -> str:
    return f"{grouped(n, lang)} {'điểm lưới' if lang == 'vi' else ('grid point' if n == 1 else 'grid points')}"
