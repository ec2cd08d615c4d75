"""Reads of the social app: the activity feed, reactions and ratings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Avg, Count, Max, Q, QuerySet

from commonroom.accounts.models import Member
from commonroom.accounts.roles import is_moderator
from commonroom.core.discovery import app_modules
from commonroom.resources.models import Resource
from commonroom.social.models import ClassroomUse, Follow, Reaction
from commonroom.taxonomy.models import Subject


@dataclass(frozen=True)
class FeedItem:
    when: datetime
    kind: str  # "resource" or "collection_item"
    resource: Resource
    collection: Any = None
    note: str = ""
    because: str = ""


def followed_ids(member: Member, model: type) -> list[int]:
    content_type = ContentType.objects.get_for_model(model)
    return list(
        Follow.objects.filter(follower=member, content_type=content_type).values_list(
            "object_id", flat=True
        )
    )


def feed_for(member: Member, *, limit: int = 30) -> list[FeedItem]:
    """New published resources from followed members and subjects (a parent
    subject includes its children), and items added to followed collections,
    newest first, in a fixed number of queries (R12). Items other than
    resources come from each app's ``activity.py`` (``feed_items``)."""
    follows = list(
        Follow.objects.filter(follower=member).values_list("content_type__model", "object_id")
    )
    members = [oid for model, oid in follows if model == "member"]
    subject_ids = [oid for model, oid in follows if model == "subject"]
    items: list[FeedItem] = []
    if members or subject_ids:
        in_subjects = Q(subjects__in=subject_ids) | Q(subjects__parent__in=subject_ids)
        resources = (
            Resource.objects.published()
            .filter(Q(author_id__in=members) | in_subjects)
            .exclude(author=member)
            .select_related("author", "kind", "licence")
            .distinct()
            .order_by("-published_at")[:limit]
        )
        followed_members = set(members)
        for resource in resources:
            because = "author" if resource.author_id in followed_members else "subject"
            items.append(
                FeedItem(
                    resource.published_at or resource.created_at,
                    "resource",
                    resource,
                    because=because,
                )
            )
    # Apps above social add their own news (the library: followed collections).
    for source in app_modules("activity"):
        items.extend(source.feed_items(member, follows=follows, limit=limit))
    items.sort(key=lambda item: item.when, reverse=True)
    return items[:limit]


def reactions_for(resource: Resource, viewer: Any) -> QuerySet[Reaction]:
    """Visible reactions; the author of a held or hidden one still sees it,
    and moderators see the held ones, to release or reject them there."""
    reactions = Reaction.objects.filter(resource=resource).select_related("author")
    if not getattr(viewer, "is_authenticated", False):  # a visitor: the visible ones
        return reactions.filter(hidden_at__isnull=True, held=False)
    own = Q(author_id=viewer.pk)
    if is_moderator(viewer):
        own |= Q(held=True, hidden_at__isnull=True)
    return reactions.filter(Q(hidden_at__isnull=True, held=False) | own)


def held_reactions() -> QuerySet[Reaction]:
    """Reactions waiting for a moderator (R20), oldest first; rejected ones
    are hidden and so leave the list."""
    return (
        Reaction.objects.filter(held=True, hidden_at__isnull=True)
        .select_related("author", "resource")
        .order_by("created_at", "pk")
    )


def rating_summary(resource: Resource, viewer: Any = None) -> dict[str, Any]:
    """The average and number of ratings, and ``mine``: the viewer's own
    stars (None for visitors): one simple query (issue 15: cheaper than
    two subqueries in the resource page's main query)."""
    if getattr(viewer, "is_authenticated", False):
        return resource.ratings.aggregate(
            average=Avg("stars"),
            count=Count("pk"),
            mine=Max("stars", filter=Q(member_id=viewer.pk)),
        )
    return {**resource.ratings.aggregate(average=Avg("stars"), count=Count("pk")), "mine": None}


def classroom_uses_for_author(resource: Resource) -> QuerySet[ClassroomUse]:
    return resource.classroom_uses.select_related("member", "level", "subject")[:50]


def followed_subjects(member: Member) -> QuerySet[Subject]:
    return Subject.objects.filter(pk__in=followed_ids(member, Subject))
