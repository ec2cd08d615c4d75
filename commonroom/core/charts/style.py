"""The charts' colours, type sizes and measures, and the SVG text helpers."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.html import escape

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


def _text_plain(value: str) -> str:
    """Member text for a sentence that is escaped later as a whole."""
    return " ".join(_XML_INVALID.sub("", value).split())
