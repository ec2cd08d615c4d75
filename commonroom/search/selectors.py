"""One search: match in the engine, then filter, count, rank and paginate
over the in-memory columns (``memory.py``), then load the 20 cards. The
number of SQL queries does not depend on the page size or the number of
matches (pinned in tests/test_views.py)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from commonroom.accounts.models import Member
from commonroom.core.metrics import search_timed
from commonroom.search import memory, registry, termsets
from commonroom.search.backends import get_backend
from commonroom.search.compiled import padded, prepared_cursor
from commonroom.search.facets import (
    Filters,
    all_counts,
    combined,
    filter_masks,
    memory_counts,
)
from commonroom.search.index_snapshot import Snapshot
from commonroom.search.models import SearchDocument
from commonroom.search.ordering import Scored, Sort, by_relevance, sort_keys, term_mask, top
from commonroom.search.query import ParsedQuery, Term, parse
from commonroom.search.snippets import highlight, snippet
from commonroom.search.sqlarrays import scored_arrays

DOCUMENTS = SearchDocument._meta.db_table
PAGE_SIZE = 20
# Snippets are cut from the start of long bodies and file texts.
SNIPPET_SOURCE_CHARS = 3_000


@dataclass
class Hit:
    """One result: ``object`` is what the kind's ``cards`` gave, shown by
    the kind's ``card`` (``protocol.SearchableKind.card``)."""

    kind: str
    object: Any
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
    # The index in memory the result was made from.
    snapshot: Snapshot = field(repr=False, compare=False)
    messages: list[str] = field(default_factory=list)


def _held(snapshot: Snapshot, term: Term) -> bool:
    """Whether this process or the shared store holds the word's matches."""
    return snapshot.holds_term((term.stems, term.prefix, False)) or termsets.is_stored(
        snapshot, term
    )


def _lone_term(query: ParsedQuery) -> Term | None:
    """The query's word when it has only one, and not a negated one."""
    if len(query.terms) == 1 and not query.terms[0].negated:
        return query.terms[0]
    return None


Read = tuple[np.ndarray, np.ndarray]


def _snapshot_and_read(query: ParsedQuery) -> tuple[Snapshot, Read | None]:
    """The index in memory, and for a lone word that this process's copy
    does not hold (a rare word, most likely), the engine's matches and
    relevance (``_scored_by_engine``) read in the statement that reads the
    version (``memory.snapshot_with``): on PostgreSQL, one round trip of
    the three a rare word's page costs otherwise."""
    term = _lone_term(query)
    kept = memory.kept()
    if term is None or kept is None or _held(kept, term):
        return memory.snapshot(), None
    statement = get_backend().scored_matching_sql(ParsedQuery(terms=(term,)))
    if statement is None:
        return memory.snapshot(), None
    snapshot, rows = memory.snapshot_with(*statement)
    return snapshot, (scored_arrays(rows) if rows is not None else None)


def _scored_by_engine(snapshot: Snapshot, term: Term, read: Read | None = None) -> Scored | None:
    """A word (or prefix, or phrase) that neither this process nor the
    shared store holds is matched and ranked by the engine in one query
    (or was, with the version: ``read``). Such a word is rare (the hourly
    refresh stores every frequent one), so ranking all its matches costs
    about what matching them does; only the first search for a new
    frequent word ranks more than it needs, once."""
    if _held(snapshot, term):
        return None
    relevance: np.ndarray | None
    if read is not None:
        ids, relevance = read
    else:
        ids, relevance = get_backend().matching(ParsedQuery(terms=(term,)), scored=True)
    if relevance is None:
        return None
    rows, found = snapshot.locate(ids)
    if rows.size >= snapshot.frequent:
        mask, weights = snapshot.mask_of(rows), None
        if termsets.weighable(term):
            # Once per word and index: its weights, so later searches rank
            # it in memory (term_weights.py).
            mask, weights = termsets.engine_weighed(snapshot, term)
        termsets.store(snapshot, term, mask, weights=weights)
        snapshot.keep_term((term.stems, term.prefix, False), mask)
    return Scored(term=term, rows=rows, relevance=relevance[found])


@dataclass(frozen=True)
class _Match:
    """What ``_matched`` found: the rows as a mask, the query to rank them
    by, each of its terms' number of matches, and (one rare word) the
    engine's relevance of every match."""

    mask: np.ndarray
    ranking: ParsedQuery
    counts: dict[Term, int] = field(default_factory=dict)
    scored: Scored | None = None


def _matched(snapshot: Snapshot, query: ParsedQuery, read: Read | None = None) -> _Match:
    """The rows matching the words (every live row for an empty search), and
    the query to rank them by.

    Each word (or phrase) is matched on its own and combined here: frequent
    words then come from the snapshot's term cache or the sets shared by all
    processes (``termsets.py``; a word in 20 % of the resources costs the
    engine tens of milliseconds, and such words recur in many searches), and
    only the others reach the engine. Words found in
    more than half the resources are left out of the ranking query: BM25
    gives them almost no weight (FTS5 clamps their IDF to ~0), and ranking without
    them spares the engine a pass over most of the index. When no word is
    informative and there are more matches than the engine ranks, the text
    part of the score is nearly the same for every match and the order is
    quality and profile alone.

    A query of one rare word is matched and ranked in one engine query
    (``_scored_by_engine``), with its relevance (``read`` when the version's
    statement read them)."""
    if query.is_empty:
        return _Match(snapshot.alive, query)
    term = _lone_term(query)
    if term is not None:
        scored = _scored_by_engine(snapshot, term, read)
        if scored is not None:
            n = int(scored.rows.size)
            ranking = query if n * 2 <= snapshot.size else ParsedQuery()
            return _Match(snapshot.mask_of(scored.rows), ranking, {term: n}, scored)
    masks = [term_mask(snapshot, term) for term in query.terms]
    informative = tuple(
        t
        for t, mask in zip(query.terms, masks, strict=True)
        if not t.negated and np.count_nonzero(mask) * 2 <= snapshot.size
    )
    # Live matches only: the engine no longer holds removed documents.
    counts = {
        t: int(np.count_nonzero(mask & snapshot.alive))
        for t, mask in zip(query.terms, masks, strict=True)
        if t in informative
    }
    return _Match(_combine(snapshot, query, masks), ParsedQuery(terms=informative), counts)


def _combine(snapshot: Snapshot, query: ParsedQuery, masks: list[np.ndarray]) -> np.ndarray:
    """Every positive word and none of the negative ones; with only negative
    words, none of them."""
    result = snapshot.alive.copy()
    for term, mask in zip(query.terms, masks, strict=True):
        result &= ~mask if term.negated or not query.positive else mask
    return result


@search_timed("search_documents")
def search_documents(
    *,
    text: str,
    filters: Filters,
    sort: str = "",
    page: int = 1,
    page_size: int = PAGE_SIZE,
    member: Member | None = None,
    snapshot: Snapshot | None = None,
) -> SearchResult:
    query = parse(text)
    messages = list(query.messages)
    if sort not in Sort.ALL:
        sort = Sort.RELEVANCE if query.positive else Sort.NEWEST
    if sort == Sort.RELEVANCE and not query.positive:
        sort = Sort.NEWEST
    read = None
    if snapshot is None:
        snapshot, read = _snapshot_and_read(query)
    backend = get_backend()
    match = _matched(snapshot, query, read)
    base, ranking, scored = match.mask, match.ranking, match.scored
    masks = filter_masks(snapshot, filters)
    if scored is not None:
        rows = scored.rows
        for mask in masks.values():
            rows = rows[mask[rows]]
    else:
        rows = np.flatnonzero(combined(base, masks))
    total = int(rows.size)
    num_pages = max(1, math.ceil(total / page_size))
    if page > num_pages:
        if total:
            messages.append(
                _("There is no page %(asked)d; this is the last page, %(last)d.")
                % {"asked": page, "last": num_pages}
            )
        page = num_pages
    page = max(1, page)
    offset = (page - 1) * page_size
    if not total:
        shown = rows
    elif sort == Sort.RELEVANCE:
        if not ranking.positive and rows.size <= backend.rank_cap:
            # Few enough to rank them all: even words in most resources
            # still tell a title from a body.
            ranking = ParsedQuery(terms=query.positive)
        shown = by_relevance(
            snapshot, backend, ranking, rows, member, offset, page_size, match.counts, scored
        )
    else:
        shown = top(rows, sort_keys(snapshot, rows, sort), offset, page_size)
    if query.is_empty and not masks:
        counts = all_counts(snapshot)  # the same until the index changes
    else:
        counts = memory_counts(
            snapshot, base, masks, listed=scored.rows if scored is not None else None
        )
    return SearchResult(
        query=query,
        sort=sort,
        total=total,
        page=page,
        num_pages=num_pages,
        hits=hits_of(snapshot.ids[shown].tolist(), query),
        counts=counts,
        snapshot=snapshot,
        messages=messages,
    )


def hits_of(document_ids: list[int], query: ParsedQuery) -> list[Hit]:
    """The page's cards, each kind's read by its adapter in one query."""
    if not document_ids:
        return []
    # Plain SQL: the ORM would spend longer writing this query than the
    # database answering it (issue 15, item 3). One text per bucket of the
    # number of ids, as the cards' reads (``compiled.id_bucket``).
    places = padded(document_ids)
    marks = ", ".join(["%s"] * len(places))
    # Planned once per connection on PostgreSQL.
    with prepared_cursor() as cursor:
        cursor.execute(
            "SELECT id, kind, object_id, title, description, "  # noqa: S608
            f"SUBSTR(body, 1, {SNIPPET_SOURCE_CHARS}) FROM {DOCUMENTS} WHERE id IN ({marks})",
            places,
        )
        documents = {row[0]: row[1:] for row in cursor.fetchall()}
    wanted: dict[str, list[int]] = {}
    for kind, object_id, *_rest in documents.values():
        wanted.setdefault(kind, []).append(object_id)
    kinds = registry.kinds()
    cards = {key: kinds[key].cards(ids) for key, ids in wanted.items() if key in kinds}
    hits = []
    for pk in document_ids:
        document = documents.get(pk)
        if document is None:
            continue  # taken down between the count and now
        kind, object_id, title, description, body_start = document
        card = cards.get(kind, {}).get(object_id)
        if card is None:
            continue
        hits.append(
            Hit(
                kind=kind,
                object=card,
                title=highlight(title, query, window=False),
                snippet=snippet(description, body_start or "", query),
            )
        )
    return hits
