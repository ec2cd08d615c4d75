"""Share links and embed snippets for resources and collections (R13)."""

import html
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from commonroom.library.models import Collection
from commonroom.resources.models import Resource

EMBED_WIDTH, EMBED_HEIGHT = 560, 360


@dataclass(frozen=True)
class Share:
    link: str
    embed_url: str
    embed_snippet: str


def _attribute(value: str) -> str:
    # Only what a double-quoted attribute needs, so "pizza's" stays readable.
    return html.escape(value, quote=False).replace('"', "&quot;")


def _snippet(url: str, title: str) -> str:
    """Plain text (not marked safe): pages show it escaped, to be copied."""
    return (
        f'<iframe src="{_attribute(url)}" title="{_attribute(title)}" '
        f'width="{EMBED_WIDTH}" height="{EMBED_HEIGHT}" loading="lazy"></iframe>'
    )


def share_for_resource(request: HttpRequest, resource: Resource) -> Share:
    embed_url = request.build_absolute_uri(reverse("library:embed_resource", args=[resource.pk]))
    return Share(
        link=request.build_absolute_uri(resource.get_absolute_url()),
        embed_url=embed_url,
        embed_snippet=_snippet(embed_url, resource.title),
    )


def share_for_collection(request: HttpRequest, collection: Collection) -> Share:
    embed_url = request.build_absolute_uri(
        reverse("library:embed_collection", args=[collection.pk])
    )
    return Share(
        link=request.build_absolute_uri(collection.get_absolute_url()),
        embed_url=embed_url,
        embed_snippet=_snippet(embed_url, collection.title),
    )


def send_to_colleague_url(resource: Resource) -> str:
    """The messaging app (mounted at /messages/) fills in the message from
    ``resource``; its URL name is not fixed yet, so the path is written out."""
    return f"/messages/new/?resource={resource.pk}"
