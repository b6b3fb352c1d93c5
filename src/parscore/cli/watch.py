"""`parscore watch`: alerts before points are lost, from a stream of events (see docs/watch.md)."""
from __future__ import annotations

import datetime as dt
import io
import sys
from typing import TextIO

import click

from parscore import api
from parscore.cli.common import FRAMEWORK, LANG, write_out
from parscore.core import dates
from parscore.core.errors import InputError, InputErrors
from parscore.watch import service
from parscore.watch.alerts import Alert, summary
from parscore.watch.view import LiveView


def _now(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dates.parse_date(value)
    except dates.NotADate:
        raise InputErrors([InputError("usage", where="--now", params={
            "problem": f"'{value}' is not a date (dd/mm/yyyy or yyyy-mm-dd)"})]) from None


@click.command("watch")
@click.option("--replay", "replay_path", type=click.Path(), help="Phát lại luồng sự kiện đã ghi (JSON lines) / replay a recorded stream.")
@click.option("--events", "events_path", type=click.Path(allow_dash=True),
              help="Đọc sự kiện khi chúng đến (- là stdin), đồng hồ theo giờ Việt Nam / live events (- for stdin).")
@click.option("--exports", nargs=2, type=click.Path(), help="CŨ MỚI: in các sự kiện giữa hai lần xuất dữ liệu / "
              "OLD NEW: print the events between two exports.")
@click.option("--bundle", "bundles", multiple=True, type=click.Path(), help="Bộ minh chứng của xã (để tính điểm bị đe dọa) / a commune's bundle (for the stakes).")
@click.option("--rules", "rules_dir", type=click.Path(), help="Thư mục quy tắc cảnh báo / alert rules folder (default rules/alerts).")
@click.option("--now", help="Ngày nhìn từ đó (dd/mm/yyyy) / the date to look from (deterministic runs).")
@click.option("--open", "only_open", is_flag=True,
              help="Chỉ in các cảnh báo còn mở vào ngày --now (như trang của parscore serve) / only the alerts still "
                   "open on the --now day (as parscore serve's page shows them).")
@click.option("--log", "log_path", type=click.Path(), help="Ghi cảnh báo ra tệp JSON lines / write the alerts as JSON lines.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Định dạng đầu ra / output format.")
@click.option("--out", "-o", type=click.Path(), help="Ghi ra tệp này thay vì màn hình / write to this file.")
@FRAMEWORK
@LANG
def command(replay_path: str | None, events_path: str | None, exports: tuple[str, str] | None, bundles: tuple[str, ...],
            rules_dir: str | None, now: str | None, only_open: bool, log_path: str | None, fmt: str, out: str | None,
            framework: str | None, lang: str) -> None:
    """Cảnh báo sớm trước khi mất điểm / early warning before points are lost."""
    if exports:
        write_out("".join(e.to_json() + "\n" for e in service.export_events(*exports)), out)
        return
    if not replay_path and not events_path:
        raise InputErrors([InputError("watch_no_stream")])
    setup = service.setup(bundles, rules_dir, framework)
    if not service.engine_available():
        # One line in both languages: this is about the machine, not the user's data.
        click.echo(f"{InputError('watch_unavailable').render('vi')} / {InputError('watch_unavailable').render('en')}",
                   err=True)
        sys.exit(2)
    catalogue = api.catalogue()
    shown: list[Alert] = []
    day = _now(now)
    if replay_path:
        report = service.run_replay(setup, replay_path, day, shown.append)
    elif sys.stdout.isatty() and fmt == "text" and not out:
        with LiveView(lang, catalogue) as view:
            report = service.run_live(setup, _stream(events_path), events_path or "-", view.add, day)
    else:
        report = service.run_live(setup, _stream(events_path), events_path or "-",
                                  lambda a: click.echo(a.to_json() if fmt == "json" else a.line(lang, catalogue)),
                                  day)
        shown = []
    if log_path:
        write_out("".join(a.to_json() + "\n" for a in report.alerts), log_path)
    if replay_path:
        body = "".join((a.to_json() if fmt == "json" else a.line(lang, catalogue)) + "\n"
                       for a in (report.open if only_open else shown))
        write_out(body, out)
    click.echo(summary(report.alerts, report.days, report.events, report.restarts, lang), err=True)


def _stream(path: str | None) -> TextIO:
    if path is None or path == "-":
        return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8")
    try:
        return open(path, encoding="utf-8")
    except OSError:
        raise InputErrors([InputError("file_missing", file=path)]) from None
