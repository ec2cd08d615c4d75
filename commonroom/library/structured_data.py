"""What a public collection's page tells machines (commonroom.syndication),
and oEmbed for resources and collections: the embeds are library's pages
(views/embed.py), so the oEmbed answers for both live here."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from commonroom.library.models import Collection, CollectionItem
from commonroom.resources.models import Resource
from commonroom.syndication.jsonld import publisher
from commonroom.syndication.protocol import PageMetadata

# Items listed in a collection's JSON-LD: a long collection names its first ones.
JSON_LD_ITEMS = 100


def collection_json_ld(collection: Collection, request: HttpRequest) -> dict[str, Any]:
    url = request.build_absolute_uri(collection.get_absolute_url())
    items = (
        CollectionItem.objects.filter(collection=collection)
        .published()
        .select_related("resource")
        .only("position", "resource__id", "resource__title")
        .order_by("position", "pk")[:JSON_LD_ITEMS]
    )
    return {
        "@context": "https://schema.org",
        "@type": ["Collection", "ItemList"],
        "@id": url,
        "url": url,
        "name": collection.title,
        "description": collection.description,
        "author": {"@type": "Person", "name": collection.owner.display_name},
        "publisher": publisher(name=settings.PLATFORM_NAME, url=request.build_absolute_uri("/")),
        "dateModified": collection.updated_at.isoformat(),
        "dateCreated": collection.created_at.isoformat(),
        "isAccessibleForFree": True,
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": n,
                "url": request.build_absolute_uri(item.resource.get_absolute_url()),
                "name": item.resource.title,
            }
            for n, item in enumerate(items, start=1)
        ],
    }


def collection_metadata(collection: Collection, request: HttpRequest) -> PageMetadata | None:
    if not collection.is_public:
        return None  # a private collection is its owner's alone
    return PageMetadata(
        title=collection.title,
        description=collection.description,
        url=request.build_absolute_uri(collection.get_absolute_url()),
        json_ld=collection_json_ld(collection, request),
        oembed=True,
    )


def _iframe(src: str, title: str, width: int, height: int) -> str:
    return str(
        format_html(
            '<iframe src="{}" title="{}" width="{}" height="{}" loading="lazy" '
            'referrerpolicy="strict-origin-when-cross-origin"></iframe>',
            src,
            title,
            width,
            height,
        )
    )


def resource_oembed(
    kwargs: dict[str, Any], request: HttpRequest, width: int, height: int
) -> dict[str, Any] | None:
    resource = (
        Resource.objects.published()
        .select_related("author")
        .filter(pk=int(kwargs["resource_id"]))
        .first()
    )
    if resource is None:
        return None
    src = request.build_absolute_uri(reverse("library:embed_resource", args=[resource.pk]))
    return {
        "type": "rich",
        "title": resource.title,
        "author_name": resource.author.display_name,
        "html": _iframe(src, resource.title, width, height),
        "width": width,
        "height": height,
    }


def collection_oembed(
    kwargs: dict[str, Any], request: HttpRequest, width: int, height: int
) -> dict[str, Any] | None:
    collection = (
        Collection.objects.public()
        .select_related("owner")
        .filter(pk=int(kwargs["collection_id"]))
        .first()
    )
    if collection is None:
        return None
    src = request.build_absolute_uri(reverse("library:embed_collection", args=[collection.pk]))
    return {
        "type": "rich",
        "title": collection.title,
        "author_name": collection.owner.display_name,
        "html": _iframe(src, collection.title, width, height),
        "width": width,
        "height": height,
    }


PAGE_METADATA = {Collection: collection_metadata}
OEMBED = {
    "resources:detail": resource_oembed,
    "resources:detail_short": resource_oembed,
    "library:collection": collection_oembed,
    "library:collection_short": collection_oembed,
}
