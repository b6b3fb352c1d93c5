"""A reusable headless Chromium for page tests, driven by Playwright over the system browser.

Playwright's own browser download cannot be used here (no host but the package
registries is reachable), so it drives Debian's `chromium` (`apt-get install -y
chromium`, see .ci/run). Tests using the `browser` fixture skip, with the
reason, only where Playwright or Chromium truly cannot be had.

    def test_page(browser, artifacts):
        page = open_page(browser, path.as_uri())
        ...
        assert page.console_errors == [] and page.requests_out == []
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
# Schemes a self-contained page may load without leaving the machine.
LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")


def chromium_path() -> str | None:
    """The system Chromium (PARSCORE_CHROMIUM overrides), or None."""
    for candidate in (os.environ.get("PARSCORE_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser"), shutil.which("google-chrome")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@dataclass
class WatchedPage:
    """A page with what it logged and requested since it was opened."""

    page: Any
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    local_ok: tuple[str, ...] = LOCAL_SCHEMES

    @property
    def requests_out(self) -> list[str]:
        """Requests that would leave the page's own origin (for a file page: any network request)."""
        return [u for u in self.requests if not u.startswith(self.local_ok)]


def open_page(browser: Any, url: str, local_ok: tuple[str, ...] = LOCAL_SCHEMES, viewport: tuple[int, int] = (1200, 900),
              block_network: bool = True) -> WatchedPage:
    """Open `url` in a new page, recording console errors, page errors and every request.

    With `block_network`, requests to anything but `local_ok` are recorded and aborted, so a test never
    depends on (or reaches) the outside world; a web-server test passes its own origin in `local_ok`.
    """
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    page = context.new_page()
    watched = WatchedPage(page, local_ok=local_ok)
    page.on("console", lambda m: watched.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: watched.console_errors.append(str(e)))
    page.on("request", lambda r: watched.requests.append(r.url))
    if block_network:
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(local_ok) else route.abort())
    page.goto(url, wait_until="load")
    return watched


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless system Chromium under Playwright, shared by the session."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install playwright)")
    path = chromium_path()
    if path is None:
        pytest.skip("no Chromium on this machine (apt-get install -y chromium)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where page tests keep screenshots and PDFs (tests/artifacts/, not committed)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
