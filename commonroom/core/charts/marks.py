"""The data marks: lines with markers, grouped and stacked bars."""

from collections.abc import Sequence
from dataclasses import dataclass

from commonroom.core.charts.layout import _Plot
from commonroom.core.charts.style import _MAX_BAR_WIDTH, Series, _Attr, _colour, _el, _num, _tooltip

# --- data marks --------------------------------------------------------------------------


def _line_series(plot: _Plot, x_labels: Sequence[str], item: Series, index: int) -> str:
    css, colour = _colour(index)
    points = [(plot.x(i), plot.y(value)) for i, value in enumerate(item.values)]
    parts = []
    if len(points) > 1:
        parts.append(
            _el(
                "polyline",
                {
                    "class": f"{css} chart-line",
                    "points": " ".join(f"{_num(x)},{_num(y)}" for x, y in points),
                    "fill": "none",
                    "stroke": colour,
                    "stroke-width": 2.5,
                    "stroke-linejoin": "round",
                    "stroke-linecap": "round",
                },
            )
        )
    radius = 3.5 if plot.band >= 14 else 2.5  # dense series get smaller markers
    for (x, y), label, value in zip(points, x_labels, item.values, strict=True):
        attrs: dict[str, _Attr] = {
            "class": css,
            "cx": x,
            "cy": y,
            "r": radius,
            "fill": colour,
            "stroke": "#fff",
            "stroke-width": 1.5,
        }
        parts.append(_el("circle", attrs, _tooltip(item, label, value)))
    return "".join(parts)


@dataclass(frozen=True)
class _Bar:
    """Where one bar goes: horizontally from x over width, vertically from low to high."""

    x: float
    width: float
    low: float
    high: float


def _bar(plot: _Plot, bar: _Bar, index: int, tooltip: str) -> str:
    """A rect with its tooltip; zero-height bars stay so every value has one."""
    css, colour = _colour(index)
    # Round the edges, not the height, so stacked segments meet without a hairline gap.
    top, bottom = round(plot.y(bar.high), 1), round(plot.y(bar.low), 1)
    attrs: dict[str, _Attr] = {
        "class": css,
        "x": bar.x,
        "y": top,
        "width": bar.width,
        "height": bottom - top,
        "fill": colour,
    }
    return _el("rect", attrs, tooltip)


def _grouped_bars(plot: _Plot, x_labels: Sequence[str], series: Sequence[Series]) -> str:
    if not series:
        return ""
    # A hairline between neighbours helps, unless the bars would be thinner than it.
    gap = 2 if len(series) > 1 and plot.band * 0.72 / len(series) >= 6 else 0
    width = min((plot.band * 0.72 - gap * (len(series) - 1)) / len(series), _MAX_BAR_WIDTH)
    group = width * len(series) + gap * (len(series) - 1)
    parts = []
    for i, label in enumerate(x_labels):
        start = plot.x(i) - group / 2
        for index, item in enumerate(series):
            place = _Bar(start + index * (width + gap), width, 0.0, item.values[i])
            parts.append(_bar(plot, place, index, _tooltip(item, label, item.values[i])))
    return "".join(parts)


def _stacked_bars(plot: _Plot, x_labels: Sequence[str], series: Sequence[Series]) -> str:
    width = min(plot.band * 0.6, _MAX_BAR_WIDTH)
    parts = []
    for i, label in enumerate(x_labels):
        low = 0.0
        for index, item in enumerate(series):
            place = _Bar(plot.x(i) - width / 2, width, low, low + item.values[i])
            parts.append(_bar(plot, place, index, _tooltip(item, label, item.values[i])))
            low = place.high
    return "".join(parts)
