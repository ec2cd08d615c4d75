"""Everything around a chart's data: title, legend, axes, labels and its name."""

import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commonroom.core.charts.layout import (
    _all_integers,
    _legend_items,
    _LegendItem,
    _nice_scale,
    _peak,
    _Plot,
)
from commonroom.core.charts.style import (
    _AXIS,
    _FONT,
    _GRID,
    _INK,
    _LABEL_GAP,
    _LABEL_SIZE,
    _LEGEND_ROW,
    _LEGEND_SIZE,
    _MAX_LABEL_WIDTH,
    _MAX_X_LABELS,
    _MUTED,
    _PAD,
    _SWATCH,
    _TITLE_SIZE,
    Series,
    _Attr,
    _colour,
    _el,
    _format_value,
    _label,
    _num,
    _text,
    _text_plain,
    _text_width,
    _truncate,
)

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
