"""Search through the API: the site's own query language, facets, filters
and ranking (``selectors.search_documents`` and the page's
``forms.Vocabulary``), over every searchable kind, or one kind's documents
for that kind's own list (``search_page``)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.html import strip_tags
from ninja import Query, Router, Schema

from commonroom.accounts.models import Member
from commonroom.api import auth
from commonroom.api.attribution import attribution_text
from commonroom.api.pagination import MAX_LIMIT, cursor_read, next_link
from commonroom.search import registry
from commonroom.search.facets import TYPE, all_facets
from commonroom.search.forms import SORT_CHOICES, Option
from commonroom.search.page_search import searched
from commonroom.search.protocol import Facet
from commonroom.search.query import MAX_QUERY_CHARS
from commonroom.search.selectors import PAGE_SIZE, Hit, SearchResult

router = Router(tags=["search"])


class FacetValueOut(Schema):
    slug: str
    label: str
    count: int
    selected: bool
    parent: str | None


class SearchParams(Schema):
    q: str = Query("", max_length=4 * MAX_QUERY_CHARS, description="The site's query language")
    sort: str = Query("", pattern="^(|" + "|".join(c for c, _l in SORT_CHOICES) + ")$")
    cursor: str | None = None
    limit: int = Query(PAGE_SIZE, ge=1, le=MAX_LIMIT)


class HitOut(Schema):
    kind: str
    id: int
    title: str
    snippet: str
    url: str


class SearchOut(Schema):
    total: int
    items: list[HitOut]
    facets: dict[str, list[FacetValueOut]]
    messages: list[str]
    next: str | None
    attribution: str


def facet_parameters(facets: Sequence[Facet]) -> dict[str, Any]:
    """The facet filters, documented as the repeatable query parameters the
    search page takes (values by slug; unknown ones are ignored)."""
    return {
        "parameters": [
            {
                "in": "query",
                "name": facet.name,
                "required": False,
                "description": f"{facet.title} (slugs)",
                "schema": {"type": "array", "items": {"type": "string", "maxLength": 80}},
                "style": "form",
                "explode": True,
            }
            for facet in facets
        ]
    }


def _flat(options: list[Option], parent: str | None = None) -> list[dict[str, Any]]:
    flat: list[dict[str, Any]] = []
    for o in options:
        flat.append(
            {
                "slug": o.slug,
                "label": o.label,
                "count": o.count,
                "selected": o.selected,
                "parent": parent,
            }
        )
        flat.extend(_flat(o.children, o.slug))
    return flat


def plain(text: str) -> str:
    """A marked title or snippet as plain text."""
    return html.unescape(strip_tags(text))


def search_page(
    request: HttpRequest,
    params: SearchParams,
    *,
    kind: str | None = None,
    facets_shown: Sequence[Facet] | None = None,
) -> tuple[SearchResult, dict[str, Any]]:
    """One page of a search as the site's page makes it; ``kind`` keeps it
    to one kind's documents. Returns the result and the body's common part
    (total, facets, messages, next, attribution)."""
    state = cursor_read(params.cursor)
    page = state.get("page", 1)
    limit = state.get("limit", params.limit)
    if not isinstance(page, int) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        page, limit = 1, params.limit
    query = request.GET.copy()
    if kind is not None:
        query.setlist(TYPE.name, [kind])
    user = request.user
    made = searched(
        query,
        text=params.q,
        sort=params.sort,
        page=max(1, page),
        page_size=limit,
        member=user if isinstance(user, Member) else None,
    )
    result = made.result
    options = made.vocabulary.options(result.counts, made.filters)
    facets = {
        name: _flat(values)
        for name, values in options.items()
        if facets_shown is None or name in {f.name for f in facets_shown}
    }
    following = (
        {"page": result.page + 1, "limit": limit} if result.page < result.num_pages else None
    )
    if page > result.num_pages:
        following = None
    return result, {
        "total": result.total,
        "facets": facets,
        "messages": [str(m) for m in result.messages],
        "next": next_link(request, following),
        "attribution": attribution_text(),
    }


def hit_out(hit: Hit) -> dict[str, Any]:
    kind = registry.kinds()[hit.kind]
    object_id = int(hit.object.pk)
    title = plain(hit.title)
    return {
        "kind": hit.kind,
        "id": object_id,
        "title": title,
        "snippet": plain(hit.snippet),
        "url": settings.SITE_URL + kind.url(object_id, title),
    }


@router.get(
    "/search",
    response=SearchOut,
    auth=auth.PUBLIC,
    summary="Search every kind of content",
    operation_id="search",
    openapi_extra=facet_parameters(all_facets()),
)
def search(request: HttpRequest, params: Query[SearchParams]) -> dict[str, Any]:
    result, body = search_page(request, params)
    return {**body, "items": [hit_out(hit) for hit in result.hits]}


ROUTERS = [("", router)]
