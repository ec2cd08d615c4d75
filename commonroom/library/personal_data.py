"""What the library keeps about a member: saved resources and collections
with their items and notes. On erasure all of it goes, public collections
too (they are the member's profile content), with the follows they had."""

from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Prefetch

from commonroom.accounts.models import Member
from commonroom.library.harvest import KEY as HARVEST_KIND
from commonroom.library.models import Collection, CollectionItem, SavedItem
from commonroom.library.services import collection_follows_delete
from commonroom.oai.services import records_leaving
from commonroom.search.services import search_quality_refresh_many


def export(member: Member) -> dict[str, Any]:
    saved = SavedItem.objects.filter(member=member).select_related("resource").order_by("pk")
    collections = (
        Collection.objects.filter(owner=member)
        .prefetch_related(
            Prefetch(
                "items",
                queryset=CollectionItem.objects.select_related("resource").order_by(
                    "position", "pk"
                ),
            )
        )
        .order_by("pk")
    )
    return {
        "saved_resources": [
            {
                "resource_id": s.resource_id,
                "title": s.resource.title,
                "url": s.resource.get_absolute_url(),
                "saved_at": s.created_at.isoformat(),
            }
            for s in saved
        ],
        "collections": [
            {
                "id": c.pk,
                "title": c.title,
                "description": c.description,
                "public": c.is_public,
                "url": c.get_absolute_url(),
                "created_at": c.created_at.isoformat(),
                "updated_at": c.updated_at.isoformat(),
                "items": [
                    {
                        "position": i.position,
                        "resource_id": i.resource_id,
                        "title": i.resource.title,
                        "note": i.note,
                        "added_at": i.added_at.isoformat(),
                    }
                    for i in c.items.all()
                ],
            }
            for c in collections
        ],
    }


def erase(member: Member) -> None:
    saved = SavedItem.objects.filter(member=member)
    resource_ids = list(saved.values_list("resource_id", flat=True))
    saved.delete()
    # The saves counted in search ranking and "most saved" go too.
    transaction.on_commit(
        partial(search_quality_refresh_many, kind="resource", object_ids=resource_ids)
    )
    collections = Collection.objects.filter(owner=member)
    collection_follows_delete(collection_ids=list(collections.values_list("pk", flat=True)))
    records_leaving(kind=HARVEST_KIND, objects=collections.filter(is_public=True))
    collections.delete()
