"""Charts as inline SVG, drawn in Python at render time (pygal), so a page needs no script and no network.

pygal writes plain SVG with its styles inside; we turn off its optional
JavaScript (tooltips fetched from a CDN) and replace its random chart id with a
stable one, so the same result draws the same bytes.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

import pygal
from pygal.style import Style

_STYLE = Style(
    background="transparent", plot_background="transparent", foreground="#222", foreground_strong="#111",
    foreground_subtle="#999", opacity=".9", opacity_hover="1", transition="none",
    colors=("#2e7d32", "#c62828", "#1565c0", "#9e9e9e"),
    font_family="'Times New Roman', 'DejaVu Serif', serif", label_font_size=11, major_label_font_size=11,
    value_font_size=10, legend_font_size=12, title_font_size=13, tooltip_font_size=11,
)
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# pygal leaves an inline config script for its (unused) tooltip JavaScript: the page needs none of it.
_SCRIPT = re.compile(r"<script[^>]*>.*?</script>", re.DOTALL)
_GENERATED = re.compile(r"<!--Generated with pygal[^>]*-->")


def _svg(chart: pygal.graph.graph.Graph, name: str) -> str:
    text = chart.render(is_unicode=True)
    text = _UUID.sub(name, _SCRIPT.sub("", text))
    return _GENERATED.sub("", text)


def _base(kind: type, name: str, height: int, colors: Sequence[str] | None = None, **config: object) -> pygal.graph.graph.Graph:
    style = _STYLE if colors is None else Style(**{**_STYLE.to_dict(), "colors": tuple(colors)})
    # Few value labels: the default puts one every tick and they run into each other on a narrow page.
    return kind(js=[], disable_xml_declaration=True, style=style, width=760, height=height, legend_at_bottom=True,
                print_values=False, show_y_guides=True, truncate_label=-1, margin=10, x_labels_major_count=6,
                show_minor_x_labels=False, **config)


def stacked(name: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], decimals: int = 2,
            colors: Sequence[str] | None = None) -> str:
    """Horizontal stacked bars, one per label, the first label on top (e.g. earned + lost per field)."""
    chart = _base(pygal.HorizontalStackedBar, name, 70 + 28 * max(len(labels), 1), colors,
                  value_formatter=lambda v: f"{v:.{decimals}f}")
    chart.x_labels = list(reversed(labels))  # pygal draws the first label at the bottom
    for title, values in series:
        chart.add(title, list(reversed(values)))
    return _svg(chart, name)


def bars(name: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], decimals: int = 2,
         colors: Sequence[str] | None = None) -> str:
    """Horizontal grouped bars, the first label on top (e.g. this year against last year, points lost per leaf)."""
    chart = _base(pygal.HorizontalBar, name, 70 + 22 * max(len(labels), 1) * max(len(series), 1), colors,
                  value_formatter=lambda v: f"{v:.{decimals}f}")
    chart.x_labels = list(reversed(labels))
    for title, values in series:
        chart.add(title, list(reversed(values)))
    return _svg(chart, name)
