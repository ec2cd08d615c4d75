"""Public collections can be reported (R21)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from commonroom.accounts.models import Member
from commonroom.library import permissions, services
from commonroom.library.models import Collection
from commonroom.moderation.report_registry import Reportable


def _hide(collection: Collection, by: Member, reason: str) -> None:
    services.collection_hide_by_moderator(collection=collection, by=by, reason=reason)


def _collections() -> QuerySet[Collection]:
    return Collection.objects.select_related("owner")


REPORTABLE = {
    "collection": Reportable(
        model=Collection,
        label=_("Collection"),
        author=lambda collection: collection.owner,
        excerpt=lambda c: Truncator(f"{c.title} · {c.description}").chars(300),
        url=lambda collection: collection.get_absolute_url(),
        hide=_hide,
        remove=lambda collection, by, reason: services.collection_remove_by_moderator(
            collection=collection, by=by, reason=reason
        ),
        visible_to=lambda collection, user: permissions.can_view_collection(user, collection),
        queryset=_collections,
    )
}
