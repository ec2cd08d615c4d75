"""The y scale, the plot area and the legend of a chart."""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from commonroom.core.charts.style import (
    _LEGEND_SIZE,
    _MAX_GRIDLINES,
    _MAX_LEGEND_WIDTH,
    _MIN_GRIDLINES,
    _PAD,
    _SWATCH,
    Series,
    _text_plain,
    _text_width,
    _truncate,
)

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
            return self.mantissa / float(10 ** (-self.exponent))
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
