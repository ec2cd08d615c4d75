"""Resources' Atom feeds and sitemap section (commonroom.syndication).

New published resources, all of them, per subject (its subtree included) and
per member (only a member whose profile visitors may see). Only public
resources: a withdrawn, rejected or hidden one leaves every feed at once.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from commonroom.accounts.models import Member
from commonroom.accounts.selectors import members_visible_to
from commonroom.resources.models import Resource, ResourceQuerySet
from commonroom.syndication.atom import AtomFeed
from commonroom.syndication.protocol import FeedRoute
from commonroom.syndication.sitemaps import ModelSitemap
from commonroom.taxonomy.models import Subject
from commonroom.taxonomy.selectors import subtree_ids


def newest_public(resources: ResourceQuerySet) -> QuerySet[Resource]:
    return (
        resources.published()
        .select_related("author", "kind", "licence")
        .order_by("-published_at", "-pk")
    )


class ResourceFeed(AtomFeed):
    """The items of every resource feed."""

    def item_title(self, item: Resource) -> str:
        return item.title

    def item_description(self, item: Resource) -> str:
        return item.description

    def item_link(self, item: Resource) -> str:
        return item.get_absolute_url()

    def item_author_name(self, item: Resource) -> str:
        return item.author.display_name

    def item_pubdate(self, item: Resource) -> datetime | None:
        return item.published_at

    def item_categories(self, item: Resource) -> list[str]:
        return [item.kind.label] if item.kind_id else []

    def item_copyright(self, item: Resource) -> str:
        return item.licence.name if item.licence is not None else ""


class NewResourcesFeed(ResourceFeed):
    def title(self) -> str:
        return _("New learning resources")

    def link(self) -> str:
        return reverse("resources:list")

    def subtitle(self) -> str:
        return _("Learning resources just published")

    def items(self) -> QuerySet[Resource]:
        return newest_public(Resource.objects.all())[: self.size]


class SubjectResourcesFeed(ResourceFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Subject:
        return get_object_or_404(Subject, slug=slug)

    def title(self, obj: Subject) -> str:
        return _("New learning resources: %(subject)s") % {"subject": obj.label}

    def link(self, obj: Subject) -> str:
        return f"{reverse('search:search')}?subject={obj.slug}"

    def items(self, obj: Subject) -> QuerySet[Resource]:
        ids = subtree_ids(Subject, obj)
        return newest_public(Resource.objects.filter(subjects__in=ids).distinct())[: self.size]


class MemberResourcesFeed(ResourceFeed):
    def get_object(self, request: HttpRequest, member_id: int) -> Member:
        # Only a profile a visitor may see: a feed is read by anyone.
        member = members_visible_to(AnonymousUser()).filter(pk=member_id).first()
        if member is None:
            raise Http404
        return member

    def title(self, obj: Member) -> str:
        return _("New learning resources by %(name)s") % {"name": obj.display_name}

    def link(self, obj: Member) -> str:
        return reverse("people:profile", args=[obj.pk])

    def items(self, obj: Member) -> QuerySet[Resource]:
        return newest_public(Resource.objects.filter(author=obj))[: self.size]


FEEDS = [
    FeedRoute("resources/", "resources", NewResourcesFeed()),
    FeedRoute("resources/subject/<slug:slug>/", "resources_subject", SubjectResourcesFeed()),
    FeedRoute("resources/member/<id:member_id>/", "resources_member", MemberResourcesFeed()),
]


class ResourceSitemap(ModelSitemap):
    def items(self) -> QuerySet[Resource]:
        return Resource.objects.published().only("pk", "title", "updated_at").order_by("pk")


SITEMAPS = {"resources": ResourceSitemap}
