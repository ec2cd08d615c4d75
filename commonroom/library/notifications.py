"""What followers of a public collection are told when it grows (R13), and
the kind of notification that is (notifications.kinds)."""

from collections.abc import Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonroom.library.models import Collection, CollectionItem
from commonroom.notifications.kinds import NotificationKind
from commonroom.notifications.models import EmailFrequency, Notification
from commonroom.notifications.services import notify
from commonroom.social.models import Follow

COLLECTION_UPDATE = "collection_update"


def _collection_update_text(context: Mapping[str, Any]) -> tuple[str, str]:
    """``context``: the collection ``item`` that was added."""
    item: CollectionItem = context["item"]
    collection = item.collection
    values = {
        "owner": collection.owner.display_name,
        "resource": item.resource.title,
        "collection": collection.title,
    }
    title = _("New in “%(collection)s”: %(resource)s") % values
    body = _("%(owner)s added “%(resource)s” to the collection “%(collection)s”.") % values
    if item.note:
        body += "\n\n" + item.note
    return title, body


NOTIFICATION_KINDS = (
    NotificationKind(
        key=COLLECTION_UPDATE,
        label=gettext_lazy("An update in a collection I follow"),
        default_email=EmailFrequency.DAILY,
        text=_collection_update_text,
    ),
)


def collection_followers_notify(*, item_id: int) -> int:
    """Notify each follower once, in their own language; returns how many.

    Idempotent: the item's link is part of the notification, so a retried
    task skips the followers it has already told.
    """
    item = (
        CollectionItem.objects.select_related("collection__owner", "resource")
        .filter(pk=item_id)
        .first()
    )
    if item is None or not item.collection.is_public or not item.resource.is_public:
        return 0
    collection = item.collection
    url = f"{collection.get_absolute_url()}#item-{item.pk}"
    told = set(
        Notification.objects.filter(kind=COLLECTION_UPDATE, url=url).values_list(
            "recipient_id", flat=True
        )
    )
    follows = (
        Follow.objects.filter(
            content_type=ContentType.objects.get_for_model(Collection),
            object_id=collection.pk,
            follower__is_active=True,
        )
        .exclude(follower_id=collection.owner_id)
        .select_related("follower")
        .order_by("pk")
    )
    count = 0
    for follow in follows.iterator(chunk_size=500):
        follower = follow.follower
        if follower.pk in told:
            continue
        notify(
            recipient=follower,
            kind=COLLECTION_UPDATE,
            context={"item": item},
            url=url,
        )
        count += 1
    return count
