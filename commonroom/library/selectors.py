"""Reads for saved items and collections, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from commonroom.accounts.models import Member
from commonroom.library.models import Collection, CollectionItem, SavedItem
from commonroom.resources.models import PUBLIC_STATES, FileState, Resource, ResourceFile
from commonroom.social.models import Follow

User = Member | AnonymousUser

CARD_RELATIONS = ("author", "kind", "licence", "language")


def _thumbnails(prefix: str) -> Prefetch:
    return Prefetch(
        f"{prefix}files",
        queryset=ResourceFile.objects.filter(state=FileState.ACTIVE).exclude(thumbnail=""),
        to_attr="thumbnail_files",
    )


def _collection_type() -> ContentType:
    # Cached by ContentType's manager after the first call in a process.
    return ContentType.objects.get_for_model(Collection)


# --- saved items ---------------------------------------------------------------


def save_state(member: User, resource: Resource) -> tuple[bool, int]:
    """Whether ``member`` saved the resource, and how many members did: one query."""
    saved = SavedItem.objects.filter(resource=resource)
    if not member.is_authenticated:  # a visitor saved nothing: a plain count
        return False, saved.count()
    row = saved.aggregate(total=Count("pk"), mine=Count("pk", filter=Q(member_id=member.pk)))
    return bool(row["mine"]), int(row["total"])


@dataclass(frozen=True)
class ResourceActions:
    """What the resource page's save, collect and share panel shows."""

    is_saved: bool
    save_count: int
    collections: list[Collection] = field(default_factory=list)


def resource_actions(user: User, resource: Resource) -> ResourceActions:
    """One query for visitors, two for members."""
    is_saved, save_count = save_state(user, resource)
    collections: list[Collection] = []
    if user.is_authenticated:
        collections = list(Collection.objects.owned_by(user).only("pk", "title", "is_public"))
    return ResourceActions(is_saved=is_saved, save_count=save_count, collections=collections)


def saved_items_for(member: Member) -> QuerySet[SavedItem]:
    """The member's saved resources, newest first, with what a card shows
    and how many members saved each."""
    counts = (
        SavedItem.objects.filter(resource=OuterRef("resource"))
        .order_by()
        .values("resource")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return (
        SavedItem.objects.filter(member=member)
        .annotate(save_count=Subquery(counts))
        .select_related(*(f"resource__{name}" for name in CARD_RELATIONS))
        .prefetch_related(_thumbnails("resource__"))
        .order_by("-created_at", "-pk")
    )


# --- collections ---------------------------------------------------------------


def collections_of(member: Member) -> QuerySet[Collection]:
    return (
        Collection.objects.owned_by(member)
        .annotate(item_count=Count("items"))
        .order_by("-updated_at", "-pk")
    )


def collections_followed_by(member: Member) -> QuerySet[Collection]:
    followed = Follow.objects.filter(follower=member, content_type=_collection_type()).values(
        "object_id"
    )
    return (
        Collection.objects.public()
        .filter(pk__in=followed)
        .select_related("owner")
        .annotate(item_count=Count("items", filter=Q(items__resource__state__in=PUBLIC_STATES)))
        .order_by("-updated_at", "-pk")
    )


def collection_items_for(collection: Collection, viewer: User) -> QuerySet[CollectionItem]:
    """Items in order. Others see only published resources; the owner sees
    every item, so that one gone offline can still be removed."""
    items = CollectionItem.objects.filter(collection=collection)
    if not (viewer.is_authenticated and viewer.pk == collection.owner_id):
        items = items.published()
    return items.select_related(*(f"resource__{name}" for name in CARD_RELATIONS)).order_by(
        "position", "pk"
    )


def follow_state(user: User, collection: Collection) -> tuple[bool, int]:
    """Whether ``user`` follows the collection, and how many do: one query."""
    mine = Q(follower_id=user.pk) if user.is_authenticated else Q(pk__in=[])
    row = Follow.objects.filter(content_type=_collection_type(), object_id=collection.pk).aggregate(
        total=Count("pk"), mine=Count("pk", filter=mine)
    )
    return bool(row["mine"]), int(row["total"])


def collection_updates_for(
    member: Member, since: datetime | None = None, limit: int = 50
) -> QuerySet[CollectionItem]:
    """Recent additions to the public collections ``member`` follows,
    newest first, for the activity feed: one query (plus the content type
    on the first call in a process)."""
    followed = Follow.objects.filter(follower=member, content_type=_collection_type()).values(
        "object_id"
    )
    items = CollectionItem.objects.published().filter(
        collection_id__in=followed, collection__is_public=True
    )
    if since is not None:
        items = items.filter(added_at__gte=since)
    return items.select_related(
        "collection__owner", *(f"resource__{name}" for name in CARD_RELATIONS)
    ).order_by("-added_at", "-pk")[:limit]
