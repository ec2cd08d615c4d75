"""Minimal pages other sites may show in an ``<iframe>`` (R13).

Everything else on the platform refuses to be framed (X-Frame-Options DENY,
CSP frame-ancestors 'none'); these two pages lift both, for their own
responses only. They show published content only and carry no forms, so
framing them exposes nothing a visitor could be tricked into doing.
"""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_exempt

from commonroom.library import permissions, selectors
from commonroom.resources.attribution import attribution_for


def _frameable(response: HttpResponse) -> HttpResponse:
    response._csp_replace = {"frame-ancestors": ["*"]}  # type: ignore[attr-defined]
    return response


@xframe_options_exempt
def embed_resource(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = permissions.resource_for_saving(resource_id)
    attribution = attribution_for(
        resource, absolute_url=request.build_absolute_uri(resource.get_absolute_url())
    )
    return _frameable(
        render(
            request,
            "library/embed_resource.html",
            {
                "resource": resource,
                "attribution": attribution,
                "link": request.build_absolute_uri(resource.get_absolute_url()),
            },
        )
    )


@xframe_options_exempt
def embed_collection(request: HttpRequest, collection_id: int) -> HttpResponse:
    collection = permissions.public_collection(collection_id)
    # As a visitor sees it, whoever's browser shows the frame.
    items = selectors.collection_items_for(collection, viewer=AnonymousUser())
    entries = [
        (
            item,
            attribution_for(
                item.resource,
                absolute_url=request.build_absolute_uri(item.resource.get_absolute_url()),
            ),
        )
        for item in items
    ]
    return _frameable(
        render(
            request,
            "library/embed_collection.html",
            {
                "collection": collection,
                "entries": entries,
                "link": request.build_absolute_uri(collection.get_absolute_url()),
            },
        )
    )
