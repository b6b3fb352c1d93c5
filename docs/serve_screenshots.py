"""Regenerates the pictures of `parscore serve` in docs/ (one per page) in headless Chromium.

    python docs/serve_screenshots.py            # writes docs/serve-{upload,result,whatif,plan,province,frameworks}.png

A throw-away server (temporary SQLite and data folder) is given the five example
bundles, then each page is opened as a user would and photographed. Needs the
test extras (`pip install -e '.[test]'`) and the system Chromium (`apt-get install -y chromium`).
"""
from __future__ import annotations

import io
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser import CHROMIUM_ARGS, chromium_path  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from web_support import FIVE, LiveServer, example_zip  # noqa: E402

from parscore.web.app import Settings, create_app  # noqa: E402

DOCS = ROOT / "docs"
SIZE = {"width": 1280, "height": 900}


def main() -> int:
    path = chromium_path()
    if path is None:
        print("no Chromium: apt-get install -y chromium", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(Settings(f"sqlite:///{tmp}/db.sqlite3", Path(tmp)))
        service = app.state.service
        ids = {name: service.accept(io.BytesIO(example_zip(name)), f"{name}.zip") for name in FIVE}
        again = service.accept(io.BytesIO(example_zip("dao-xa-2025")), "dao-xa-2025-lan-2.zip")  # a previous beside it
        with LiveServer(app) as server, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
            page = browser.new_context(viewport=SIZE).new_page()
            shots = []

            def shot(name: str) -> None:
                out = DOCS / f"serve-{name}.png"
                page.screenshot(path=str(out))
                shots.append(out)

            page.goto(server.url + "/")
            shot("upload")
            page.goto(f"{server.url}/result/{again}")
            shot("result")
            page.fill("#edit-finish_on_time", "7")
            page.fill("#edit-apologize", "3")
            page.click("#whatif-run")
            page.wait_for_selector("#whatif-index")
            page.locator("#whatif").scroll_into_view_if_needed()
            page.evaluate("document.getElementById('whatif').scrollIntoView()")
            shot("whatif")
            page.goto(f"{server.url}/result/{again}")
            page.fill("#plan-target", "98")
            page.click("#plan-run")
            page.wait_for_selector("#plan-apply")
            page.click("#plan-apply")  # the plan applied as a what-if scenario, side by side, ready to save as YAML
            page.wait_for_selector("#whatif-from-plan")
            page.evaluate("document.getElementById('whatif').scrollIntoView()")
            shot("plan")
            page.goto(f"{server.url}/province?period=2025-01-01..2025-12-31&framework=reference-par-2025")
            shot("province")
            page.goto(f"{server.url}/frameworks?id=reference-par-2025")
            shot("frameworks")
            browser.close()
        del ids
    for out in shots:
        print(out.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
