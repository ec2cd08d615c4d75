"""The content apps' feeds, sitemap sections, page metadata and oEmbed
builders, collected once per process from their adapter modules."""

from __future__ import annotations

import functools
from typing import Any

from django.contrib.sitemaps import Sitemap

from commonroom.core.discovery import app_modules
from commonroom.syndication.protocol import FeedRoute, MetadataBuilder, OEmbedBuilder


@functools.cache
def feed_routes() -> tuple[FeedRoute, ...]:
    return tuple(route for module in app_modules("feeds") for route in getattr(module, "FEEDS", []))


@functools.cache
def sitemaps() -> dict[str, type[Sitemap[Any]] | Sitemap[Any]]:
    found: dict[str, type[Sitemap[Any]] | Sitemap[Any]] = {}
    for module in app_modules("feeds"):
        for name, sitemap in getattr(module, "SITEMAPS", {}).items():
            if name in found:
                raise ValueError(f"Two apps declare the sitemap section {name!r}")
            found[name] = sitemap
    return found


@functools.cache
def metadata_builders() -> dict[type[Any], MetadataBuilder]:
    found: dict[type[Any], MetadataBuilder] = {}
    for module in app_modules("structured_data"):
        found.update(getattr(module, "PAGE_METADATA", {}))
    return found


@functools.cache
def oembed_builders() -> dict[str, OEmbedBuilder]:
    """By URL name (``namespace:name``) of the page an oEmbed URL names."""
    found: dict[str, OEmbedBuilder] = {}
    for module in app_modules("structured_data"):
        found.update(getattr(module, "OEMBED", {}))
    return found
