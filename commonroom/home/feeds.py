"""The sitemap section of the pages that list and explain (few, always there)."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

PAGES = (
    "home",
    "resources:list",
    "staffroom:categories",
    "organisations:directory",
    "organisations:guide",
    "legal:terms",
    "legal:privacy",
    "legal:copyright",
)


class PageSitemap(Sitemap):
    changefreq = "daily"

    def items(self) -> list[str]:
        return list(PAGES)

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS = {"pages": PageSitemap}
