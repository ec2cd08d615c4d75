"""SVG charts: parsed as XML and checked element by element, no database needed."""

import itertools
import math
import re
import xml.etree.ElementTree as ET

import pytest
from django.utils.safestring import SafeString

from commonroom.core.charts import (
    PALETTE,
    Series,
    _format_value,
    _nice_scale,
    bar_chart,
    chart_table,
    line_chart,
)

SVG = "{http://www.w3.org/2000/svg}"
WEEKS = [f"2026-W{week}" for week in range(36, 48)]
PUBLISHED = Series("Published", [3, 5, 8, 12, 9, 14, 20, 18, 25, 30, 36, 41])
DRAFTS = Series("Drafts", [6, 7, 5, 9, 11, 8, 10, 13, 12, 15, 14, 17])
COMMENTS = Series("Comments", [1, 2, 4, 3, 6, 9, 7, 11, 14, 12, 18, 22])
EVIL = '<script>alert("x")</script>'


def weekly(**kwargs) -> dict:
    return {
        "title": "Resources per week",
        "x_labels": WEEKS,
        "series": [PUBLISHED, DRAFTS, COMMENTS],
        **kwargs,
    }


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 -- our own output, and parsing it is the test


def classes(element: ET.Element) -> list[str]:
    return element.get("class", "").split()


def marks(root: ET.Element, tag: str, series: int | None = None) -> list[ET.Element]:
    """Data marks (bars, markers, lines): series-coloured shapes outside the legend."""

    def wanted(css: str) -> bool:
        if series is None:
            return css.startswith("chart-series-")
        return css == f"chart-series-{series}"

    return [el for el in root if el.tag == SVG + tag and any(map(wanted, classes(el)))]


def with_class(root: ET.Element, tag: str, css: str) -> list[ET.Element]:
    return [el for el in root.iter(SVG + tag) if css in classes(el)]


def tick_labels(root: ET.Element) -> list[str]:
    return [
        el.text or "" for el in root if el.tag == SVG + "text" and el.get("text-anchor") == "end"
    ]


def x_labels(root: ET.Element) -> list[ET.Element]:
    """The text under the axis: the only middle-anchored labels below the baseline."""
    baseline = float(with_class(root, "line", "chart-axis")[0].get("y1"))
    return [
        el
        for el in root
        if el.tag == SVG + "text"
        and el.get("text-anchor") == "middle"
        and float(el.get("y")) > baseline
    ]


def shown(element: ET.Element) -> str:
    """The visible text of a label, which may carry its full wording as a <title> first."""
    title = element.find(SVG + "title")
    return (element.text if title is None else title.tail) or ""


def tooltip(element: ET.Element) -> str:
    title = element.find(SVG + "title")
    assert title is not None
    return title.text or ""


def all_charts(**kwargs) -> list[str]:
    return [
        line_chart(**kwargs),
        bar_chart(**kwargs),
        bar_chart(**kwargs, stacked=True),
    ]


# --- the document ------------------------------------------------------------------------


def test_svg_is_standalone_responsive_and_labelled():
    svg = line_chart(**weekly(width=600, height=240))
    root = parse(svg)

    assert isinstance(svg, SafeString)
    assert root.tag == SVG + "svg"
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" class="chart"')
    assert root.get("viewBox") == "0 0 600 240"
    assert root.get("width") == "100%"
    assert root.get("height") is None  # the viewBox sets the proportions
    assert root.get("preserveAspectRatio") == "xMidYMid meet"
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    title, desc = root[0], root[1]
    assert (title.tag, title.get("id"), title.text) == (
        SVG + "title",
        title_id,
        "Resources per week",
    )
    assert (desc.tag, desc.get("id")) == (SVG + "desc", desc_id)
    assert desc.text == (
        "3 series over 12 points (2026-W36 to 2026-W47); highest value 41 (Published, 2026-W47)."
    )


def test_bar_chart_summary_names_categories_and_the_highest_total():
    root = parse(bar_chart(**weekly(), stacked=True))

    assert root[1].text == (
        "3 series over 12 categories (2026-W36 to 2026-W47); highest value 41 "
        "(Published, 2026-W47); highest total 80 (2026-W47)."
    )


def test_summary_picks_the_first_of_equal_highest_values():
    root = parse(line_chart(title="T", x_labels=["a", "b"], series=[Series("S", [5, 5])]))

    assert root[1].text == "1 series over 2 points (a to b); highest value 5 (S, a)."


def test_visible_title_is_drawn():
    root = parse(line_chart(**weekly()))

    (heading,) = with_class(root, "text", "chart-title")
    assert heading.text == "Resources per week"
    assert heading.get("font-weight") == "600"


def test_ids_are_stable_and_differ_between_charts():
    first = parse(line_chart(**weekly())).get("aria-labelledby")
    again = parse(line_chart(**weekly())).get("aria-labelledby")
    other = parse(line_chart(**weekly(title="Other"))).get("aria-labelledby")
    bars = parse(bar_chart(**weekly())).get("aria-labelledby")

    assert re.fullmatch(r"chart-[0-9a-f]{10}-title chart-[0-9a-f]{10}-desc", first)
    assert first == again
    assert len({first, other, bars}) == 3


def test_output_is_deterministic():
    assert line_chart(**weekly()) == line_chart(**weekly())
    assert bar_chart(**weekly(), stacked=True) == bar_chart(**weekly(), stacked=True)


@pytest.mark.parametrize("svg", all_charts(**weekly(y_label="Resources")))
def test_no_inline_styles_anywhere(svg):
    assert "style=" not in svg
    assert "<style" not in svg


@pytest.mark.parametrize(
    "svg",
    [
        *all_charts(**weekly()),
        *all_charts(title="T", x_labels=["a", "b", "c"], series=[Series("S", [1 / 3, 2 / 3, 7.1])]),
    ],
)
def test_numbers_are_compact(svg):
    numbers = re.findall(r'="([^"]*)"', svg) + re.findall(r">([^<]+)<", svg)
    long_floats = [n for n in numbers if re.search(r"\d\.\d{3,}", n)]
    assert long_floats == []


# --- y axis ------------------------------------------------------------------------------


def test_gridlines_and_ticks_for_weekly_counts():
    root = parse(line_chart(**weekly()))

    assert tick_labels(root) == ["0", "10", "20", "30", "40", "50"]
    assert len(with_class(root, "line", "chart-grid")) == 5
    assert len(with_class(root, "line", "chart-axis")) == 1


@pytest.mark.parametrize(
    ("peak", "integers", "labels"),
    [
        (41, True, ["0", "10", "20", "30", "40", "50"]),
        (100, True, ["0", "20", "40", "60", "80", "100"]),
        (7, True, ["0", "2", "4", "6", "8"]),
        (3, True, ["0", "1", "2", "3", "4"]),
        (1, True, ["0", "1", "2", "3", "4"]),
        (0, True, ["0", "1", "2", "3", "4"]),
        (0, False, ["0", "1", "2", "3", "4"]),
        (3.5, False, ["0", "1", "2", "3", "4"]),
        (1.1, False, ["0", "0.2", "0.4", "0.6", "0.8", "1.0", "1.2"]),
        (0.25, False, ["0", "0.05", "0.10", "0.15", "0.20", "0.25"]),
        (12_000, True, ["0", "2k", "4k", "6k", "8k", "10k", "12k"]),
        (2_500_000, True, ["0", "0.5M", "1.0M", "1.5M", "2.0M", "2.5M"]),
    ],
)
def test_nice_scale(peak, integers, labels):
    scale = _nice_scale(peak, integers=integers)

    assert [scale.tick_label(tick) for tick in scale.ticks()] == labels


@pytest.mark.parametrize("peak", [*range(0, 2001, 7), 0.013, 0.7, 9.99, 123.4, 98_765.4, 1e9])
def test_nice_scale_always_has_four_to_six_gridlines_above_zero(peak):
    scale = _nice_scale(peak, integers=float(peak).is_integer())

    assert 4 <= scale.intervals <= 6
    assert scale.top >= peak
    assert scale.mantissa in (1, 2, 5)


def test_integer_data_gets_whole_number_ticks_and_fractions_do_not():
    counts = parse(line_chart(title="T", x_labels=["a", "b"], series=[Series("S", [1, 2])]))
    shares = parse(line_chart(title="T", x_labels=["a", "b"], series=[Series("S", [0.1, 0.25])]))

    assert tick_labels(counts) == ["0", "1", "2", "3", "4"]
    assert tick_labels(shares) == ["0", "0.05", "0.10", "0.15", "0.20", "0.25"]


def test_tick_labels_and_gridlines_line_up():
    root = parse(bar_chart(**weekly()))
    grid_ys = [line.get("y1") for line in with_class(root, "line", "chart-grid")]
    label_ys = [el.get("y") for el in root if el.tag == SVG + "text" and el.text in {"10", "50"}]

    assert label_ys == [grid_ys[0], grid_ys[-1]]


# --- marks -------------------------------------------------------------------------------


def test_line_chart_has_one_line_and_a_marker_per_value():
    root = parse(line_chart(**weekly()))

    for index, item in enumerate([PUBLISHED, DRAFTS, COMMENTS]):
        (line,) = [el for el in marks(root, "polyline") if f"chart-series-{index}" in classes(el)]
        assert classes(line) == [f"chart-series-{index}", "chart-line"]
        assert (line.get("fill"), line.get("stroke")) == ("none", PALETTE[index])
        assert len(line.get("points").split()) == 12
        markers = marks(root, "circle", index)
        assert len(markers) == 12
        assert {m.get("fill") for m in markers} == {PALETTE[index]}
        assert [tooltip(m) for m in markers] == [
            f"{item.label}, {week}: {value}" for week, value in zip(WEEKS, item.values, strict=True)
        ]


def test_markers_sit_on_the_scale():
    root = parse(line_chart(**weekly()))
    axis_y = float(with_class(root, "line", "chart-axis")[0].get("y1"))
    top_y = float(with_class(root, "line", "chart-grid")[-1].get("y1"))  # the "50" line
    last = marks(root, "circle", 0)[-1]  # Published, 41

    assert float(last.get("cy")) == pytest.approx(axis_y - (axis_y - top_y) * 41 / 50, abs=0.05)


def test_grouped_bars_one_per_value_side_by_side():
    root = parse(bar_chart(**weekly()))

    bars = marks(root, "rect")
    assert len(bars) == 36
    for index, item in enumerate([PUBLISHED, DRAFTS, COMMENTS]):
        own = marks(root, "rect", index)
        assert len(own) == 12
        assert {bar.get("fill") for bar in own} == {PALETTE[index]}
        assert tooltip(own[-1]) == f"{item.label}, 2026-W47: {item.values[-1]}"
    first_group = [marks(root, "rect", index)[0] for index in range(3)]
    lefts = [float(bar.get("x")) for bar in first_group]
    widths = [float(bar.get("width")) for bar in first_group]
    assert lefts == sorted(lefts)
    assert lefts[1] >= lefts[0] + widths[0]  # no overlap within a group


def test_bar_heights_are_proportional_to_values():
    root = parse(bar_chart(title="T", x_labels=["a", "b"], series=[Series("S", [10, 40])]))
    axis_y = float(with_class(root, "line", "chart-axis")[0].get("y1"))
    small, big = marks(root, "rect")

    assert float(big.get("height")) == pytest.approx(4 * float(small.get("height")), abs=0.2)
    for bar in (small, big):
        bottom = float(bar.get("y")) + float(bar.get("height"))
        assert bottom == pytest.approx(axis_y, abs=0.05)


def test_stacked_bars_sum_to_the_total():
    root = parse(bar_chart(**weekly(), stacked=True))
    axis_y = float(with_class(root, "line", "chart-axis")[0].get("y1"))
    top_tick = float(tick_labels(root)[-1])
    top_y = float(with_class(root, "line", "chart-grid")[-1].get("y1"))
    per_unit = (axis_y - top_y) / top_tick

    assert tick_labels(root) == ["0", "20", "40", "60", "80"]  # scaled to totals, not values
    assert len(marks(root, "rect")) == 36
    for i in range(12):
        segments = [marks(root, "rect", index)[i] for index in range(3)]
        total = sum(item.values[i] for item in (PUBLISHED, DRAFTS, COMMENTS))
        heights = [float(s.get("height")) for s in segments]
        assert sum(heights) == pytest.approx(total * per_unit, abs=0.15)
        # Each segment starts where the one below it ends, from the axis up.
        bottom = axis_y
        for segment in segments:
            assert float(segment.get("y")) + float(segment.get("height")) == pytest.approx(
                bottom, abs=1e-6
            )
            bottom = float(segment.get("y"))
        assert len({s.get("x") for s in segments}) == 1
        assert len({s.get("width") for s in segments}) == 1


def test_series_past_six_reuse_the_palette():
    series = [Series(f"S{i}", [i]) for i in range(8)]
    root = parse(bar_chart(title="T", x_labels=["a"], series=series))

    assert [classes(bar)[0] for bar in marks(root, "rect")] == [
        f"chart-series-{i % 6}" for i in range(8)
    ]
    assert [bar.get("fill") for bar in marks(root, "rect")] == [PALETTE[i % 6] for i in range(8)]


def test_every_element_with_a_chart_class_also_has_default_colours():
    root = parse(line_chart(**weekly(y_label="Resources")))

    for el in root.iter():
        css = classes(el)
        if "chart-grid" in css or "chart-axis" in css:
            assert el.get("stroke") is not None
        if "chart-label" in css:
            assert el.get("fill") is not None
            assert el.get("font-size") is not None
        if any(c.startswith("chart-series-") for c in css):
            assert el.get("fill") is not None
    assert root.get("font-family").endswith("sans-serif")


# --- legend ------------------------------------------------------------------------------


def test_legend_lists_every_series_with_its_colour():
    root = parse(line_chart(**weekly()))

    (legend,) = with_class(root, "g", "chart-legend")
    swatches = legend.findall(SVG + "rect")
    assert [s.get("fill") for s in swatches] == list(PALETTE[:3])
    assert [classes(s) for s in swatches] == [[f"chart-series-{i}"] for i in range(3)]
    assert [t.text for t in legend.findall(SVG + "text")] == ["Published", "Drafts", "Comments"]


def test_single_series_has_no_legend():
    root = parse(bar_chart(title="T", x_labels=WEEKS, series=[PUBLISHED]))

    assert with_class(root, "g", "chart-legend") == []


def test_legend_wraps_onto_a_second_row_in_a_narrow_chart():
    series = [Series(f"Subject number {i}", [i]) for i in range(6)]
    root = parse(bar_chart(title="T", x_labels=["a"], series=series, width=320))

    (legend,) = with_class(root, "g", "chart-legend")
    swatches = legend.findall(SVG + "rect")
    rows = sorted({float(s.get("y")) for s in swatches})
    assert len(rows) == 3
    for swatch in swatches:
        assert float(swatch.get("x")) + 10 <= 320
    plot_top = float(with_class(root, "line", "chart-grid")[-1].get("y1"))
    assert plot_top > rows[-1] + 10  # the plot starts below the last legend row


# --- x labels ----------------------------------------------------------------------------


def test_all_x_labels_drawn_when_they_fit():
    root = parse(
        line_chart(title="T", x_labels=["Mon", "Tue", "Wed"], series=[Series("S", [1, 2, 3])])
    )

    assert [el.text for el in x_labels(root)] == ["Mon", "Tue", "Wed"]


def test_many_x_labels_are_thinned_keeping_first_and_last():
    labels = [f"2026-W{week:02d}" for week in range(1, 53)]
    root = parse(line_chart(title="T", x_labels=labels, series=[Series("S", list(range(52)))]))

    drawn = x_labels(root)
    texts = [el.text for el in drawn]
    assert texts[0] == "2026-W01"
    assert texts[-1] == "2026-W52"
    assert 2 <= len(drawn) <= 10
    xs = [float(el.get("x")) for el in drawn]
    widest = 8 * 11 * 0.62  # the estimate the layout uses for "2026-W01"
    assert all(b - a >= widest + 10 - 0.1 for a, b in itertools.pairwise(xs))
    assert len(marks(root, "circle")) == 52  # thinning labels never drops data


def test_twelve_weeks_keep_regular_steps_and_the_last_week():
    root = parse(line_chart(**weekly()))

    assert [el.text for el in x_labels(root)] == [
        "2026-W36",
        "2026-W38",
        "2026-W40",
        "2026-W42",
        "2026-W44",
        "2026-W47",
    ]


def test_long_category_names_are_shortened_not_dropped():
    names = ["Mathematics", "Biology", "History", "Dutch", "English", "Physical education"]
    root = parse(bar_chart(title="T", x_labels=names, series=[Series("S", [1] * 6)]))

    drawn = x_labels(root)
    assert len(drawn) == 6
    assert [shown(el) for el in drawn[:5]] == names[:5]
    assert shown(drawn[5]).endswith("…")
    assert "Physical education".startswith(shown(drawn[5])[:-1])
    assert tooltip(drawn[5]) == "Physical education"


def test_very_long_label_fits_inside_the_chart():
    label = "A very long resource title that goes on " * 3
    root = parse(bar_chart(title="T", x_labels=[label], series=[Series("S", [2])], width=200))

    (drawn,) = x_labels(root)
    half = len(shown(drawn)) * 11 * 0.62 / 2
    assert shown(drawn).endswith("…")
    assert tooltip(drawn) == " ".join(label.split())
    assert float(drawn.get("x")) - half >= 0
    assert float(drawn.get("x")) + half <= 200


def test_single_x_label_is_centred():
    root = parse(line_chart(title="T", x_labels=["2026-W47"], series=[Series("S", [4])]))
    axis = with_class(root, "line", "chart-axis")[0]

    assert marks(root, "polyline") == []  # one point makes no line
    (marker,) = marks(root, "circle")
    assert float(marker.get("cx")) == pytest.approx(
        (float(axis.get("x1")) + float(axis.get("x2"))) / 2, abs=0.1
    )
    assert [el.text for el in x_labels(root)] == ["2026-W47"]
    assert root[1].text == "1 series over 1 point (2026-W47); highest value 4 (S, 2026-W47)."


def test_y_label_is_drawn_rotated_beside_the_axis():
    root = parse(bar_chart(**weekly(y_label="Resources")))
    (label,) = [el for el in root if el.tag == SVG + "text" and el.text == "Resources"]

    assert label.get("transform").startswith("rotate(-90 ")
    assert float(label.get("x")) < float(with_class(root, "line", "chart-axis")[0].get("x1"))


# --- edge cases --------------------------------------------------------------------------


ZEROS = {"title": "T", "x_labels": WEEKS, "series": [Series("S", [0] * 12)]}


@pytest.mark.parametrize(
    ("svg", "noun", "mark"),
    [
        (lambda: line_chart(**ZEROS), "points", "circle"),
        (lambda: bar_chart(**ZEROS), "categories", "rect"),
        (lambda: bar_chart(**ZEROS, stacked=True), "categories", "rect"),
    ],
)
def test_all_zero_data(svg, noun, mark):
    # Drawn inside the test, so that its text is in the test's language.
    root = parse(svg())

    assert tick_labels(root) == ["0", "1", "2", "3", "4"]
    assert len(with_class(root, "line", "chart-grid")) == 4
    assert root[1].text == f"1 series over 12 {noun} (2026-W36 to 2026-W47); all values are 0."
    assert len(marks(root, mark)) == 12
    axis_y = with_class(root, "line", "chart-axis")[0].get("y1")
    if mark == "circle":
        assert {el.get("cy") for el in marks(root, mark)} == {axis_y}  # markers on the axis
    else:
        assert {el.get("height") for el in marks(root, mark)} == {"0"}  # flat, still hoverable


@pytest.mark.parametrize(
    ("labels", "series"),
    [([], []), (WEEKS, []), ([], [Series("Empty", [])]), ([], [Series("A", []), Series("B", [])])],
)
@pytest.mark.parametrize("draw", [line_chart, bar_chart])
def test_empty_data_draws_an_empty_frame(draw, labels, series):
    root = parse(draw(title="Nothing yet", x_labels=labels, series=series))

    assert root[0].text == "Nothing yet"
    assert root[1].text == "No data."
    assert marks(root, "rect") == []
    assert marks(root, "circle") == []
    assert marks(root, "polyline") == []
    assert tick_labels(root) == ["0", "1", "2", "3", "4"]
    assert [
        el.text for el in root if el.tag == SVG + "text" and el.text == "No data to show yet."
    ] == ["No data to show yet."]


def test_no_data_message_sits_between_gridlines():
    root = parse(line_chart(title="T", x_labels=[], series=[]))
    (message,) = [el for el in root if el.tag == SVG + "text" and el.text == "No data to show yet."]
    grid_ys = sorted(float(line.get("y1")) for line in with_class(root, "line", "chart-grid"))

    assert float(message.get("y")) not in grid_ys
    assert grid_ys[0] < float(message.get("y")) < grid_ys[-1]


def test_crowded_grouped_bars_keep_a_positive_width():
    labels = [f"W{week}" for week in range(52)]
    series = [Series(f"S{i}", [i + 1] * 52) for i in range(8)]
    root = parse(bar_chart(title="T", x_labels=labels, series=series))

    bars = marks(root, "rect")
    assert len(bars) == 52 * 8
    assert min(float(bar.get("width")) for bar in bars) > 0


def test_legend_entries_stay_inside_a_narrow_chart():
    series = [Series("A very long series name " * 4, [1]), Series("B", [2])]
    root = parse(line_chart(title="T", x_labels=["a"], series=series, width=200))

    (legend,) = with_class(root, "g", "chart-legend")
    for text in legend.findall(SVG + "text"):
        assert float(text.get("x")) + len(shown(text)) * 12 * 0.62 <= 200 - 8 + 0.1
    assert tooltip(legend.findall(SVG + "text")[0]) == " ".join(series[0].label.split())


def test_empty_stacked_bars():
    root = parse(bar_chart(title="T", x_labels=[], series=[], stacked=True))

    assert root[1].text == "No data."
    assert marks(root, "rect") == []


@pytest.mark.parametrize(
    ("series", "message"),
    [
        ([Series("Short", [1, 2])], "3 labels"),
        ([Series("Down", [1, -2, 3])], "charts start at 0"),
        ([Series("Nan", [1, math.nan, 3])], "charts start at 0"),
        ([Series("Inf", [1, math.inf, 3])], "charts start at 0"),
    ],
)
def test_bad_data_is_refused(series, message):
    for draw in (line_chart, bar_chart):
        with pytest.raises(ValueError, match=message):
            draw(title="T", x_labels=["a", "b", "c"], series=series)
    with pytest.raises(ValueError, match=message):
        chart_table(caption="T", x_labels=["a", "b", "c"], series=series)


def test_too_small_is_refused():
    with pytest.raises(ValueError, match="at least 160 by 100"):
        line_chart(title="T", x_labels=["a"], series=[Series("S", [1])], width=100)


# --- escaping ----------------------------------------------------------------------------


EVIL_DATA = {
    "title": EVIL,
    "x_labels": [EVIL, "b"],
    "series": [Series(EVIL, [1, 2]), Series("B & C", [3, 4])],
    "y_label": EVIL,
}


@pytest.mark.parametrize(
    ("svg", "mark", "peak"),
    [
        (lambda: line_chart(**EVIL_DATA), "circle", "highest value 4 (B & C, b)."),
        (lambda: bar_chart(**EVIL_DATA), "rect", "highest value 4 (B & C, b)."),
        (
            lambda: bar_chart(**EVIL_DATA, stacked=True),
            "rect",
            "highest value 4 (B & C, b); highest total 6 (b).",
        ),
    ],
)
def test_member_text_is_escaped(svg, mark, peak):
    svg = svg()
    root = parse(svg)

    assert "<script" not in svg
    assert svg.count("&lt;script&gt;") >= 4  # title, x label, series, y label
    assert [el for el in root.iter() if el.tag == SVG + "script"] == []
    assert root[0].text == EVIL
    assert root[1].text.endswith(f"({EVIL} to b); {peak}")
    assert tooltip(marks(root, mark, 0)[0]) == f"{EVIL}, {EVIL}: 1"
    (legend,) = with_class(root, "g", "chart-legend")
    evil_entry, plain_entry = legend.findall(SVG + "text")
    assert shown(evil_entry) == '<script>alert("x")</scr…'  # shortened to fit
    assert tooltip(evil_entry) == EVIL
    assert shown(plain_entry) == "B & C"
    (y_label,) = [el for el in root if el.tag == SVG + "text" and el.get("transform")]
    assert (shown(y_label), tooltip(y_label)) == ('<script>alert("x")</scr…', EVIL)


def test_control_characters_and_line_breaks_are_removed():
    root = parse(
        line_chart(title="Line\none\x00", x_labels=["a\x0bb"], series=[Series("S\x1f", [1])])
    )

    assert root[0].text == "Line one"
    assert tooltip(marks(root, "circle")[0]) == "S, ab: 1"
    (heading,) = with_class(root, "text", "chart-title")
    assert (heading.text, heading.find(SVG + "title")) == ("Line one", None)  # nothing cut off


# --- values and the table ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [(0, "0"), (41, "41"), (41.0, "41"), (2.5, "2.5"), (1 / 3, "0.33"), (0.0123, "0.012"),
     (0.05, "0.05"), (1e-9, "0"), (123456.789, "123456.79")],
)  # fmt: skip
def test_values_are_formatted_for_people(value, text):
    assert _format_value(value) == text


def test_chart_table_has_the_same_numbers():
    html = chart_table(
        caption="Resources per week",
        x_labels=["2026-W46", "2026-W47"],
        series=[Series("Published", [36, 41]), Series("Drafts", [14, 17.5])],
    )

    assert isinstance(html, SafeString)
    assert html == (
        '<table class="table chart-table"><caption>Resources per week</caption>'
        '<thead><tr><td></td><th scope="col">Published</th><th scope="col">Drafts</th></tr>'
        "</thead><tbody>"
        '<tr><th scope="row">2026-W46</th><td>36</td><td>14</td></tr>'
        '<tr><th scope="row">2026-W47</th><td>41</td><td>17.5</td></tr>'
        "</tbody></table>"
    )


def test_chart_table_escapes_member_text():
    html = chart_table(caption=EVIL, x_labels=[EVIL], series=[Series(EVIL, [1])])

    assert "<script" not in html
    assert html.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;") == 3
    ET.fromstring(html)  # noqa: S314 -- our own output; it must stay well-formed


def test_chart_table_without_data():
    assert chart_table(caption="Nothing", x_labels=[], series=[]) == (
        '<table class="table chart-table"><caption>Nothing</caption>'
        "<thead><tr><td></td></tr></thead><tbody></tbody></table>"
    )
