"""`parscore template FRAMEWORK --out bundle.xlsx`: the workbook a commune fills in."""
from __future__ import annotations

from pathlib import Path

import click

from parscore import api
from parscore.cli.common import LANG
from parscore.core.errors import InputError, InputErrors
from parscore.core.messages import word
from parscore.render.template import write_template
from parscore.render.text import counted


@click.command("template")
@click.argument("framework")
@click.option("--out", "-o", required=True, type=click.Path(), help="Tệp .xlsx cần ghi / the .xlsx file to write.")
@LANG
def command(framework: str, out: str, lang: str) -> None:
    """Ghi sổ mẫu để điền minh chứng / write a fill-in workbook with the sheets FRAMEWORK needs."""
    if not out.lower().endswith(".xlsx"):
        raise InputErrors([InputError("template_not_xlsx", where="--out", value=out)])
    fw = api.load_framework(framework)
    sheets = write_template(fw, api.catalogue(), Path(out))
    click.echo(word("template_written", lang, out=out, count=counted(len(sheets), "sheet", lang), sheets=", ".join(sheets)))
