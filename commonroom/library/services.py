"""Every change to saved items, collections and their follows (R13, R14)."""

from __future__ import annotations

from functools import partial
from typing import Literal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from commonroom.accounts.models import Member
from commonroom.core import versions
from commonroom.core.outbox import task_enqueue_on_commit
from commonroom.library.harvest import KEY as HARVEST_KIND
from commonroom.library.models import Collection, CollectionItem, SavedItem
from commonroom.moderation.permissions import moderation_action
from commonroom.oai.services import records_leaving, records_returning
from commonroom.resources.models import Resource
from commonroom.search.services import search_quality_refresh
from commonroom.social import services as social_services
from commonroom.social.models import Follow


def _require_public(resource: Resource) -> None:
    if not resource.is_public:
        raise ValidationError(_("Only published resources can be saved."), code="not_public")


def _require_owner(collection: Collection, by: Member) -> None:
    # Views check too; a service refuses on its own so no caller can skip it.
    if collection.owner_id != by.pk:
        raise PermissionDenied


def _slug(title: str) -> str:
    return slugify(title)[:60].strip("-") or "collection"


# --- saved items ---------------------------------------------------------------


@transaction.atomic
def saved_item_create(*, member: Member, resource: Resource) -> SavedItem:
    """Save a resource; saving it again changes nothing."""
    _require_public(resource)
    saved, created = SavedItem.objects.get_or_create(member=member, resource=resource)
    if created:
        versions.changed(resource)  # its kept page shows the save count (core.versions)
        transaction.on_commit(
            partial(search_quality_refresh, kind="resource", object_id=resource.pk)
        )
    return saved


@transaction.atomic
def saved_item_delete(*, member: Member, resource: Resource) -> None:
    deleted, _ = SavedItem.objects.filter(member=member, resource=resource).delete()
    if deleted:
        versions.changed(resource)
        transaction.on_commit(
            partial(search_quality_refresh, kind="resource", object_id=resource.pk)
        )


# --- collections ---------------------------------------------------------------


@transaction.atomic
def collection_create(
    *, owner: Member, title: str, description: str = "", is_public: bool = False
) -> Collection:
    collection = Collection(
        owner=owner,
        title=title.strip(),
        description=description.strip(),
        is_public=is_public,
        slug=_slug(title),
    )
    collection.full_clean()
    collection.save()
    return collection


@transaction.atomic
def collection_update(
    *, collection: Collection, by: Member, title: str, description: str, is_public: bool
) -> Collection:
    _require_owner(collection, by)
    if collection.is_public and not is_public:
        records_leaving(kind=HARVEST_KIND, objects=[collection])
    elif is_public:
        records_returning(kind=HARVEST_KIND, object_ids=[collection.pk])
    collection.title = title.strip()
    collection.description = description.strip()
    collection.is_public = is_public
    collection.slug = _slug(collection.title)
    collection.full_clean()
    collection.save()
    return collection


@transaction.atomic
def collection_delete(*, collection: Collection, by: Member) -> None:
    """Delete a collection, its items and the follows it had."""
    _require_owner(collection, by)
    collection_follows_delete(collection_ids=[collection.pk])
    records_leaving(kind=HARVEST_KIND, objects=[collection])
    collection.delete()


def collection_follows_delete(*, collection_ids: list[int]) -> int:
    content_type = ContentType.objects.get_for_model(Collection)
    deleted, _rows = Follow.objects.filter(
        content_type=content_type, object_id__in=collection_ids
    ).delete()
    return deleted


# --- items ---------------------------------------------------------------------


@transaction.atomic
def collection_item_add(
    *, collection: Collection, resource: Resource, by: Member, note: str = ""
) -> CollectionItem:
    """Add a published resource at the end; followers of a public
    collection hear of it once the transaction has committed."""
    _require_owner(collection, by)
    _require_public(resource)
    # Locking the collection serialises additions, so positions stay distinct.
    Collection.objects.select_for_update().filter(pk=collection.pk).first()
    if CollectionItem.objects.filter(collection=collection, resource=resource).exists():
        raise ValidationError(
            _("“%(resource)s” is already in “%(collection)s”.")
            % {"resource": resource.title, "collection": collection.title},
            code="duplicate",
        )
    last = CollectionItem.objects.filter(collection=collection).aggregate(last=Max("position"))
    item = CollectionItem(
        collection=collection,
        resource=resource,
        note=note.strip(),
        position=(last["last"] or 0) + 1,
    )
    item.full_clean()
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError as exc:  # added by a request running at the same time
        raise ValidationError(
            _("This resource is already in the collection."), "duplicate"
        ) from exc
    collection.save(update_fields=["updated_at"])
    if collection.is_public:
        from commonroom.library.tasks import collection_followers_notify

        item_id = item.pk
        task_enqueue_on_commit(task=collection_followers_notify, kwargs={"item_id": item_id})
    return item


@transaction.atomic
def collection_item_move(
    *, item: CollectionItem, by: Member, direction: Literal["up", "down"]
) -> CollectionItem:
    """Swap the item with its neighbour; at either end nothing changes."""
    collection = item.collection
    _require_owner(collection, by)
    items = list(
        CollectionItem.objects.select_for_update()
        .filter(collection=collection)
        .order_by("position", "pk")
    )
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(items):
        return item
    items[index], items[target] = items[target], items[index]
    # Renumbering the whole list also repairs equal positions left by old data.
    changed = []
    for position, other in enumerate(items, start=1):
        if other.position != position:
            other.position = position
            changed.append(other)
    CollectionItem.objects.bulk_update(changed, ["position"])
    collection.save(update_fields=["updated_at"])
    return next(other for other in items if other.pk == item.pk)


@transaction.atomic
def collection_item_note_set(*, item: CollectionItem, by: Member, note: str) -> CollectionItem:
    _require_owner(item.collection, by)
    item.note = note.strip()
    item.full_clean()
    item.save(update_fields=["note"])
    return item


@transaction.atomic
def collection_item_remove(*, item: CollectionItem, by: Member) -> None:
    _require_owner(item.collection, by)
    item.delete()
    item.collection.save(update_fields=["updated_at"])


# --- follows -------------------------------------------------------------------


@transaction.atomic
def collection_follow(*, collection: Collection, member: Member) -> Follow:
    """Follow a public collection (R13). The social app's ``follow`` keeps
    one rule for every kind of follow, rate limit (R20) included."""
    if not collection.is_public or collection.owner_id == member.pk:
        raise ValidationError(_("You cannot follow this collection."), code="not_followable")
    return social_services.follow(follower=member, target=collection)


@transaction.atomic
def collection_unfollow(*, collection: Collection, member: Member) -> None:
    social_services.unfollow(follower=member, target=collection)


@moderation_action(subject="collection")
@transaction.atomic
def collection_hide_by_moderator(*, collection: Collection, by: Member, reason: str) -> Collection:
    """After a report (R21): the collection becomes private; the owner keeps it."""
    from commonroom.moderation import audit

    records_leaving(kind=HARVEST_KIND, objects=[collection])
    collection.is_public = False
    collection.save(update_fields=["is_public", "updated_at"])
    collection_follows_delete(collection_ids=[collection.pk])
    audit.record(
        actor=by, action="collection_hide", target=f"collection:{collection.pk}", reason=reason
    )
    return collection


@moderation_action(subject="collection")
@transaction.atomic
def collection_remove_by_moderator(*, collection: Collection, by: Member, reason: str) -> None:
    """After a report (R21): the collection is deleted, with its follows."""
    from commonroom.moderation import audit

    audit.record(
        actor=by,
        action="collection_remove",
        target=f"collection:{collection.pk}",
        reason=f"{collection.title}: {reason}",
    )
    collection_follows_delete(collection_ids=[collection.pk])
    records_leaving(kind=HARVEST_KIND, objects=[collection])
    collection.delete()
