"""Server-side SVG charts for pages.

Charts are drawn on the server as plain SVG, so they need no JavaScript and pass the
strict Content-Security-Policy: no ``style`` attributes and no ``<style>`` elements.
Every element carries SVG presentation attributes (fill, stroke, font-size) so a chart
looks right on its own, plus a class on the element itself (``chart``, ``chart-axis``,
``chart-grid``, ``chart-label``, ``chart-series-0`` … ``chart-series-5``, and
``chart-line`` on line strokes) that the site stylesheet may use to override them:
author CSS beats presentation attributes, but only on the element it matches.

A chart is a picture for sighted readers; put :func:`chart_table` with the same data
next to it (in a ``<details>`` for example) so everyone can read the numbers.
"""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe

from commonroom.core.charts.frame import _Chart
from commonroom.core.charts.layout import _nice_scale
from commonroom.core.charts.marks import _grouped_bars, _line_series, _stacked_bars
from commonroom.core.charts.style import PALETTE, Series, _check, _check_size, _format_value, _text

__all__ = [
    "PALETTE",
    "Series",
    "_format_value",
    "_nice_scale",
    "bar_chart",
    "chart_table",
    "line_chart",
]


# --- public interface --------------------------------------------------------------------


def line_chart(
    *,
    title: str,
    x_labels: list[str],
    series: list[Series],
    width: int = 640,
    height: int = 260,
    y_label: str = "",
) -> SafeString:
    """A line for each series across the x labels, a marker with a tooltip at each value."""
    _check(x_labels, series)
    _check_size(width, height)
    chart = _Chart.build("line", title, x_labels, series, width, height, y_label, stacked=False)
    body = "".join(_line_series(chart.plot, x_labels, item, i) for i, item in enumerate(series))
    return chart.render(body)


def bar_chart(
    *,
    title: str,
    x_labels: list[str],
    series: list[Series],
    width: int = 640,
    height: int = 260,
    stacked: bool = False,
    y_label: str = "",
) -> SafeString:
    """Bars for each x label: side by side per series, or stacked into one bar."""
    _check(x_labels, series)
    _check_size(width, height)
    chart = _Chart.build("bar", title, x_labels, series, width, height, y_label, stacked=stacked)
    draw = _stacked_bars if stacked else _grouped_bars
    return chart.render(draw(chart.plot, x_labels, series))


def chart_table(*, caption: str, x_labels: list[str], series: list[Series]) -> SafeString:
    """The numbers behind a chart as an accessible table: one row per x label."""
    _check(x_labels, series)
    head = "<td></td>" + "".join(f'<th scope="col">{_text(item.label)}</th>' for item in series)
    rows = "".join(
        f'<tr><th scope="row">{_text(label)}</th>'
        + "".join(f"<td>{_format_value(item.values[i])}</td>" for item in series)
        + "</tr>"
        for i, label in enumerate(x_labels)
    )
    html = (
        f'<table class="table chart-table"><caption>{_text(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    )
    return mark_safe(html)  # noqa: S308 -- every piece of text above went through escape()
