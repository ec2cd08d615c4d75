"""``core.html_parts`` escapes exactly as Django's templates do, so a part
of a page written in Python reads the same as one from a template."""

from __future__ import annotations

import pytest
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from commonroom.core.html_parts import attribute, html_text, joined


class _Marked:
    def __html__(self) -> str:
        return "<b>marked</b>"

    def __str__(self) -> str:
        return "<not used>"


@pytest.mark.parametrize(
    "value",
    [
        "Breuken & <kommagetallen> \"samen\" 'oefenen'",
        mark_safe("<mark>breuken</mark> &amp; meer"),
        gettext_lazy("Filters"),
        42,
        _Marked(),
        "",
    ],
)
def test_html_text_escapes_as_templates_do(value: object):
    assert html_text(value) == str(conditional_escape(value))


def test_attribute_is_left_out_when_empty():
    assert attribute("lang", "en") == ' lang="en"'
    assert attribute("title", 'a "b"') == ' title="a &quot;b&quot;"'
    assert attribute("lang", "") == ""


def test_joined_parts_are_html():
    html = joined([html_text("<a>"), "<br>"])
    assert html == "&lt;a&gt;<br>"
    assert conditional_escape(html) == "&lt;a&gt;<br>"
