"""`parscore test [FRAMEWORK...]`: every leaf's example cases, and threshold coverage."""
from __future__ import annotations

import sys

import click

from parscore import api
from parscore.cli.common import LANG
from parscore.render.cases import cases_text


@click.command("test")
@click.argument("framework_refs", nargs=-1)
@LANG
def command(framework_refs: tuple[str, ...], lang: str) -> None:
    """Chạy các ví dụ của từng tiêu chí; báo sai lệch và độ phủ ngưỡng / run every leaf's example cases."""
    fws = [api.load_framework(r) for r in framework_refs] if framework_refs else api.frameworks()
    reports = [api.run_cases(fw) for fw in fws]
    click.echo(cases_text(reports, lang), nl=False)
    sys.exit(1 if any(r.failures for r in reports) else 0)
