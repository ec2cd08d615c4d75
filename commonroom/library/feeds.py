"""Library's sitemap section (commonroom.syndication): public collections only."""

from __future__ import annotations

from django.db.models import QuerySet

from commonroom.library.models import Collection
from commonroom.syndication.sitemaps import ModelSitemap


class CollectionSitemap(ModelSitemap):
    def items(self) -> QuerySet[Collection]:
        return Collection.objects.public().only("pk", "slug", "updated_at").order_by("pk")


SITEMAPS = {"collections": CollectionSitemap}
