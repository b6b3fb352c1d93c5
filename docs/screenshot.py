"""Regenerate docs/report.png, the picture of the HTML report in the README.

    python docs/screenshot.py            # needs `pip install playwright` and a Chromium (apt-get install -y chromium)

It renders examples/nhon-hau-2025 against "last year" (the same commune before its
apology letters, scenario examples/scenarios/fix-apologies.yaml: an illustrative
stand-in, as the examples hold one year each), opens the page in headless Chromium
and keeps the top of the page.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from parscore import api
from parscore.render.html import render_html
from parscore.scoring.previous import from_result

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "report.png"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]


def main() -> int:
    bundle = ROOT / "examples" / "nhon-hau-2025"
    last_year = api.scenario_result(bundle, api.load_scenario(ROOT / "examples" / "scenarios" / "fix-apologies.yaml"))
    html = render_html(api.score_bundle_all(bundle), from_result(last_year, "2024"), "vi", generated_on="2026-01-15")
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        page_file = Path(tmp) / "report.html"
        page_file.write_text(html, encoding="utf-8")
        browser = pw.chromium.launch(executable_path=chromium, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1100, "height": 1500}, device_scale_factor=1)
        page.goto(page_file.as_uri())
        page.screenshot(path=str(OUT), clip={"x": 0, "y": 0, "width": 1100, "height": 1500})
        browser.close()
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
