"""Library's sitemap section (commonroom.syndication): public collections only."""

from __future__ import annotations

from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet

from commonroom.library.models import Collection

SITEMAP_PAGE_SIZE = 5000


class CollectionSitemap(Sitemap):
    limit = SITEMAP_PAGE_SIZE
    changefreq = "weekly"

    def items(self) -> QuerySet[Collection]:
        return Collection.objects.public().only("pk", "slug", "updated_at").order_by("pk")

    def lastmod(self, item: Collection) -> datetime:
        return item.updated_at


SITEMAPS = {"collections": CollectionSitemap}
