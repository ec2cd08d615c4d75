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

import hashlib
import json
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Each colour has at least 3:1 contrast on white (WCAG 1.4.11, graphical objects).
# Ordered so that the first three, the most common case, differ most in hue.
PALETTE = ("#0b5d63", "#b4531c", "#0a5c9e", "#7a4fa0", "#5a8f7b", "#a4161a")

_INK = "#1b1f24"
_MUTED = "#4f5b66"  # 6.9:1 on white, so small tick labels stay readable
_AXIS = "#6b7780"
_GRID = "#e1e6e3"  # deliberately faint: gridlines guide the eye, they are not data
_FONT = "system-ui, -apple-system, Segoe UI, Roboto, Noto Sans, DejaVu Sans, sans-serif"

_PAD = 8
_TITLE_SIZE = 15
_LABEL_SIZE = 11
_LEGEND_SIZE = 12
_LEGEND_ROW = 20
_SWATCH = 10
_LABEL_GAP = 10  # least free space between two x labels
_MAX_X_LABELS = 10
_MAX_LABEL_WIDTH = 120  # px; longer x labels are shortened, the tooltips keep them whole
_MAX_LEGEND_WIDTH = 180
_MIN_GRIDLINES = 4
_MAX_GRIDLINES = 6
_MAX_BAR_WIDTH = 48  # wider bars look heavy and say nothing more

# Without a font to measure, text width is estimated per character, erring wide
# (DejaVu Sans digits are 0.64 em) so that labels placed apart stay apart.
_CHAR_EM = 0.62
_WIDE_CHAR_EM = 1.0

# Characters that XML 1.0 forbids even when escaped; labels typed by members may hold them.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

_Attr = str | int | float


@dataclass(frozen=True)
class Series:
    """One named row of numbers, one value for each x label of the chart."""

    label: str
    values: list[float]


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


# --- checks and formatting ---------------------------------------------------------------


def _check_size(width: int, height: int) -> None:
    if width < 160 or height < 100:
        raise ValueError("A chart needs at least 160 by 100 units to fit its labels.")


def _check(x_labels: Sequence[str], series: Sequence[Series]) -> None:
    # A mismatch is a bug in the calling view; drawing it anyway would misplace values.
    for item in series:
        if len(item.values) != len(x_labels):
            raise ValueError(
                f"Series {item.label!r} has {len(item.values)} values for {len(x_labels)} labels."
            )
        for value in item.values:
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"Series {item.label!r}: charts start at 0, got {value!r}.")


def _text(value: str) -> str:
    """Escaped text on one line, without the control characters XML cannot hold."""
    return escape(" ".join(_XML_INVALID.sub("", value).split()))


def _num(value: float) -> str:
    """A coordinate: one decimal is finer than a pixel, and keeps the markup short."""
    rounded = round(float(value), 1)
    if rounded == 0:
        return "0"  # never "-0"
    return str(int(rounded)) if rounded.is_integer() else f"{rounded:.1f}"


def _format_value(value: float) -> str:
    """A data value for people: whole numbers as such, otherwise a few decimals."""
    if float(value).is_integer():
        return str(int(value))
    decimals = 2 if abs(value) >= 0.1 else min(6, 1 - math.floor(math.log10(abs(value))))
    return f"{value:.{decimals}f}".rstrip("0").rstrip(".")


def _text_width(text: str, size: float) -> float:
    return sum(
        size * (_WIDE_CHAR_EM if unicodedata.east_asian_width(char) in "WF" else _CHAR_EM)
        for char in text
    )


def _truncate(text: str, max_width: float, size: float) -> str:
    """The text, shortened with an ellipsis when its estimated width exceeds max_width."""
    if _text_width(text, size) <= max_width:
        return text
    while text and _text_width(text + "…", size) > max_width:
        text = text[:-1]
    return text.rstrip() + "…"


def _el(tag: str, attrs: Mapping[str, _Attr], content: str = "") -> str:
    """An element; string attributes are escaped, numbers written compactly."""
    parts = "".join(
        f' {name}="{escape(value) if isinstance(value, str) else _num(value)}"'
        for name, value in attrs.items()
    )
    return f"<{tag}{parts}>{content}</{tag}>" if content else f"<{tag}{parts}/>"


def _label(attrs: dict[str, _Attr], text: str, full: str = "") -> str:
    """A text element; a shortened label keeps its full wording as a tooltip."""
    tooltip = f"<title>{_text(full)}</title>" if full and _text_plain(full) != text else ""
    return _el("text", attrs, tooltip + _text(text))


def _tooltip(item: Series, x_label: str, value: float) -> str:
    return f"<title>{_text(f'{item.label}, {x_label}: {_format_value(value)}')}</title>"


def _colour(index: int) -> tuple[str, str]:
    """Class and default fill of a series; palettes repeat past six series."""
    return f"chart-series-{index % len(PALETTE)}", PALETTE[index % len(PALETTE)]


# --- the y scale -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Scale:
    """A 0-based axis divided into ``intervals`` steps of mantissa * 10^exponent."""

    mantissa: int
    exponent: int
    intervals: int

    @property
    def step(self) -> float:
        # Dividing by a power of ten is exact where multiplying by 0.1 is not.
        if self.exponent < 0:
            return self.mantissa / 10 ** (-self.exponent)
        return float(self.mantissa * 10**self.exponent)

    @property
    def top(self) -> float:
        return self.step * self.intervals

    def ticks(self) -> list[float]:
        return [self.step * i for i in range(self.intervals + 1)]

    def tick_label(self, value: float) -> str:
        """Tick text with as many decimals as the step needs; k and M keep it short."""
        if value == 0:
            return "0"
        power = 6 if self.top >= 1e6 else 3 if self.top >= 1e4 else 0
        suffix = {6: "M", 3: "k", 0: ""}[power]
        decimals = max(0, power - self.exponent)
        return f"{value / 10**power:.{decimals}f}{suffix}"


def _nice_scale(peak: float, *, integers: bool) -> _Scale:
    """The finest 1-2-5 step that reaches ``peak`` in at most six gridlines, at least four."""
    exponent = math.floor(math.log10(peak / _MAX_GRIDLINES)) if peak > 0 else 0
    if integers:
        exponent = max(exponent, 0)  # counts get whole-number ticks, never "0.5"
    while True:
        for mantissa in (1, 2, 5):
            scale = _Scale(mantissa, exponent, 1)
            # Rounding first keeps 1.1 / 0.1 = 11.000000000000002 from needing 12 steps.
            intervals = math.ceil(round(peak / scale.step, 9))
            if intervals <= _MAX_GRIDLINES:
                return _Scale(mantissa, exponent, max(intervals, _MIN_GRIDLINES))
        exponent += 1


# --- layout ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Plot:
    """The data area: x labels share its width in equal bands, values rise from the bottom."""

    left: float
    top: float
    right: float
    bottom: float
    count: int
    scale: _Scale

    @property
    def band(self) -> float:
        return (self.right - self.left) / max(self.count, 1)

    def x(self, index: int) -> float:
        """The middle of an x label's band, so one label alone sits in the centre."""
        return self.left + self.band * (index + 0.5)

    def y(self, value: float) -> float:
        return self.bottom - (self.bottom - self.top) * value / self.scale.top


@dataclass(frozen=True)
class _LegendItem:
    index: int
    text: str
    full: str
    x: float
    row: int


def _legend_items(series: Sequence[Series], width: int) -> list[_LegendItem]:
    """Legend entries laid out in rows that wrap within the chart's width."""
    if len(series) < 2:
        return []  # one series is named by the title already
    items: list[_LegendItem] = []
    x, row = float(_PAD), 0
    for index, item in enumerate(series):
        full = _text_plain(item.label)
        room = min(_MAX_LEGEND_WIDTH, width - 2 * _PAD - _SWATCH - 6)
        text = _truncate(full, room, _LEGEND_SIZE)
        entry = _SWATCH + 6 + _text_width(text, _LEGEND_SIZE)
        if x > _PAD and x + entry > width - _PAD:
            x, row = float(_PAD), row + 1
        items.append(_LegendItem(index, text, full, x, row))
        x += entry + 16
    return items


def _peak(series: Sequence[Series], count: int, *, stacked: bool) -> float:
    if stacked:
        return max((sum(item.values[i] for item in series) for i in range(count)), default=0.0)
    return max((value for item in series for value in item.values), default=0.0)


def _all_integers(series: Sequence[Series]) -> bool:
    return all(float(value).is_integer() for item in series for value in item.values)


# --- the chart frame ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Chart:
    """Everything around the data: title, legend, axes, labels and the accessible name."""

    kind: str  # "line" or "bar"
    title: str
    x_labels: list[str]
    series: list[Series]
    width: int
    height: int
    y_label: str
    stacked: bool
    uid: str
    plot: _Plot
    legend: list[_LegendItem]

    @classmethod
    def build(
        cls,
        kind: str,
        title: str,
        x_labels: list[str],
        series: list[Series],
        width: int,
        height: int,
        y_label: str,
        *,
        stacked: bool,
    ) -> "_Chart":
        scale = _nice_scale(
            _peak(series, len(x_labels), stacked=stacked), integers=_all_integers(series)
        )
        legend = _legend_items(series, width)
        rows = legend[-1].row + 1 if legend else 0
        top = _PAD + 26 + rows * _LEGEND_ROW + (10 if rows else 8)
        widest_tick = max(_text_width(scale.tick_label(t), _LABEL_SIZE) for t in scale.ticks())
        left = _PAD + widest_tick + 8 + (_LABEL_SIZE + 8 if y_label else 0)
        bottom = height - _PAD - _LABEL_SIZE - 12
        plot = _Plot(left, top, width - _PAD - 4, max(bottom, top + 1), len(x_labels), scale)
        data = [[item.label, item.values] for item in series]
        uid = _uid([kind, title, x_labels, data, width, height, y_label, stacked])
        return cls(
            kind, title, x_labels, series, width, height, y_label, stacked, uid, plot, legend
        )

    def render(self, body: str) -> SafeString:
        title_id, desc_id = f"{self.uid}-title", f"{self.uid}-desc"
        root = {
            "xmlns": "http://www.w3.org/2000/svg",
            "class": "chart",
            "viewBox": f"0 0 {self.width} {self.height}",
            "width": "100%",
            "preserveAspectRatio": "xMidYMid meet",
            "role": "img",
            "aria-labelledby": f"{title_id} {desc_id}",
            "font-family": _FONT,
        }
        content = (
            _el("title", {"id": title_id}, _text(self.title))
            + _el("desc", {"id": desc_id}, _text(self.summary()))
            + _el(
                "rect",
                {
                    "class": "chart-background",
                    "width": self.width,
                    "height": self.height,
                    "fill": "#fff",
                },
            )
            + self._heading()
            + self._legend()
            + self._grid()
            + self._y_label()
            + self._x_labels()
            + (body if self.has_data else self._no_data())
        )
        return mark_safe(_el("svg", root, content))  # noqa: S308 -- all text escaped in _el/_text

    @property
    def has_data(self) -> bool:
        return bool(self.series and self.x_labels)

    def summary(self) -> str:
        """One sentence for the <desc>: what is drawn, over what, and its highest point."""
        if not self.has_data:
            return _("No data.")
        count = len(self.x_labels)
        if self.kind == "line":
            over = ngettext("%(n)d point", "%(n)d points", count) % {"n": count}
        else:
            over = ngettext("%(n)d category", "%(n)d categories", count) % {"n": count}
        first, last = _text_plain(self.x_labels[0]), _text_plain(self.x_labels[-1])
        span = first if count == 1 else _("%(first)s to %(last)s") % {"first": first, "last": last}
        return _("%(series)s over %(over)s (%(span)s); %(peak)s.") % {
            "series": ngettext("%(n)d series", "%(n)d series", len(self.series))
            % {"n": len(self.series)},
            "over": over,
            "span": span,
            "peak": self._peak_phrase(),
        }

    def _peak_phrase(self) -> str:
        cells = [
            (value, item.label, label)
            for item in self.series
            for label, value in zip(self.x_labels, item.values, strict=True)
        ]
        # max() keeps the first of equal values, so the sentence is stable.
        value, series_label, x_label = max(cells, key=lambda cell: cell[0])
        if value == 0:
            return _("all values are 0")
        phrase = _("highest value %(value)s (%(series)s, %(label)s)") % {
            "value": _format_value(value),
            "series": _text_plain(series_label),
            "label": _text_plain(x_label),
        }
        if self.stacked and len(self.series) > 1:
            totals = [
                sum(item.values[i] for item in self.series) for i in range(len(self.x_labels))
            ]
            top = max(range(len(totals)), key=totals.__getitem__)
            phrase += _("; highest total %(value)s (%(label)s)") % {
                "value": _format_value(totals[top]),
                "label": _text_plain(self.x_labels[top]),
            }
        return phrase

    def _heading(self) -> str:
        # Bold glyphs run about 5% wider than the estimate.
        text = _truncate(_text_plain(self.title), self.width - 2 * _PAD, _TITLE_SIZE * 1.05)
        attrs: dict[str, _Attr] = {
            "class": "chart-label chart-title",
            "x": _PAD,
            "y": _PAD + _TITLE_SIZE,
            "font-size": _TITLE_SIZE,
            "font-weight": "600",
            "fill": _INK,
        }
        return _label(attrs, text, self.title)

    def _legend(self) -> str:
        parts = []
        for item in self.legend:
            css, fill = _colour(item.index)
            y = _PAD + 26 + item.row * _LEGEND_ROW
            swatch: dict[str, _Attr] = {
                "class": css,
                "x": item.x,
                "y": y,
                "width": _SWATCH,
                "height": _SWATCH,
                "fill": fill,
            }
            parts.append(_el("rect", swatch))
            attrs: dict[str, _Attr] = {
                "class": "chart-label",
                "x": item.x + _SWATCH + 6,
                "y": y + _SWATCH - 0.5,
                "font-size": _LEGEND_SIZE,
                "fill": _INK,
            }
            parts.append(_label(attrs, item.text, item.full))
        return _el("g", {"class": "chart-legend"}, "".join(parts)) if parts else ""

    def _grid(self) -> str:
        plot = self.plot
        parts = []
        for tick in plot.scale.ticks():
            y = plot.y(tick)
            line = {"x1": plot.left, "x2": plot.right, "y1": y, "y2": y}
            if tick == 0:
                parts.append(
                    _el("line", {"class": "chart-axis", **line, "stroke": _AXIS, "stroke-width": 1})
                )
            else:
                parts.append(
                    _el("line", {"class": "chart-grid", **line, "stroke": _GRID, "stroke-width": 1})
                )
            attrs: dict[str, _Attr] = {
                "class": "chart-label",
                "x": plot.left - 6,
                "y": y,
                "dy": "0.35em",
                "text-anchor": "end",
                "font-size": _LABEL_SIZE,
                "fill": _MUTED,
            }
            parts.append(_label(attrs, plot.scale.tick_label(tick)))
        return "".join(parts)

    def _y_label(self) -> str:
        if not self.y_label:
            return ""
        x, y = _PAD + _LABEL_SIZE - 2, (self.plot.top + self.plot.bottom) / 2
        text = _truncate(_text_plain(self.y_label), self.plot.bottom - self.plot.top, _LABEL_SIZE)
        attrs: dict[str, _Attr] = {
            "class": "chart-label",
            "x": x,
            "y": y,
            "transform": f"rotate(-90 {_num(x)} {_num(y)})",
            "text-anchor": "middle",
            "font-size": _LABEL_SIZE,
            "fill": _MUTED,
        }
        return _label(attrs, text, self.y_label)

    def _x_labels(self) -> str:
        parts = []
        for index, text in _x_label_choice(self.x_labels, self.plot):
            half = _text_width(text, _LABEL_SIZE) / 2
            # Keep the outermost labels inside the picture rather than clipped at its edge.
            x = min(max(self.plot.x(index), _PAD + half), self.width - _PAD - half)
            attrs: dict[str, _Attr] = {
                "class": "chart-label",
                "x": x,
                "y": self.plot.bottom + _LABEL_SIZE + 7,
                "text-anchor": "middle",
                "font-size": _LABEL_SIZE,
                "fill": _MUTED,
            }
            parts.append(_label(attrs, text, self.x_labels[index]))
        return "".join(parts)

    def _no_data(self) -> str:
        scale = self.plot.scale
        # Halfway between two gridlines near the middle, so no line runs through the words.
        middle = (scale.intervals // 2 + 0.5) * scale.step
        attrs: dict[str, _Attr] = {
            "class": "chart-label",
            "x": (self.plot.left + self.plot.right) / 2,
            "y": self.plot.y(middle),
            "dy": "0.35em",
            "text-anchor": "middle",
            "font-size": _LEGEND_SIZE,
            "fill": _MUTED,
        }
        return _label(attrs, _("No data to show yet."))


def _text_plain(value: str) -> str:
    """Member text for a sentence that is escaped later as a whole."""
    return " ".join(_XML_INVALID.sub("", value).split())


def _uid(content: list[object]) -> str:
    """An id from the chart's content: stable across renders, distinct between charts."""
    data = json.dumps(content, ensure_ascii=False)
    return "chart-" + hashlib.blake2s(data.encode(), digest_size=5).hexdigest()


# --- x labels ----------------------------------------------------------------------------


def _x_label_choice(labels: Sequence[str], plot: _Plot) -> list[tuple[int, str]]:
    """Which x labels to draw, and as what text, so that no two of them overlap."""
    if not labels:
        return []
    plain = [_text_plain(label) for label in labels]
    span = plot.right - plot.left
    # No label wider than half the plot, so the first and the last always both fit.
    limit = min(_MAX_LABEL_WIDTH, span / 2 - _LABEL_GAP)
    texts = [_truncate(label, limit, _LABEL_SIZE) for label in plain]
    slot = max(_text_width(text, _LABEL_SIZE) for text in texts) + _LABEL_GAP
    fits = min(_MAX_X_LABELS, max(2, int(span // slot)))
    if len(labels) <= fits:
        return list(enumerate(texts))
    room = plot.band - _LABEL_GAP
    if len(labels) <= _MAX_X_LABELS and room >= _text_width("abc…", _LABEL_SIZE):
        # A few categories (a bar each) read better shortened than missing.
        return [(i, _truncate(label, room, _LABEL_SIZE)) for i, label in enumerate(plain)]
    return [(i, texts[i]) for i in _thinned(len(labels), fits, plot.band, slot)]


def _thinned(count: int, fits: int, band: float, slot: float) -> list[int]:
    """Every n-th index from the first, plus the last, with room between all of them."""
    step = math.ceil((count - 1) / (fits - 1))
    chosen = list(range(0, count - 1, step))
    if len(chosen) > 1 and (count - 1 - chosen[-1]) * band < slot:
        chosen.pop()  # too close to the last label, which must be shown
    return [*chosen, count - 1]


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
