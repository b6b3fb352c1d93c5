"""The alerts panel of `parscore serve`'s result page: the commune's open alerts, as `parscore watch` lists them.

The panel replays the events the uploaded tables imply through the durable-rules child;
it must list the same alerts (rule, record, day, message, stake) as
`parscore watch --replay <the example's stream> --bundle <the example> --now D --open`,
over HTTP (TestClient) and in headless Chromium, where a script fills the panel after the
page is shown.
"""
from __future__ import annotations

import datetime as dt
import html
import io
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient
from web_support import EXAMPLES, LiveServer, example_zip

from parscore import api
from parscore.cli import main
from parscore.web.app import Settings, create_app
from helpers import durable_rules_runs
from parscore.watch import generate, runner

HAVE_DURABLE = durable_rules_runs()
needs_durable = pytest.mark.skipif(not HAVE_DURABLE, reason="durable-rules cannot be imported in this Python "
                                   "(it has no build for Python >= 3.13); the panel then says so in one line (tested)")
EXAMPLE = "dao-xa-2025"
ROW = re.compile(r'<tr class="alert-[a-z]+" data-rule="([^"]*)" data-record="([^"]*)"><td>([^<]*)</td><td>[^<]*</td>'
                 r"<td>[^<]*</td><td>([^<]*)</td><td>([^<]*)</td></tr>")


def cli_open(tmp: Path, now: dt.date) -> list[tuple[str, str, str]]:
    """`parscore watch --replay --open` for the example at `now`: (day, message, stake) per alert, in its order.
    The message names the record and says which rule fired (each rule has its own sentence)."""
    stream = tmp / f"{EXAMPLE}.jsonl"
    if not stream.exists():
        bundle = api.load_bundle(EXAMPLES / EXAMPLE)
        stream.write_text("".join(e.to_json() + "\n" for e in generate.from_bundle(bundle)), encoding="utf-8")
    args = ["watch", "--replay", str(stream), "--bundle", str(EXAMPLES / EXAMPLE), "--now", now.strftime("%d/%m/%Y"),
            "--open"]
    r = CliRunner().invoke(main, args, catch_exceptions=False)
    assert r.exit_code == 0, r.output
    out = []
    for line in r.stdout.splitlines():  # [severity] dd/mm/yyyy commune · message — stake
        head, _, rest = line.partition(" · ")
        message, _, stake = rest.partition(" — ")
        out.append((head.split("] ", 1)[1].split(" ")[0], message, stake))
    return out


def page_rows(text: str) -> list[tuple[str, ...]]:
    """(rule, record, day, message, stake) per row of the panel."""
    return [tuple(html.unescape(x) for x in m) for m in ROW.findall(text)]


@pytest.fixture(scope="module")
def uploaded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("alerts")
    app = create_app(Settings(f"sqlite:///{tmp / 'db.sqlite3'}", tmp))
    upload_id = app.state.service.accept(io.BytesIO(example_zip(EXAMPLE)), f"{EXAMPLE}.zip")
    return {"tmp": tmp, "app": app, "id": upload_id, "client": TestClient(app)}


def test_the_default_day_is_today_inside_the_period_else_its_end(uploaded):
    service, upload = uploaded["app"].state.service, uploaded["app"].state.store.upload(uploaded["id"])
    assert service.alerts_day(upload, dt.date(2025, 6, 30)) == dt.date(2025, 6, 30)
    assert service.alerts_day(upload, dt.date(2026, 11, 23)) == dt.date(2025, 12, 31)
    page = uploaded["client"].get(f"/result/{uploaded['id']}")
    assert page.status_code == 200 and 'id="alerts-pending"' in page.text  # the page does not wait for the replay
    assert f'id="alerts-now" value="{service.alerts_day(upload).isoformat()}"' in page.text


@needs_durable
@pytest.mark.parametrize("now", [dt.date(2025, 1, 20), dt.date(2025, 6, 30)])
def test_the_panel_lists_the_open_alerts_watch_prints(uploaded, tmp_path, now):
    page = uploaded["client"].get(f"/result/{uploaded['id']}/alerts?now={now.isoformat()}")
    assert page.status_code == 200
    rows = page_rows(page.text)
    want = cli_open(tmp_path, now)
    assert [(day, message, stake) for _, _, day, message, stake in rows] == want and len(want) > 0
    assert all(record in message for _, record, _, message, _ in rows)
    assert any("điểm theo reference-par-2025" in stake for *_, stake in rows)  # the stakes, scored by parscore
    summary = re.search(r'<p id="alerts-summary">(.*?)</p>', page.text)
    assert summary and now.strftime("%d/%m/%Y") in summary.group(1)


def test_a_bad_day_is_located(uploaded):
    page = uploaded["client"].get(f"/result/{uploaded['id']}/alerts?now=31/02/2025")
    assert page.status_code == 400 and "31/02/2025" in page.text and 'class="errors"' in page.text
    assert "Traceback" not in page.text
    far = uploaded["client"].get(f"/result/{uploaded['id']}/alerts?now=9999-12-31")  # would replay 8,000 years
    assert far.status_code == 400 and "31/12/2026" in far.text and 'class="errors"' in far.text


def test_without_durable_rules_the_panel_says_so_in_one_line(tmp_path, monkeypatch):
    # A Python in which `import durable` fails, as on Python >= 3.13.
    monkeypatch.setattr(runner, "CHILD_ARGV", [sys.executable, "-c", ("import sys, runpy; sys.modules['durable'] = None; "
                                               "runpy.run_module('parscore.watch.engine', run_name='__main__')")])
    app = create_app(Settings(f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path))
    upload_id = app.state.service.accept(io.BytesIO(example_zip(EXAMPLE)), f"{EXAMPLE}.zip")
    page = TestClient(app).get(f"/result/{upload_id}/alerts?now=2025-06-30")
    assert page.status_code == 200 and 'id="leaves"' in page.text  # the rest of the page as always
    line = re.search(r'<p class="muted" id="alerts-unavailable">(.*?)</p>', page.text, re.S)
    assert line and "durable-rules" in line.group(1) and "\n" not in line.group(1)


# ---- in the browser -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def server(uploaded) -> Iterator[LiveServer]:
    with LiveServer(uploaded["app"]) as live:
        yield live


@needs_durable
def test_the_page_fills_the_panel_and_a_chosen_day_lists_what_watch_prints(browser, artifacts, server, uploaded,
                                                                           tmp_path):
    from browser import open_page
    service, upload = uploaded["app"].state.service, uploaded["app"].state.store.upload(uploaded["id"])
    w = open_page(browser, f"{server.url}/result/{uploaded['id']}",
                  local_ok=(server.url + "/", "data:", "about:", "blob:"))
    page = w.page
    page.wait_for_selector("#alerts-summary", timeout=120_000)  # filled by the page's script, no reload
    for now in (service.alerts_day(upload), dt.date(2025, 1, 20)):
        if now != service.alerts_day(upload):
            page.fill("#alerts-now", now.isoformat())
            page.click("#alerts-run")
            page.wait_for_selector(f"#alerts-summary:has-text('{now.strftime('%d/%m/%Y')}')", timeout=120_000)
        shown = [[cell.strip() for cell in page.locator(f"#alerts-list tbody tr:nth-child({i + 1}) td").all_inner_texts()]
                 for i in range(page.locator("#alerts-list tbody tr").count())]
        want = cli_open(tmp_path, now)
        assert [(day, message, stake) for day, _, _, message, stake in shown] == want and len(want) > 0
    page.screenshot(path=str(artifacts / "serve-alerts.png"), full_page=False)
    assert w.console_errors == [] and w.requests_out == []
    page.context.close()
