"""``{% page_metadata obj %}`` in a page's ``head`` block: the JSON-LD, Open
Graph and Twitter card, feed links and oEmbed discovery of its object, as the
object's app builds them (``<app>/structured_data.py``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from commonroom.syndication import registry
from commonroom.syndication.jsonld import json_ld_script
from commonroom.syndication.protocol import FeedLink, PageMetadata

register = template.Library()

OG_LOCALES = {"nl": "nl_BE", "en": "en_GB"}


def metadata_for(obj: Any, request: HttpRequest) -> PageMetadata | None:
    for model, builder in registry.metadata_builders().items():
        if isinstance(obj, model):
            return builder(obj, request)
    return None


@register.simple_tag(takes_context=True)
def page_metadata(context: template.Context, obj: Any) -> SafeString:
    request = context.get("request")
    if request is None or obj is None:
        return mark_safe("")
    metadata = metadata_for(obj, request)
    if metadata is None:
        return mark_safe("")
    oembed_url = ""
    if metadata.oembed:
        query = urlencode({"url": metadata.url, "format": "json"})
        oembed_url = request.build_absolute_uri(f"{reverse('syndication:oembed')}?{query}")
    html = render_to_string(
        "syndication/_page_metadata.html",
        {
            "meta": metadata,
            "platform_name": settings.PLATFORM_NAME,
            "og_locale": OG_LOCALES.get(get_language() or "", "nl_BE"),
            "oembed_url": oembed_url,
            "json_ld": json_ld_script(metadata.json_ld) if metadata.json_ld else "",
        },
    )
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, escaped there


@register.simple_tag(takes_context=True)
def feed_link(context: template.Context, name: str, title: str, *args: Any) -> SafeString:
    """A ``<link rel="alternate">`` to one feed, for pages without an object."""
    html = render_to_string(
        "syndication/_feed_links.html",
        {"feeds": [FeedLink(title=title, url=reverse(f"syndication:{name}", args=args))]},
    )
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, escaped there
