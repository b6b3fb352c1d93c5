"""`parscore serve` end to end in headless Chromium (Playwright over the system browser, see tests/browser.py).

A real uvicorn server on a loopback port; the pages are driven as a clerk and an
appraiser would, and every page must log no console error and request nothing
outside its own origin.
"""
from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import open_page
from click.testing import CliRunner
from web_support import (
    EXAMPLES,
    FIVE,
    LiveServer,
    broken_workbook,
    example_zip,
    filled_template,
)

from parscore import api
from parscore.cli import main
from parscore.core.numbers import display
from parscore.web.app import Settings, create_app


def serve(tmp: Path) -> tuple[Any, LiveServer]:
    app = create_app(Settings(f"sqlite:///{tmp / 'db.sqlite3'}", tmp))
    return app, LiveServer(app)


def watched(browser: Any, server: LiveServer, path: str) -> Any:
    return open_page(browser, server.url + path, local_ok=(server.url + "/", "data:", "about:", "blob:"))


def uploaded(browser: Any, server: LiveServer, book: Path) -> tuple[Any, str]:
    """A watched page on which `book` was uploaded, and the index its result page shows."""
    w = watched(browser, server, "/")
    w.page.set_input_files("#bundle-file", str(book))
    w.page.click("#upload-button")
    w.page.wait_for_url(re.compile(r".*/result/\d+$"))
    return w, w.page.inner_text("#index").rstrip("%")


def clean(w: Any) -> None:
    assert w.console_errors == [], w.console_errors
    assert w.requests_out == [], w.requests_out


@pytest.fixture(scope="module")
def clerk_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    _, server = serve(tmp_path_factory.mktemp("clerk"))
    with server:
        yield server


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return filled_template("dao-xa-2025", tmp_path_factory.mktemp("books") / "dao-xa-2025.xlsx")


def cli_index(*args: str) -> list[str]:
    r = CliRunner().invoke(main, list(args))
    assert r.exit_code == 0, r.output
    return re.findall(r"(\d+,\d+)%", r.output)


def test_clerk_uploads_the_filled_template_and_tries_a_change(browser, artifacts, clerk_server, filled):
    w, shown = uploaded(browser, clerk_server, filled)
    page = w.page
    score = cli_index("score", str(filled), "--framework", "reference-par-2025")
    assert shown == score[0]  # `parscore score`'s index of the same workbook
    page.screenshot(path=str(artifacts / "serve-result.png"), full_page=False)

    page.fill("#edit-finish_on_time", "7")
    page.fill("#edit-apologize", "3")
    result_url = page.url
    page.click("#whatif-run")
    page.wait_for_selector("#whatif-index")
    assert page.url == result_url  # re-scored in place by the page's script (without scripts the form posts)
    changed = page.inner_text("#whatif-index").rstrip("%")
    whatif = cli_index("whatif", str(filled), str(EXAMPLES / "scenarios" / "seven-on-time.yaml"))
    assert changed != shown and changed in whatif  # the index `parscore whatif` prints for the scenario
    assert page.locator("#whatif-moved tr").count() > 1  # the leaves that moved, side by side
    page.screenshot(path=str(artifacts / "serve-whatif.png"), full_page=False)
    clean(w)
    page.context.close()


def test_planner_applies_a_plan_as_a_scenario_and_saves_it(browser, artifacts, clerk_server, filled, tmp_path):
    w, shown = uploaded(browser, clerk_server, filled)
    page = w.page
    page.fill("#plan-target", "98")
    page.click("#plan-run")
    page.wait_for_selector("#plan-steps")
    assert page.locator("#plan-steps tbody tr").count() >= 1
    planned_url = page.url
    page.click("#plan-apply")
    page.wait_for_selector("#whatif-from-plan")
    assert page.url == planned_url  # applied in place by the page's script (without scripts the form posts)
    changed = page.inner_text("#whatif-index").rstrip("%")
    assert changed != shown and page.locator("#whatif-moved tr").count() > 1  # re-scored, side by side
    assert "set:" in page.inner_text("#whatif-yaml")
    page.screenshot(path=str(artifacts / "serve-plan-applied.png"), full_page=False)
    with page.expect_download() as got:
        page.click("#plan-save")
    saved = tmp_path / "plan.yaml"
    got.value.save_as(str(saved))
    # the saved file is a scenario the CLI reads, and `parscore whatif` gives it the index the page showed
    assert changed in cli_index("whatif", str(filled), str(saved), "--framework", "reference-par-2025")
    clean(w)
    page.context.close()


def test_broken_workbook_shows_the_located_error_next_to_the_upload(browser, clerk_server, tmp_path):
    book = broken_workbook("dao-xa-2025", tmp_path / "so-loi.xlsx")
    w = watched(browser, clerk_server, "/")
    w.page.set_input_files("#bundle-file", str(book))
    w.page.click("#upload-button")
    w.page.wait_for_selector("#upload .errors")
    text = w.page.inner_text("#upload .errors")
    assert "so-loi.xlsx: sheet 'Hồ sơ TTHC'" in text and "31/02/2025" in text and "cách sửa" in text
    assert "Traceback" not in w.page.content()
    # the failed upload answered 400, which Chromium logs as a failed resource; nothing else may be logged
    assert all("400" in e for e in w.console_errors), w.console_errors
    assert w.requests_out == []
    w.page.context.close()


def test_frameworks_page(browser, clerk_server):
    w = watched(browser, clerk_server, "/frameworks?id=reference-par-2025")
    assert w.page.locator("#framework-leaves tbody tr").count() == len(api.load_framework("reference-par-2025").leaves)
    clean(w)
    w.page.context.close()


@pytest.fixture(scope="module")
def province_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    app, server = serve(tmp_path_factory.mktemp("province"))
    for name in FIVE:  # the appraiser's view is about what communes sent; send it without a browser
        app.state.service.accept(io.BytesIO(example_zip(name)), f"{name}.zip")
    with server:
        yield server


def test_province_view_ranks_the_five_examples_as_batch_does(browser, artifacts, province_server):
    w = watched(browser, province_server, "/province")
    page = w.page
    page.select_option("#province-period", "all")
    page.select_option("#province-framework", "reference-par-2025")
    page.click("#province-show")
    page.wait_for_selector("#ranking")
    rows = page.locator("#ranking tbody tr")
    shown = [(rows.nth(i).locator(".commune a").inner_text(), rows.nth(i).locator(".index").inner_text())
             for i in range(rows.count())]
    batch = api.batch([EXAMPLES / n for n in FIVE], "reference-par-2025", jobs=1, mixed=True)  # batch --mixed
    assert shown == [(e.commune, display(e.index, 2, "vi")) for e in batch.entries]
    assert page.locator("#matrix tbody tr").count() == len(FIVE)
    page.screenshot(path=str(artifacts / "serve-province.png"), full_page=False)
    clean(w)
    page.context.close()
