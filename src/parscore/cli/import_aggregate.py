"""`parscore import-aggregate REPORT.xlsx --out metrics.yaml`: the one-stop system's monthly report as reported metrics.

For a commune with no per-dossier export: the figures of the report (Tồn kỳ trước,
mới tiếp nhận, đã giải quyết trước hạn / đúng hạn / quá hạn, đang giải quyết trong hạn /
quá hạn) become the `metrics:` of a bundle's metrics.yaml, each naming the sheet and rows
it came from. Merge them into the bundle's metrics.yaml (figures the bundle derives from
records replace reported ones).
"""
from __future__ import annotations

import click
import yaml

from parscore import api
from parscore.cli.common import LANG, write_out


class _NoAlias(yaml.SafeDumper):
    def ignore_aliases(self, data: object) -> bool:  # parscore refuses YAML aliases, so never write them
        return True


@click.command("import-aggregate")
@click.argument("report", type=click.Path())
@click.option("--out", "-o", type=click.Path(), help="Tệp metrics.yaml cần ghi (mặc định: màn hình) / metrics.yaml to write.")
@LANG
def command(report: str, out: str | None, lang: str) -> None:
    """Đọc báo cáo tổng hợp tháng của Hệ thống một cửa thành số liệu báo cáo / read the one-stop system's monthly report."""
    agg, metrics = api.import_aggregate(report)
    head = (f"# Nhập từ báo cáo tổng hợp / imported from the aggregate report: {agg.where()}\n"
            "# parscore import-aggregate; gộp vào metrics.yaml của bộ minh chứng / merge into the bundle's metrics.yaml\n")
    write_out(head + yaml.dump({"metrics": metrics}, Dumper=_NoAlias, allow_unicode=True, sort_keys=False), out)
    if out:
        click.echo(f"{out}: {', '.join(metrics)}", err=True)
