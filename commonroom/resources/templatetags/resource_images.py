"""The <img> of a resource file's picture: WebP in two widths with srcset,
eager for the first cards of a page (one of them is what the page paints
largest) and lazy below; the old PNG for a file not rebuilt yet."""

from __future__ import annotations

from typing import Protocol

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from commonroom.core.uploads.thumbnails import THUMBNAIL_WIDTHS

register = template.Library()

# Cards above the fold at 390 and 1280 pixels: the first two or three.
EAGER_CARDS = 3
# The width a card's picture takes: the whole phone, a grid column of
# about 17 rem (267 CSS pixels at 1280) on a wider screen.
CARD_SIZES = "(max-width: 760px) 100vw, 20rem"


class Picture(Protocol):
    """A resource file with a picture, or a search card's summary of one."""

    @property
    def resource_id(self) -> int: ...
    @property
    def pk(self) -> int: ...
    @property
    def thumbnail_small(self) -> str: ...


@register.simple_tag
def thumbnail_img(
    file: Picture,
    position: int = EAGER_CARDS + 1,
    *,
    width: int = 320,
    height: int = 180,
    sizes: str = CARD_SIZES,
) -> SafeString:
    """`position` is the card's place on the page, counting from 1 (forloop.counter).
    width and height give the box's proportions, so nothing moves while it loads."""
    eager = position <= EAGER_CARDS
    loading = format_html(
        ' {}="{}"', *(("fetchpriority", "high") if eager else ("loading", "lazy"))
    )
    if not file.thumbnail_small:
        url = reverse("resources:thumbnail", args=[file.resource_id, file.pk])
        return format_html(
            '<img src="{}" alt="" width="{}" height="{}"{}>', url, width, height, loading
        )
    small, large = (
        reverse("resources:thumbnail_sized", args=[file.resource_id, file.pk, w])
        for w in THUMBNAIL_WIDTHS
    )
    return format_html(
        '<img src="{}" srcset="{} {}w, {} {}w" sizes="{}" alt="" width="{}" height="{}"{}>',
        small,
        small,
        THUMBNAIL_WIDTHS[0],
        large,
        THUMBNAIL_WIDTHS[1],
        sizes,
        width,
        height,
        loading,
    )
