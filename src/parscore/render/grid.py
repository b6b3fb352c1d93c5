"""Terminal lines and box tables drawn exactly as rich draws them, without rich, for plain text.

Why: rich lays a table out cell by cell through its renderable protocol (measure, pad, wrap,
crop, style each cell as segments): ~100 ms for the four score tables of one bundle, a tenth
of a whole `parscore score` run, plus ~25 ms to import it. The score table is plain strings
in fixed columns, so the same layout is computed here directly: the same width measurement,
the same column shrinking (`Table._collapse_widths`, `ratio_reduce`), the same word wrap
(`divide_line`), the same justification, box (`box.HEAVY_HEAD`) and ANSI codes.

It draws only what it can draw exactly, and says so (`None`) otherwise; the caller then asks rich.
Exactly means: every character one terminal cell wide with no grapheme joining (the character
set below: Latin with Vietnamese letters and common punctuation; anything else, such as wide
East Asian text, emoji or combining marks, is rich's job), no line breaks or tabs inside a cell,
every column at least one character wide inside its padding, the table no wider than the screen,
and styles from a small known set. `tests/test_grid.py` checks the output byte for byte against
rich for every shipped example at many widths, in both languages, with and without colour.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

# Code points one cell wide in rich's tables that never join a neighbour into one grapheme
# (checked against rich.cells one by one in tests/test_grid.py).
_ONE_CELL_RANGES = (
    (0x20, 0x7E), (0xA0, 0xAC), (0xAE, 0x2FF),  # ASCII, Latin-1 (not the soft hyphen), Latin Extended-A/B
    (0x1E00, 0x1EFF),  # Latin Extended Additional: the precomposed Vietnamese letters (ạ ả ấ … ỹ)
    (0x2010, 0x2027), (0x2030, 0x203A),  # dashes, quotes, bullet, ellipsis, per mille
    (0x20AB, 0x20AC),  # ₫ €
    (0x2190, 0x2193), (0x2260, 0x2265),  # ← ↑ → ↓, ≠ ≡ ≤ ≥
    (0x2500, 0x257F),  # box drawing
    (0x26A0, 0x26A0), (0x2713, 0x2713), (0x2717, 0x2717),  # ⚠ ✓ ✗ (⚠ with U+FE0F after it is two cells: not listed)
)
ONE_CELL = frozenset(chr(c) for lo, hi in _ONE_CELL_RANGES for c in range(lo, hi + 1))
_simple = ONE_CELL.issuperset

# rich's ANSI codes of the styles the score table uses (named colours are the same codes in the
# "standard", "256" and "truecolor" systems); another style or colour system goes to rich.
ANSI = {"": "", "bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33", "cyan": "36", "bold red": "1;31"}
COLOR_SYSTEMS = (None, "standard", "256", "truecolor")

# box.HEAVY_HEAD
_TOP, _HEAD_ROW, _BOTTOM = "┏━┳┓", "┡━╇┩", "└─┴┘"
_HEAD_EDGE, _BODY_EDGE = "┃", "│"

_WORD = re.compile(r"\s*\S+\s*")
_TRAILING_SPACE = re.compile(r"\s+$")

Justify = Literal["left", "right"]
Overflow = Literal["fold", "ellipsis"]


@dataclass(frozen=True)
class Column:
    header: str
    justify: Justify = "left"
    no_wrap: bool = False
    overflow: Overflow = "ellipsis"  # rich's default for a column; "fold" breaks a long word across lines


class Unsupported(Exception):
    """Raised inside a drawing that this module cannot make exactly as rich would."""


def simple(text: str) -> bool:
    """Whether `text` is only characters this module measures exactly (one cell each)."""
    return _simple(text)


# ---- one text ---------------------------------------------------------------------------------

def _divide(text: str, width: int, fold: bool) -> list[int]:
    """rich._wrap.divide_line for one-cell characters: the offsets a line breaks at."""
    breaks: list[int] = []
    offset = 0
    for m in _WORD.finditer(text):
        start, word = m.start(), m.group(0)
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:
            if fold:
                pieces = [word[i:i + width] for i in range(0, len(word), width)]
                for k, piece in enumerate(pieces):
                    if start:
                        breaks.append(start)
                    if k == len(pieces) - 1:
                        offset = len(piece)
                    else:
                        start += len(piece)
            else:
                if start:
                    breaks.append(start)
                offset = len(word)
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    return breaks


def _truncate(text: str, width: int, overflow: str, pad: bool = False) -> str:
    """rich's Text.truncate."""
    length = len(text)
    if length > width:
        text = (text[:max(width - 1, 0)] + "…") if overflow == "ellipsis" else text[:width]
    if pad and length < width:
        text += " " * (width - length)
    return text


def wrap(text: str, width: int, justify: str = "default", overflow: str = "fold", no_wrap: bool = False) -> list[str]:
    """rich's Text.wrap of a one-line text of one-cell characters."""
    if no_wrap:
        lines = [text]
    else:
        offsets = [0, *_divide(text, width, overflow == "fold"), len(text)]
        lines = [text[a:b] for a, b in zip(offsets, offsets[1:])]
        lines = [_rstrip_end(line, width) for line in lines]
    if justify == "left":
        lines = [_truncate(line, width, overflow, pad=True) for line in lines]
    elif justify == "right":
        lines = [_truncate(line.rstrip(), width, overflow) for line in lines]
        lines = [" " * (width - len(line)) + line for line in lines]
    elif justify != "default":
        raise Unsupported(justify)
    return [_truncate(line, width, overflow) for line in lines]


def _rstrip_end(line: str, width: int) -> str:
    if len(line) > width:
        m = _TRAILING_SPACE.search(line)
        if m is not None:
            return line[:len(line) - min(len(m.group(0)), len(line) - width)]
    return line


def styled(text: str, style: str, color: str | None) -> str:
    """One segment as rich writes it: its text between the style's codes (none without colour)."""
    codes = ANSI[style]
    return f"\x1b[{codes}m{text}\x1b[0m" if color and codes and text else text


def printed(text: str, width: int, color: str | None, style: str = "", no_wrap: bool = False,
            overflow: str = "fold") -> str:
    """What `Console(width=width).print(text, style=style, no_wrap=…, overflow=…)` writes (markup, emoji
    and highlighting off), or Unsupported."""
    _check(text, style, color)
    if width < 1:
        raise Unsupported("width")
    return "".join(styled(line, style, color) + "\n" for line in wrap(text, width, "default", overflow, no_wrap))


def _check(text: str, style: str, color: str | None) -> None:
    if not _simple(text) or style not in ANSI or color not in COLOR_SYSTEMS:
        raise Unsupported(text if not _simple(text) else style)


# ---- a table ----------------------------------------------------------------------------------

def _measure_text(text: str, width: int) -> tuple[int, int]:
    """Measurement.get of a str inside Padding(0, 1), then of the Padding, as rich computes them."""
    if width < 1:
        return 0, 0
    if width - 2 < 1:  # Padding.__rich_measure__ with no room inside
        low, high = width, width
    else:
        words = text.split()
        high = len(text)
        low = max(len(w) for w in words) if words else high
        low, high = _normal(low, high, width)
        if high < 1:
            low, high = 0, 0
        low, high = min(low + 2, width), min(high + 2, width)
    low, high = _normal(low, high, width)
    return (0, 0) if high < 1 else _normal(low, high, width)


def _normal(low: int, high: int, width: int) -> tuple[int, int]:
    low = min(max(0, low), high)
    low, high = max(0, low), max(0, max(low, high))
    return min(low, width), min(high, width)


def _measure_column(cells: Sequence[str], width: int) -> tuple[int, int]:
    if width < 1:
        return 0, 0
    sizes = [_measure_text(c, width) for c in cells]
    low = max(s[0] for s in sizes) if sizes else 1
    high = max(s[1] for s in sizes) if sizes else width
    return min(low, width), min(high, width)


def _ratio_reduce(total: int, ratios: list[int], maximums: list[int], values: list[int]) -> list[int]:
    """rich._ratio.ratio_reduce."""
    ratios = [r if m else 0 for r, m in zip(ratios, maximums)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    remaining, out = total, []
    for ratio, maximum, value in zip(ratios, maximums, values):
        if ratio and total_ratio > 0:
            given = min(maximum, round(ratio * remaining / total_ratio))
            out.append(value - given)
            remaining -= given
            total_ratio -= ratio
        else:
            out.append(value)
    return out


def _collapse(widths: list[int], wrapable: list[bool], max_width: int) -> list[int]:
    """rich's Table._collapse_widths: shrink the widest wrapable columns first."""
    total = sum(widths)
    excess = total - max_width
    if any(wrapable):
        while total and excess > 0:
            widest = max(w for w, ok in zip(widths, wrapable) if ok)
            second = max(w if ok and w != widest else 0 for w, ok in zip(widths, wrapable))
            ratios = [1 if (w == widest and ok) else 0 for w, ok in zip(widths, wrapable)]
            if not any(ratios) or not widest - second:
                break
            widths = _ratio_reduce(excess, ratios, [min(excess, widest - second)] * len(widths), widths)
            total = sum(widths)
            excess = total - max_width
    return widths


def column_widths(columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int) -> list[int]:
    """rich's Table._calculate_column_widths (expand=False, padding (0, 1), an edged box): each column's
    width with its padding, without the borders."""
    max_width = width - (len(columns) + 1)
    cells = [[c.header, *(r[i] for r in rows)] for i, c in enumerate(columns)]
    widths = [_measure_column(cs, max_width)[1] or 1 for cs in cells]
    if sum(widths) > max_width:
        widths = _collapse(widths, [not c.no_wrap for c in columns], max_width)
        if sum(widths) > max_width:
            excess = sum(widths) - max_width
            widths = _ratio_reduce(excess, [1] * len(widths), widths, widths)
        widths = [_measure_column(cs, w)[1] or 0 for cs, w in zip(cells, widths)]
    return widths


def table(columns: Sequence[Column], rows: Sequence[tuple[Sequence[str], str]], width: int, color: str | None) -> str:
    """What `Console(width=width).print(Table(...))` writes for these columns and (cells, row style) rows,
    with rich's defaults otherwise (box.HEAVY_HEAD, bold header, no lines between rows); or Unsupported."""
    if not rows:
        raise Unsupported("no rows")
    for c in columns:
        _check(c.header, "bold", color)
    for cells, style in rows:
        if len(cells) != len(columns):
            raise ValueError("a row has a cell per column")
        for text in cells:
            _check(text, style, color)
    widths = column_widths(columns, [r for r, _ in rows], width)
    if min(widths) < 3 or sum(widths) + len(columns) + 1 > width:
        raise Unsupported("too narrow")  # rich would crop or squeeze the padding: let it
    out = [_line(_TOP, widths)]
    out += _row([c.header for c in columns], columns, widths, "bold", color, _HEAD_EDGE, header=True)
    out.append(_line(_HEAD_ROW, widths))
    for cells, style in rows:
        out += _row(cells, columns, widths, style, color, _BODY_EDGE, header=False)
    out.append(_line(_BOTTOM, widths))
    return "".join(line + "\n" for line in out)


def _line(box: str, widths: Sequence[int]) -> str:
    left, fill, cross, right = box[0], box[1], box[2], box[3]
    return left + cross.join(fill * w for w in widths) + right


def _row(cells: Sequence[str], columns: Sequence[Column], widths: Sequence[int], style: str, color: str | None,
         edge: str, header: bool) -> Iterator[str]:
    blocks = []
    for text, column, w in zip(cells, columns, widths):
        inner = wrap(text, w - 2, column.justify, column.overflow, column.no_wrap)
        blocks.append([styled(" ", style, color) + styled(t, style, color) + styled(" ", style, color) for t in inner])
    height = max(len(b) for b in blocks)
    for b, w in zip(blocks, widths):  # a header row sits at the bottom of its cells, a body row at the top
        blank = [styled(" " * w, style, color)] * (height - len(b))
        b[:] = blank + b if header else b + blank
    for k in range(height):
        yield edge + edge.join(b[k] for b in blocks) + edge
