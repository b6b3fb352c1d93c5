"""`parscore score BUNDLE`: points per sub-criterion, points lost and why."""
from __future__ import annotations

import sys

import click

from parscore import api
from parscore.cli.common import LANG, OUT, write_out
from parscore.core.errors import InputError, InputErrors
from parscore.core.numbers import NotANumber, fraction
from parscore.render import render_results
from parscore.render.text import below_threshold


@click.command("score")
@click.argument("bundle", type=click.Path())
@click.option("--framework", "-f", "framework", multiple=True,
              help="Mã hoặc thư mục bộ tiêu chí, lặp được (mặc định: của bộ minh chứng) / framework id or folder, repeatable.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table", show_default=True,
              help="Định dạng đầu ra / output format.")
@click.option("--fail-under", "fail_under", help="Thoát mã 1 khi chỉ số dưới ngưỡng này (80 hoặc 80,5) / exit 1 below this index.")
@OUT
@LANG
def command(bundle: str, framework: tuple[str, ...], fmt: str, fail_under: str | None, out: str | None, lang: str) -> None:
    """Chấm điểm BUNDLE: điểm từng tiêu chí, điểm mất và lý do / score BUNDLE: points, points lost and why."""
    threshold = None
    if fail_under is not None:
        try:
            threshold = fraction(fail_under, percent=True)
        except NotANumber as exc:
            raise InputErrors([InputError(exc.code, where="--fail-under", params=exc.params)]) from None
    results = api.score_bundle_all(bundle, list(framework) or None)
    write_out(render_results(results, fmt, lang), out)
    if threshold is not None:
        message = below_threshold(results, threshold, lang)
        if message:
            click.echo(message, err=True)
            sys.exit(1)
