"""The sitemap section every content app's public items are listed in."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Model, QuerySet

# A sitemap file may hold 50,000 addresses; smaller pages answer faster.
SITEMAP_PAGE_SIZE = 5000


class ModelSitemap(Sitemap):
    """Public items of one model, by key, with their last change.

    ``items`` returns the public ones only (the subclass decides which);
    ``lastmod_field`` names the field that says when an item last changed.
    The index's lastmod of the section is one aggregate query, not a walk
    over every item as Django's default does.
    """

    limit = SITEMAP_PAGE_SIZE
    changefreq = "weekly"
    lastmod_field = "updated_at"

    def items(self) -> QuerySet[Any]:
        raise NotImplementedError

    def lastmod(self, item: Model) -> datetime | None:
        value = getattr(item, self.lastmod_field)
        return value if isinstance(value, datetime) else None

    def get_latest_lastmod(self) -> datetime | None:
        latest = self.items().order_by().aggregate(latest=Max(self.lastmod_field))["latest"]
        return latest if isinstance(latest, datetime) else None
