"""The HTML report: its context is read from results (not re-scored), the page is self-contained, and it works in Chromium."""
from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest
from browser import open_page
from click.testing import CliRunner

from parscore import api
from parscore.cli import main
from parscore.render.html import render_html, report_context, shown_lost, templates
from parscore.scoring.previous import from_json, from_result
from parscore.scoring.result import to_json

ROOT = Path(__file__).resolve().parents[1]
NHON_HAU = ROOT / "examples" / "nhon-hau-2025"


@pytest.fixture(scope="module")
def results() -> list:
    return api.score_bundle_all(NHON_HAU)


@pytest.fixture(scope="module")
def last_year():
    """A stand-in for last year: the same commune before its apology letters were written (a scenario)."""
    scenario = api.load_scenario(ROOT / "examples" / "scenarios" / "fix-apologies.yaml")
    return from_result(api.scenario_result(NHON_HAU, scenario), "2024")


def test_context_rows_are_the_results(results) -> None:
    ctx = report_context(results, lang="en", generated_on="2026-01-15")
    main_result = results[0]
    leaf_rows = [r for r in ctx["report"]["rows"] if r["leaf"]]
    assert [r["id"] for r in leaf_rows] == sorted((x.id for x in main_result.leaves), key=[r["id"] for r in leaf_rows].index)
    assert {r["id"] for r in leaf_rows} == {x.id for x in main_result.leaves}
    lost = sum((shown_lost(main_result, x) for x in main_result.leaves), Fraction(0))
    assert sum(r["lost_value"] for r in leaf_rows) == pytest.approx(float(lost))
    assert ctx["report"]["lost_count"] == sum(1 for x in main_result.leaves if shown_lost(main_result, x) > 0)
    assert [s["id"] for s in ctx["summaries"]] == [r.framework["id"] for r in results]
    assert ctx["generated_on"] == "2026-01-15"


def test_an_unearned_bonus_is_not_points_lost(results) -> None:
    r = results[0]
    bonus = r.leaf("9.1")
    assert bonus.points == 0 and bonus.points_lost > 0  # the engine's arithmetic: max − earned
    assert shown_lost(r, bonus) == 0
    html = render_html(results, lang="en", generated_on="2026-01-15")
    row = re.search(r'<tr class="leaf" data-id="9.1" data-lost="(\d)"', html)
    assert row and row.group(1) == "0"
    assert "Bonus earned +0.00" in html and "Penalty applied" in html


def test_page_is_self_contained_and_deterministic(results, last_year) -> None:
    a = render_html(results, last_year, "vi", generated_on="2026-01-15")
    b = render_html(results, last_year, "vi", generated_on="2026-01-15")
    assert a == b
    assert not re.search(r'(src|href)\s*=\s*["\']?(https?:)?//', a), "the page must not load anything"
    assert "@import" not in a and "url(http" not in a
    assert a.count("<svg") == 4  # fields, costly leaves, compare fields, compare leaves
    assert "Xã Nhơn Hậu" in a and "538/QĐ-UBND" in render_html(api.score_bundle_all(NHON_HAU, ["nhon-hau-2025"]))


def test_templates_escape(results) -> None:
    env = templates()
    assert env.autoescape  # a commune name such as "<b>" must print as text
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"


def test_cli_report_writes_the_page(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    res = CliRunner().invoke(main, ["report", str(NHON_HAU), "--previous", str(NHON_HAU), "--out", str(out), "--lang", "en"])
    assert res.exit_code == 0, res.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "Scoring report" in text


def test_cli_report_bad_previous_is_bad_input(tmp_path: Path) -> None:
    bad = tmp_path / "prev.json"
    bad.write_text("{not json", encoding="utf-8")
    res = CliRunner().invoke(main, ["report", str(NHON_HAU), "--previous", str(bad), "--out", str(tmp_path / "r.html")])
    assert res.exit_code == 2
    assert "prev.json" in res.output and not (tmp_path / "r.html").exists()


def test_report_in_chromium(browser, artifacts, results, last_year, tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_text(render_html(results, last_year, "vi", generated_on="2026-01-15"), encoding="utf-8")
    watched = open_page(browser, path.as_uri())
    page = watched.page
    # Charts drawn: each figure holds an SVG with painted shapes and a real size.
    for chart in ("fields", "costly", "compare-fields", "compare-leaves"):
        svg = page.locator(f"#chart-{chart} svg")
        assert svg.count() == 1
        box = svg.bounding_box()
        assert box and box["width"] > 100 and box["height"] > 50
        assert page.locator(f"#chart-{chart} svg rect, #chart-{chart} svg path").count() > 3
    # The filter: only leaves that lost points stay visible.
    leaves = page.locator("table.leaves tr.leaf")
    total = leaves.count()
    lost = page.locator('table.leaves tr.leaf[data-lost="1"]').count()
    assert total == len(results[0].leaves) and 0 < lost < total
    page.check("#only-lost")
    visible = page.locator("table.leaves tr.leaf:visible")
    assert visible.count() == lost
    assert all(v == "1" for v in visible.evaluate_all("rows => rows.map(r => r.dataset.lost)"))
    page.uncheck("#only-lost")
    assert page.locator("table.leaves tr.leaf:visible").count() == total
    # An explanation opens.
    first = page.locator('table.leaves tr.leaf[data-lost="1"] details').first
    first.locator("summary").click()
    assert first.evaluate("d => d.open") is True
    page.screenshot(path=str(artifacts / "report.png"), full_page=True)
    page.emulate_media(media="print")
    assert page.locator("table.leaves tr.leaf").first.evaluate("r => getComputedStyle(r).breakInside") == "avoid"
    pdf = page.pdf(path=str(artifacts / "report.pdf"), format="A4", print_background=True)
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 2
    assert watched.console_errors == []
    assert watched.requests_out == [], watched.requests_out
    page.context.close()


def test_previous_from_a_result_json_is_exact(tmp_path: Path, last_year) -> None:
    scenario = api.load_scenario(ROOT / "examples" / "scenarios" / "fix-apologies.yaml")
    prev_result = api.scenario_result(NHON_HAU, scenario)
    path = tmp_path / "last-year.json"
    path.write_text(to_json([prev_result]), encoding="utf-8")
    got = from_json(path, "reference-par-2025")
    assert got.points == last_year.points and got.index == prev_result.total.index
    res = CliRunner().invoke(main, ["report", str(NHON_HAU), "--previous", str(path), "--out", str(tmp_path / "r.html")])
    assert res.exit_code == 0, res.output
    assert 'id="chart-compare-fields"' in (tmp_path / "r.html").read_text(encoding="utf-8")
    res = CliRunner().invoke(main, ["report", str(NHON_HAU), "--previous", str(path), "--framework", "qd766-2022",
                                    "--out", str(tmp_path / "r2.html"), "--lang", "en"])
    assert res.exit_code == 2 and "has no framework 'qd766-2022'" in res.output
