"""Collections through the API: public collections for all, one's own
(private ones included) with ``mine``; each read through the library's
own permission check and selectors (a private collection is 404 to
others, and others see only the published resources in it)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.http import HttpRequest
from ninja import Query, Router, Schema

from commonroom.accounts.models import Member
from commonroom.api import auth
from commonroom.api.attribution import attribution_text
from commonroom.api.errors import not_authenticated
from commonroom.api.pagination import ObjectId, PageParams, keyset_page, links
from commonroom.library import permissions, selectors
from commonroom.library.models import Collection
from commonroom.resources.models import PUBLIC_STATES

router = Router(tags=["collections"])


class CollectionOut(Schema):
    id: int
    title: str
    description: str
    is_public: bool
    owner: str
    url: str
    item_count: int


class CollectionListOut(Schema):
    items: list[CollectionOut]
    next: str | None
    attribution: str


class ItemOut(Schema):
    resource_id: int
    title: str
    note: str
    url: str


class CollectionDetailOut(CollectionOut):
    items: list[ItemOut]
    attribution: str


def _out(c: Collection) -> dict[str, Any]:
    return {
        "id": c.pk,
        "title": c.title,
        "description": c.description,
        "is_public": c.is_public,
        "owner": c.owner.display_name,
        "url": settings.SITE_URL + c.get_absolute_url(),
        "item_count": getattr(c, "item_count", 0),
    }


def _serialise(page: Sequence[Collection]) -> list[dict[str, Any]]:
    return [_out(c) for c in page]


@router.get(
    "/collections",
    response=CollectionListOut,
    auth=auth.PUBLIC,
    summary="Public collections, or one's own",
    operation_id="collection_list",
    openapi_extra=links(200, GetCollection=("collection_detail", "collection_id", "/items/0/id")),
)
def collection_list(
    request: HttpRequest,
    page: Query[PageParams],
    mine: bool = False,
) -> dict[str, Any]:
    user = request.user
    if mine:
        if not isinstance(user, Member):
            raise not_authenticated()
        collections = selectors.collections_of(user).select_related("owner")
    else:
        collections = (
            Collection.objects.public()
            .select_related("owner")
            .annotate(item_count=Count("items", filter=Q(items__resource__state__in=PUBLIC_STATES)))
        )
    return keyset_page(request, collections, page, serialise=_serialise)


@router.get(
    "/collections/{collection_id}",
    response=CollectionDetailOut,
    auth=auth.PUBLIC,
    summary="One collection and its resources",
    operation_id="collection_detail",
)
def collection_detail(request: HttpRequest, collection_id: ObjectId) -> dict[str, Any]:
    collection = permissions.collection_for_view(request.user, collection_id)
    items = list(selectors.collection_items_for(collection, request.user))
    body = _out(collection)
    body["item_count"] = len(items)
    body["items"] = [
        {
            "resource_id": item.resource_id,
            "title": item.resource.title,
            "note": item.note,
            "url": settings.SITE_URL + item.resource.get_absolute_url(),
        }
        for item in items
    ]
    body["attribution"] = attribution_text()
    return body


ROUTERS = [("", router)]
