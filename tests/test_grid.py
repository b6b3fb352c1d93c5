"""`render.grid` draws the score tables byte for byte as rich does, or declines and rich draws them."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table

from parscore import api
from parscore.render import grid, terminal
from parscore.render.screen import Screen, on_screen

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(p.name for p in (ROOT / "examples").iterdir() if (p / "bundle.yaml").is_file())


def by_rich(summaries: list[str], sheets: list[terminal.Sheet]) -> str:
    """What the score renderer printed before `grid`: everything through rich."""
    con, buf = terminal.console()
    for line in summaries:
        con.print(line, style="bold", no_wrap=True, overflow="ellipsis")
    con.print()
    return buf.getvalue() + "\n".join(terminal._rich_sheet(s) for s in sheets)


@pytest.fixture(scope="module")
def results() -> dict[str, list]:
    return {name: api.score_bundle_all(ROOT / "examples" / name) for name in EXAMPLES}


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_example_is_drawn_as_rich_draws_it(results: dict[str, list], name: str) -> None:
    drawn = 0
    for lang in ("vi", "en"):
        for width, color in [(31, None), (57, None), (80, None), (120, None), (80, "standard"), (120, "truecolor"),
                             (100, "256")]:
            with on_screen(Screen(width, color)):
                summaries = [terminal.summary_line(r, lang) for r in results[name]]
                sheets = [terminal.score_sheet(r, lang, width >= terminal.WIDE) for r in results[name]]
                try:
                    fast = terminal._plain(summaries, sheets)
                except grid.Unsupported:
                    continue
                drawn += 1
                assert fast == by_rich(summaries, sheets), (name, lang, width, color)
                assert fast == terminal.render(results[name], lang)
    assert drawn >= 12  # the examples are plain Vietnamese and English: grid draws (nearly) all of them


def test_every_character_grid_measures_is_one_cell_for_rich() -> None:
    for c in grid.ONE_CELL:
        assert cell_len(c) == 1 and cell_len(f"a{c}b") == 3, hex(ord(c))
    for c in "\n\t\u00ad\u0301\u200b\u200d\ufe0f漢😀":
        assert not grid.simple(c)


def test_what_grid_cannot_draw_is_drawn_by_rich(results: dict[str, list]) -> None:
    res = results["dao-xa-2025"]
    with pytest.raises(grid.Unsupported):
        grid.printed("Xã 漢字", 80, None)
    with pytest.raises(grid.Unsupported):
        grid.table([grid.Column("a")], [(("x",), "underline")], 80, None)  # a style grid does not know
    with on_screen(Screen(18, None)):  # too narrow for padded columns: rich squeezes them, grid declines
        sheets = [terminal.score_sheet(r, "vi", False) for r in res]
        with pytest.raises(grid.Unsupported):
            terminal._plain([], sheets)
        assert terminal.render(res, "vi") == by_rich([terminal.summary_line(r, "vi") for r in res], sheets)


WORDS = st.sampled_from(["Xã", "Đào", "điểm", "hồ sơ", "—", "≥ 90%", "1,50/1,50", "7.3.4.c", "", " ", "  ",
                         "trựctuyếnđúnghạnkhôngquá", "a", "QĐ-766/2022", "→ +1,00", "(từ", "x" * 41])


@settings(max_examples=120, deadline=None)
@given(
    cells=st.lists(st.lists(st.lists(WORDS, max_size=9).map(" ".join), min_size=3, max_size=3), min_size=1, max_size=5),
    headers=st.lists(st.lists(WORDS, max_size=3).map(" ".join), min_size=3, max_size=3),
    kinds=st.lists(st.tuples(st.sampled_from(["left", "right"]), st.booleans(), st.sampled_from(["fold", "ellipsis"])),
                   min_size=3, max_size=3),
    width=st.integers(min_value=8, max_value=140),
    style=st.sampled_from(["", "bold", "green", "bold red"]),
    color=st.sampled_from([None, "standard"]),
)
def test_any_table_is_drawn_as_rich_draws_it_or_declined(cells, headers, kinds, width, style, color) -> None:  # type: ignore[no-untyped-def]
    columns = [grid.Column(h, justify=j, no_wrap=nw, overflow=ov) for h, (j, nw, ov) in zip(headers, kinds)]
    rows = [(tuple(r), style) for r in cells]
    try:
        fast = grid.table(columns, rows, width, color)
    except grid.Unsupported:
        return
    buf = io.StringIO()
    con = Console(file=buf, width=width, force_terminal=color is not None, color_system=color,  # type: ignore[arg-type]
                  highlight=False, markup=False, emoji=False)
    table = Table()
    for c in columns:
        table.add_column(c.header, justify=c.justify, no_wrap=c.no_wrap, overflow=c.overflow)
    for r, s in rows:
        table.add_row(*r, style=s)
    con.print(table)
    assert fast == buf.getvalue()


@settings(max_examples=120, deadline=None)
@given(text=st.lists(WORDS, max_size=30).map(" ".join), width=st.integers(min_value=1, max_value=100),
       no_wrap=st.booleans(), color=st.sampled_from([None, "standard"]))
def test_any_line_is_printed_as_rich_prints_it(text: str, width: int, no_wrap: bool, color: str | None) -> None:
    buf = io.StringIO()
    con = Console(file=buf, width=width, force_terminal=color is not None, color_system=color,  # type: ignore[arg-type]
                  highlight=False, markup=False, emoji=False)
    con.print(text, style="bold", no_wrap=no_wrap, overflow="ellipsis" if no_wrap else None)
    assert grid.printed(text, width, color, "bold", no_wrap=no_wrap, overflow="ellipsis" if no_wrap else "fold") == buf.getvalue()
