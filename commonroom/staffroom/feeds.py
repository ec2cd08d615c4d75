"""The staffroom's Atom feed per category (new threads) and its sitemap
sections (commonroom.syndication). A thread whose opening post is held or
hidden is in neither."""

from __future__ import annotations

from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from commonroom.staffroom.models import Category, Thread
from commonroom.syndication.atom import AtomFeed
from commonroom.syndication.protocol import FeedRoute
from commonroom.syndication.sitemaps import ModelSitemap


class CategoryThreadsFeed(AtomFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Category:
        return get_object_or_404(Category, slug=slug)

    def title(self, obj: Category) -> str:
        return _("Staffroom: %(category)s") % {"category": obj.name}

    def subtitle(self, obj: Category) -> str:
        return obj.description or _("New threads in the staffroom")

    def link(self, obj: Category) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Category) -> QuerySet[Thread]:
        return (
            Thread.objects.visible()
            .filter(category=obj)
            .select_related("author", "opening_post")
            .order_by("-created_at", "-pk")[: self.size]
        )

    def item_title(self, item: Thread) -> str:
        return item.title

    def item_description(self, item: Thread) -> str:
        return item.opening_post.body if item.opening_post else ""

    def item_link(self, item: Thread) -> str:
        return item.get_absolute_url()

    def item_author_name(self, item: Thread) -> str:
        return item.author.display_name

    def item_pubdate(self, item: Thread) -> datetime:
        return item.created_at

    def item_updateddate(self, item: Thread) -> datetime:
        return item.last_post_at


FEEDS = [FeedRoute("staffroom/<slug:slug>/", "staffroom_category", CategoryThreadsFeed())]


class ThreadSitemap(ModelSitemap):
    changefreq = "daily"
    lastmod_field = "last_post_at"

    def items(self) -> QuerySet[Thread]:
        return Thread.objects.visible().only("pk", "last_post_at").order_by("pk")


class CategorySitemap(Sitemap):
    changefreq = "daily"

    def items(self) -> QuerySet[Category]:
        return Category.objects.order_by("position", "pk")


SITEMAPS = {"staffroom": CategorySitemap, "threads": ThreadSitemap}
