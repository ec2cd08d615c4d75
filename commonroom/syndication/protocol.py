"""What a content app hands the syndication plumbing (issue 18, item 3).

A content app takes part with adapter modules of its own, found by
``core.discovery.app_modules``; this app imports none of them:

* ``<app>/feeds.py``: ``FEEDS``, a list of :class:`FeedRoute` (an Atom feed
  under ``/feeds/``), and ``SITEMAPS``, sections of ``/sitemap.xml`` by name
  (``django.contrib.sitemaps.Sitemap`` subclasses listing public items only);
* ``<app>/structured_data.py``: ``PAGE_METADATA``, a builder of
  :class:`PageMetadata` per model (schema.org JSON-LD, Open Graph, the feeds
  and oEmbed of its page), and ``OEMBED``, a builder of the oEmbed answer per
  URL name of a page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest


@dataclass(frozen=True)
class FeedRoute:
    """An Atom feed at ``/feeds/<route>``, reversed as ``syndication:<name>``."""

    route: str
    name: str
    feed: Feed


@dataclass(frozen=True)
class FeedLink:
    """A ``<link rel="alternate">`` to a feed from a page."""

    title: str
    url: str


@dataclass
class PageMetadata:
    """What the head of a public page says about its object to machines."""

    title: str
    description: str
    url: str  # absolute
    og_type: str = "website"
    image: str = ""  # absolute
    json_ld: dict[str, Any] | None = None
    feeds: list[FeedLink] = field(default_factory=list)
    oembed: bool = False


# (object, request) -> metadata; None when the page says nothing.
MetadataBuilder = Callable[[Any, HttpRequest], PageMetadata | None]
# (URL kwargs, request, maxwidth, maxheight) -> the oEmbed answer, or None: no such item.
OEmbedBuilder = Callable[[dict[str, Any], HttpRequest, int, int], dict[str, Any] | None]
