"""`parscore test [FRAMEWORK...]`: every leaf's example cases, and threshold coverage."""
from __future__ import annotations

import sys

import click

from parscore import api
from parscore.cli.common import LANG, table_or_json
from parscore.render.cases import cases_text
from parscore.render.json_docs import cases_json


@click.command("test")
@click.argument("framework_refs", nargs=-1)
@table_or_json()
@LANG
def command(framework_refs: tuple[str, ...], fmt: str, lang: str) -> None:
    """Chạy các ví dụ của từng tiêu chí; báo sai lệch và độ phủ ngưỡng / run every leaf's example cases."""
    fws = [api.load_framework(r) for r in framework_refs] if framework_refs else api.frameworks()
    reports = [api.run_cases(fw) for fw in fws]
    click.echo(cases_json(reports) if fmt == "json" else cases_text(reports, lang), nl=False)
    sys.exit(1 if any(r.failures for r in reports) else 0)
