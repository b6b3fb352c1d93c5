"""`parscore batch PATH...`: many bundles scored, ranked and classified; a broken bundle is listed and skipped."""
from __future__ import annotations

import sys

import click
from rich.progress import Progress

from parscore import api
from parscore.cli.common import LANG, fail, write_out
from parscore.core.errors import InputError
from parscore.render.batch import batch_bytes, batch_summary_line, batch_table, mixed_lines


@click.command("batch")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--framework", "-f", "framework", help="Mã hoặc thư mục bộ tiêu chí (mặc định: của bộ minh chứng đầu tiên) / framework id or folder (default: the first bundle's).")
@click.option("--scenario", "scenario", type=click.Path(),
              help="Áp dụng kịch bản này cho mọi bộ minh chứng / apply this scenario to every bundle and show rank changes.")
@click.option("--out", "-o", type=click.Path(), help="Ghi bảng xếp hạng ra ranking.xlsx, .csv hoặc .json (mặc định: bảng ra màn hình) / write the ranking to ranking.xlsx, .csv or .json (default: a table).")
@click.option("--mixed", is_flag=True,
              help="Vẫn xếp hạng bộ có kỳ hoặc bộ tiêu chí khác các bộ còn lại / rank bundles of another period or framework too.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64),
              help="Số tiến trình; với --engine spark: số phần việc (mặc định: bốn mỗi lõi) / worker processes;"
                   " with --engine spark: tasks (default: four a core).")
@click.option("--engine", type=click.Choice(["local", "spark"]), default="local", show_default=True,
              help="local: các tiến trình trên máy này; spark: nạp và tính các xã trên cụm Spark (quy mô toàn quốc)"
                   " / local: processes on this machine; spark: load and derive the communes on a Spark cluster.")
@click.option("--master", help="Địa chỉ cụm Spark, ví dụ spark://host:7077 (mặc định local[*]) / the Spark master URL,"
                               " e.g. spark://host:7077 (default local[*]).")
@LANG
def command(paths: tuple[str, ...], framework: str | None, scenario: str | None, out: str | None, mixed: bool,
            jobs: int | None, engine: str, master: str | None, lang: str) -> None:
    """Chấm, xếp hạng, xếp loại nhiều bộ minh chứng / score many bundles, rank and classify them."""
    if master and engine != "spark":
        fail(lang, [InputError("spark_master_without_engine")])
    with Progress(transient=True, disable=not sys.stderr.isatty()) as progress:
        task = progress.add_task("…", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)
        if engine == "spark":
            result = api.batch_spark(paths, master or "local[*]", framework, scenario, jobs, advance, lang, mixed)
        else:
            result = api.batch(paths, framework, scenario, jobs, advance, lang, mixed)
    for line in mixed_lines(result, lang):
        click.echo(line, err=True)
    if out:
        write_out(batch_bytes(result, out, lang), out)
        click.echo(batch_summary_line(result, out, lang), err=True)
    else:
        click.echo(batch_table(result, lang), nl=False)
