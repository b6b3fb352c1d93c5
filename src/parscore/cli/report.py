"""`parscore report BUNDLE`: the documents a commune hands in — an HTML report, the Báo cáo tự đánh giá (.docx), its table (.xlsx)."""
from __future__ import annotations

from pathlib import Path

import click

from parscore import api
from parscore.cli.common import FRAMEWORK, LANG, write_out
from parscore.core.errors import InputError, InputErrors
from parscore.render import report_docs
from parscore.scoring.previous import Previous, from_json, from_result

FORMATS = ("html", "docx", "xlsx")


def _previous(ref: str | None, framework_id: str) -> Previous | None:
    if ref is None:
        return None
    if Path(ref).is_dir():
        return from_result(api.score_bundle(ref, framework_id), ref)
    return from_json(ref, framework_id)


@click.command("report")
@click.argument("bundle", type=click.Path())
@FRAMEWORK
@click.option("--previous", "previous", metavar="RESULT.json|BUNDLE",
              help="Kết quả năm trước (tệp JSON của 'score --format json' hoặc bộ minh chứng) để so sánh / last year's result.")
@click.option("--format", "fmt", type=click.Choice(FORMATS),
              help="html | docx | xlsx (mặc định: theo đuôi tệp --out, hoặc html) / default: from --out's suffix, else html.")
@click.option("--out", "-o", type=click.Path(), help="Ghi ra tệp này / write to this file.")
@LANG
def command(bundle: str, framework: str | None, previous: str | None, fmt: str | None, out: str | None, lang: str) -> None:
    """Báo cáo của xã: trang HTML, Báo cáo tự đánh giá (.docx), Biểu tự chấm điểm (.xlsx) / a commune's report documents."""
    if fmt is None:
        suffix = Path(out).suffix.lower().lstrip(".") if out else ""
        fmt = suffix if suffix in FORMATS else "html"
    if fmt != "html" and not out:
        raise InputErrors([InputError("report_format_needs_out", where="--out", params={"format": fmt})])
    results = api.score_bundle_all(bundle, [framework] if framework else None)
    prev = _previous(previous, str(results[0].framework["id"]))
    write_out(report_docs.render(fmt, results, prev, lang), out)
