"""One search: match, filter, count, rank, paginate, load the cards.
The number of SQL queries does not depend on the page size or the number
of matches (pinned in tests/test_views.py)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, QuerySet
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from commonroom.resources.models import Resource
from commonroom.resources.selectors import resources_for_listing
from commonroom.search.backends import get_backend
from commonroom.search.facets import Filters, apply_filters, facet_counts
from commonroom.search.models import SearchDocument
from commonroom.search.query import ParsedQuery, parse
from commonroom.search.snippets import highlight, snippet

PAGE_SIZE = 20
SNIPPET_SOURCE_CHARS = 20_000


class Sort:
    RELEVANCE = "relevance"
    NEWEST = "newest"
    SAVED = "saved"
    RATED = "rated"
    ALL = (RELEVANCE, NEWEST, SAVED, RATED)


@dataclass
class Hit:
    resource: Resource
    title: SafeString
    snippet: SafeString


@dataclass
class SearchResult:
    query: ParsedQuery
    sort: str
    total: int
    page: int
    num_pages: int
    hits: list[Hit]
    counts: dict[str, dict[Any, int]]
    messages: list[str] = field(default_factory=list)


def _ordered(
    documents: QuerySet[SearchDocument], query: ParsedQuery, sort: str, offset: int, limit: int
) -> list[int]:
    if sort == Sort.RELEVANCE:
        return get_backend().ranked_ids(documents, query, offset=offset, limit=limit)
    orders: dict[str, list[Any]] = {
        Sort.NEWEST: [F("published_at").desc(nulls_last=True)],
        Sort.SAVED: ["-saves", F("published_at").desc(nulls_last=True)],
        Sort.RATED: [
            F("rating_average").desc(nulls_last=True),
            "-rating_count",
            F("published_at").desc(nulls_last=True),
        ],
    }
    order = orders[sort]
    ids = documents.order_by(*order, "-pk").values_list("pk", flat=True)
    return list(ids[offset : offset + limit])


def search_documents(
    *, text: str, filters: Filters, sort: str = "", page: int = 1, page_size: int = PAGE_SIZE
) -> SearchResult:
    query = parse(text)
    messages = list(query.messages)
    if sort not in Sort.ALL:
        sort = Sort.RELEVANCE if query.positive else Sort.NEWEST
    if sort == Sort.RELEVANCE and not query.positive:
        sort = Sort.NEWEST
    # Resources are the only documents indexed so far. Filtering on the type
    # makes SQLite walk the (object_type, object_id) index over the whole
    # table instead of starting from the match set (measured at 100k: a rare
    # term's count went from 19 ms to under 1 ms without it); when other
    # object types are indexed, filter them out after the match instead.
    documents = SearchDocument.objects.all()
    matched = get_backend().match(documents, query)
    filtered = apply_filters(matched, filters)
    total = filtered.count()
    num_pages = max(1, math.ceil(total / page_size))
    if page > num_pages:
        if total:
            messages.append(
                _("There is no page %(asked)d; this is the last page, %(last)d.")
                % {"asked": page, "last": num_pages}
            )
        page = num_pages
    page = max(1, page)
    ids = _ordered(filtered, query, sort, (page - 1) * page_size, page_size) if total else []
    return SearchResult(
        query=query,
        sort=sort,
        total=total,
        page=page,
        num_pages=num_pages,
        hits=_hits(ids, query),
        counts=facet_counts(matched, filters),
        messages=messages,
    )


def _hits(document_ids: list[int], query: ParsedQuery) -> list[Hit]:
    if not document_ids:
        return []
    documents = {
        d.pk: d
        for d in SearchDocument.objects.filter(pk__in=document_ids).only(
            "object_id", "title", "description", "body"
        )
    }
    resources = resources_for_listing().filter(pk__in=[d.object_id for d in documents.values()])
    by_id = {r.pk: r for r in resources}
    hits = []
    for pk in document_ids:
        document = documents.get(pk)
        resource = by_id.get(document.object_id) if document else None
        if document is None or resource is None:
            continue  # taken down between the count and now
        hits.append(
            Hit(
                resource=resource,
                title=highlight(document.title, query, window=False),
                snippet=snippet(document.description, document.body[:SNIPPET_SOURCE_CHARS], query),
            )
        )
    return hits
