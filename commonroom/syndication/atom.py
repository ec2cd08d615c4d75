"""The Atom feed every content app's feeds are built on."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.utils.feedgenerator import Atom1Feed

FEED_SIZE = 30


class AtomFeed(Feed):
    """Atom 1.0 in the reader's language (Django's Feed asks get_language()),
    newest first, public items only (each subclass's ``items`` says which;
    this class never widens them)."""

    feed_type = Atom1Feed
    size = FEED_SIZE

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().__call__(request, *args, **kwargs)
        response["Content-Type"] = "application/atom+xml; charset=utf-8"
        return response

    def author_name(self) -> str:
        return str(settings.PLATFORM_NAME)

    def feed_copyright(self) -> str:
        return str(settings.PLATFORM_NAME)

    def item_updateddate(self, item: Any) -> datetime | None:
        value = getattr(item, "updated_at", None)
        return value if isinstance(value, datetime) else None
