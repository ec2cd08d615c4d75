"""Who may see and change saved items and collections (R13, R14).

A private collection is 404 to everyone but its owner (also to moderators:
nothing in it is published, so there is nothing to moderate). A public one
is readable by all and changed only by its owner: others get 403.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from commonroom.accounts.models import Member
from commonroom.library.models import Collection, CollectionItem
from commonroom.resources.models import PUBLIC_STATES, Resource

User = Member | AnonymousUser


def is_owner(user: User, collection: Collection) -> bool:
    return bool(user.is_authenticated and collection.owner_id == user.pk)


def can_view_collection(user: User, collection: Collection) -> bool:
    return collection.is_public or is_owner(user, collection)


def can_edit_collection(user: User, collection: Collection) -> bool:
    return is_owner(user, collection) and user.is_active


def can_follow_collection(user: User, collection: Collection) -> bool:
    return bool(user.is_authenticated and collection.is_public and not is_owner(user, collection))


def collection_for_view(user: User, collection_id: int) -> Collection:
    collection = get_object_or_404(Collection.objects.select_related("owner"), pk=collection_id)
    if not can_view_collection(user, collection):
        raise Http404
    return collection


def collection_for_edit(user: User, collection_id: int) -> Collection:
    collection = collection_for_view(user, collection_id)
    if not can_edit_collection(user, collection):
        raise PermissionDenied
    return collection


def collection_for_follow(user: User, collection_id: int) -> Collection:
    collection = collection_for_view(user, collection_id)
    if not collection.is_public:
        raise Http404
    return collection


def item_for_edit(user: User, collection_id: int, item_id: int) -> CollectionItem:
    collection = collection_for_edit(user, collection_id)
    item = get_object_or_404(
        CollectionItem.objects.select_related("resource"), pk=item_id, collection=collection
    )
    item.collection = collection
    return item


def resource_for_saving(resource_id: int) -> Resource:
    """Only published resources are saved, collected and embedded."""
    return get_object_or_404(
        Resource.objects.published().select_related("author", "licence"), pk=resource_id
    )


def resource_for_unsaving(user: User, resource_id: int) -> Resource:
    """A published resource, or one the member saved before it went offline."""
    saved_by_user = Q(saved_items__member_id=user.pk) if user.is_authenticated else Q(pk__in=[])
    resource = (
        Resource.objects.filter(Q(state__in=PUBLIC_STATES) | saved_by_user)
        .filter(pk=resource_id)
        .select_related("author", "licence")
        .first()
    )
    if resource is None:
        raise Http404
    return resource


def public_collection(collection_id: int) -> Collection:
    """For pages shown to anyone, whoever is signed in (embeds)."""
    return get_object_or_404(Collection.objects.public().select_related("owner"), pk=collection_id)
