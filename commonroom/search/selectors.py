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
from commonroom.accounts.selectors import profile_terms
from commonroom.core.db_router import read_connection
from commonroom.core.metrics import search_timed
from commonroom.search import memory, registry, termsets
from commonroom.search.backends import get_backend
from commonroom.search.backends.base import SearchBackend
from commonroom.search.facets import Filters, combined, filter_masks, memory_counts
from commonroom.search.index_snapshot import Snapshot
from commonroom.search.models import SearchDocument
from commonroom.search.query import ParsedQuery, Term, parse
from commonroom.search.ranking import personal_factor, text_score
from commonroom.search.snippets import highlight, snippet

DOCUMENTS = SearchDocument._meta.db_table
PAGE_SIZE = 20
# Snippets are cut from the start of long bodies and file texts.
SNIPPET_SOURCE_CHARS = 3_000


class Sort:
    RELEVANCE = "relevance"
    NEWEST = "newest"
    SAVED = "saved"
    RATED = "rated"
    ALL = (RELEVANCE, NEWEST, SAVED, RATED)


@dataclass
class Hit:
    """One result: ``object`` is what the kind's ``cards`` gave, rendered
    by its ``template`` (``protocol.SearchableKind.card_template``)."""

    kind: str
    object: Any
    template: str
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


def _term_mask(snapshot: Snapshot, term: Term, *, strong: bool = False) -> np.ndarray:
    """One word's (or prefix's, or phrase's) rows, anywhere or (``strong``)
    in title or keywords: from this process's cache, else from the sets
    shared by all processes, else the engine."""
    key = (term.stems, term.prefix, strong)
    mask = snapshot.cached_term(key)
    if mask is not None:
        return mask
    mask = termsets.load(snapshot, term, strong=strong)
    if mask is None:
        mask = termsets.engine_mask(snapshot, term, strong=strong)
        termsets.store(snapshot, term, mask, strong=strong)
    snapshot.keep_term(key, mask, strong=strong)
    return mask


@dataclass(frozen=True)
class _Scored:
    """Every match of a one-term query, as the engine ranked them while
    matching: the rows (ascending) and each one's relevance for ``term``."""

    term: Term
    rows: np.ndarray
    relevance: np.ndarray

    def of(self, rows: np.ndarray) -> np.ndarray:
        """The relevance of these rows (ascending, all among ``rows``)."""
        return self.relevance[np.searchsorted(self.rows, rows)]


def _scored_by_engine(snapshot: Snapshot, term: Term) -> _Scored | None:
    """A word (or prefix, or phrase) that neither this process nor the
    shared store holds is matched and ranked by the engine in one query.
    Such a word is rare (the hourly refresh stores every frequent one), so
    ranking all its matches costs about what matching them does; only the
    first search for a new frequent word ranks more than it needs, once."""
    if snapshot.holds_term((term.stems, term.prefix, False)) or termsets.is_stored(snapshot, term):
        return None
    ids, relevance = get_backend().matching(ParsedQuery(terms=(term,)), scored=True)
    if relevance is None:
        return None
    rows, found = snapshot.locate(ids)
    if rows.size >= snapshot.frequent:
        mask = snapshot.mask_of(rows)
        termsets.store(snapshot, term, mask)
        snapshot.keep_term((term.stems, term.prefix, False), mask)
    return _Scored(term=term, rows=rows, relevance=relevance[found])


@dataclass(frozen=True)
class _Match:
    """What ``_matched`` found: the rows as a mask, the query to rank them
    by, each of its terms' number of matches, and (one rare word) the
    engine's relevance of every match."""

    mask: np.ndarray
    ranking: ParsedQuery
    counts: dict[Term, int] = field(default_factory=dict)
    scored: _Scored | None = None


def _matched(snapshot: Snapshot, query: ParsedQuery) -> _Match:
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
    (``_scored_by_engine``), with its relevance."""
    if query.is_empty:
        return _Match(snapshot.alive, query)
    if len(query.terms) == 1 and not query.terms[0].negated:
        term = query.terms[0]
        scored = _scored_by_engine(snapshot, term)
        if scored is not None:
            n = int(scored.rows.size)
            ranking = query if n * 2 <= snapshot.size else ParsedQuery()
            return _Match(snapshot.mask_of(scored.rows), ranking, {term: n}, scored)
    masks = [_term_mask(snapshot, term) for term in query.terms]
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


def _top(rows: np.ndarray, keys: list[np.ndarray], offset: int, limit: int) -> np.ndarray:
    """``rows[offset:offset + limit]`` ordered by ``keys``, each descending,
    the first most significant. Only the rows that can reach the page are
    sorted: those at or above the page's last value of the first key (ties
    included, so pages never overlap)."""
    need = offset + limit
    if need <= 0:
        return rows[:0]
    if rows.size > 4 * need:
        primary = keys[0]
        threshold = np.partition(primary, rows.size - need)[rows.size - need]
        keep = primary >= threshold
        rows, keys = rows[keep], [k[keep] for k in keys]
    order = np.lexsort([-k for k in reversed(keys)])
    return rows[order][offset:need]


def _sort_keys(snapshot: Snapshot, rows: np.ndarray, sort: str) -> list[np.ndarray]:
    values = snapshot.values
    newest = [values["published"][rows], snapshot.ids[rows].astype(np.float64)]
    if sort == Sort.SAVED:
        return [values["saves"][rows].astype(np.float64), *newest]
    if sort == Sort.RATED:
        rating = np.nan_to_num(values["rating"][rows].astype(np.float64), nan=-np.inf)
        return [rating, values["ratings"][rows].astype(np.float64), *newest]
    return newest


def _personal(snapshot: Snapshot, member: Member | None) -> np.ndarray | None:
    if member is None or not member.is_authenticated:
        return None
    subject_ids, level_ids = profile_terms(member)
    if not subject_ids and not level_ids:
        return None
    return personal_factor(
        snapshot.tree_mask("subject", subject_ids), snapshot.tree_mask("level", level_ids)
    )


def _prior(snapshot: Snapshot, rows: np.ndarray, member: Member | None) -> np.ndarray:
    """Quality × personal of ``ranking.py`` for these rows."""
    prior = snapshot.values["quality"][rows].astype(np.float64)
    personal = _personal(snapshot, member)
    return prior * personal[rows] if personal is not None else prior


def _strong_positions(snapshot: Snapshot, query: ParsedQuery, rows: np.ndarray) -> np.ndarray:
    """Positions in ``rows`` (ascending) of the matches with every positive
    word in their title or keywords."""
    mask = snapshot.alive.copy()
    for term in query.positive:
        mask &= _term_mask(snapshot, term, strong=True)
    return np.flatnonzero(mask[rows])


# Strong matches ranked at most, as a multiple of ``rank_cap``: the best
# by quality and profile first, then, if those cannot settle the page, the
# rest of them in a second pass.
STRONG_RANKED_CAPS = 4
# With a bound on relevance, the first round ranks this many times the
# page's matches (at least PRUNED_FIRST), and each next round GROWTH times
# as many as the one before: a round costs the engine a scan of the match
# (about 1 ms for a word in 13 % of 100,000 resources) and bm25 costs
# about 3 µs per ranked document.
PRUNED_PAGES = 4
PRUNED_FIRST = 80
PRUNED_GROWTH = 4


def _rounds(first: int, size: int, *, bounded: bool) -> list[int]:
    """Where each ranking round ends in a pool of ``size``."""
    if not bounded:
        return [min(first, size), size] if first < size else [size]
    ends = []
    end = first
    while end < size:
        ends.append(end)
        end *= PRUNED_GROWTH
    return [*ends, size]


def _ranked_rounds(
    snapshot: Snapshot,
    backend: SearchBackend,
    query: ParsedQuery,
    rows: np.ndarray,
    pool: np.ndarray,
    keys: list[np.ndarray],
    need: int,
    *,
    limit: int,
    text_bound: float | None,
    unbounded_first: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Positions of ``pool`` (in ``rows``) with their scores, ranked in
    rounds, highest prior first (``keys``: prior, then newest), among the
    first ``limit`` by prior: until the ``need``-th best score is at least
    the text part's bound (``text_bound``; 1 without one) times the prior
    of the next unranked match, none of which can then reach the page: it
    is exactly what ranking all ``limit`` of them would give. Without a
    bound, the rounds are ``unbounded_first`` and the rest (all at once
    when None)."""
    order = _top(pool, [k[pool] for k in keys], 0, min(pool.size, limit))
    bounded = text_bound is not None
    if bounded:
        first = max(PRUNED_FIRST, PRUNED_PAGES * need)
    else:
        first = unbounded_first if unbounded_first is not None else order.size
    bound = text_bound if text_bound is not None else 1.0
    prior = keys[0]
    ranked: list[np.ndarray] = []
    scores: list[np.ndarray] = []
    done = 0
    for end in _rounds(first, order.size, bounded=bounded):
        batch = order[done:end]
        if not batch.size:
            break
        if done >= need:
            so_far = np.concatenate(scores)
            page_last = np.partition(so_far, so_far.size - need)[so_far.size - need]
            if page_last >= bound * prior[batch[0]]:
                break
        relevance = backend.relevance(query, snapshot.ids[rows[batch]])
        ranked.append(batch)
        scores.append(text_score(relevance, backend.vendor) * prior[batch])
        done = end
    if not ranked:
        return order[:0], np.empty(0, dtype=np.float64)
    return np.concatenate(ranked), np.concatenate(scores)


def _text_bound(
    backend: SearchBackend, query: ParsedQuery, counts: dict[Term, int]
) -> float | None:
    """Above any match's text part (``ranking.text_score``), when the engine
    bounds its relevance."""
    if any(t not in counts for t in query.positive):
        return None
    relevance = backend.relevance_bound(query, [counts[t] for t in query.positive])
    if relevance is None:
        return None
    return float(text_score(np.array([relevance]), backend.vendor)[0])


def _by_relevance(
    snapshot: Snapshot,
    backend: SearchBackend,
    query: ParsedQuery,
    rows: np.ndarray,
    member: Member | None,
    offset: int,
    limit: int,
    counts: dict[Term, int] | None = None,
    scored: _Scored | None = None,
) -> np.ndarray:
    """The formula of ``ranking.py`` over a capped candidate set:

    - up to ``backend.rank_cap`` filtered matches: all of them;
    - more, of which at most the cap have every word in their title or
      keywords (*strong* matches): those, plus the best of the others by
      quality and profile up to the cap;
    - more strong matches than the cap: those, best quality and profile
      first (``_ranked_rounds``), which gives the page exactly in nearly
      every search.

    The other matches follow by quality and profile (reached only beyond
    page 50 or so). ``scored``: the relevance the engine gave while
    matching, used when ``query`` is its term.

    Where the engine bounds relevance (``backend.relevance_bound``, from
    each term's number of matches in ``counts``), the candidates are ranked
    in rounds, best prior first, until no unranked one can reach the page
    (``_ranked_rounds``): the same page, from far fewer ranked documents."""
    prior = _prior(snapshot, rows, member)
    newest = _sort_keys(snapshot, rows, Sort.NEWEST)
    if not query.positive:
        return _top(rows, [prior, *newest], offset, limit)
    need = offset + limit
    keys = [prior, *newest]
    if scored is not None and query.terms == (scored.term,) and rows.size <= backend.rank_cap:
        candidates = np.arange(rows.size)
        score = text_score(scored.of(rows), backend.vendor) * prior
    elif rows.size <= max(need, PRUNED_FIRST):
        # Too few to leave any out.
        candidates = np.arange(rows.size)
        relevance = backend.relevance(query, snapshot.ids[rows])
        score = text_score(relevance, backend.vendor) * prior
    elif rows.size <= backend.rank_cap:
        candidates, score = _ranked_rounds(
            snapshot,
            backend,
            query,
            rows,
            np.arange(rows.size),
            keys,
            need,
            limit=rows.size,
            text_bound=_text_bound(backend, query, counts or {}),
        )
    else:
        text_bound = _text_bound(backend, query, counts or {})
        strong = _strong_positions(snapshot, query, rows)
        if strong.size > backend.rank_cap:
            candidates, score = _ranked_rounds(
                snapshot,
                backend,
                query,
                rows,
                strong,
                keys,
                need,
                limit=STRONG_RANKED_CAPS * backend.rank_cap,
                text_bound=text_bound,
                unbounded_first=backend.first_rank_pass,
            )
        else:
            weaker = np.ones(rows.size, dtype=np.bool_)
            weaker[strong] = False
            rest = np.flatnonzero(weaker)
            room = backend.rank_cap - strong.size
            best = _top(rest, [prior[rest], *(k[rest] for k in newest)], 0, room)
            candidates, score = _ranked_rounds(
                snapshot,
                backend,
                query,
                rows,
                np.concatenate([strong, best]),
                keys,
                need,
                limit=backend.rank_cap,
                text_bound=text_bound,
            )
    order = _top(
        np.arange(candidates.size),
        [score, *(k[candidates] for k in newest)],
        0,
        min(need, candidates.size),
    )
    ranked = candidates[order]
    if need > ranked.size:
        outside = np.ones(rows.size, dtype=np.bool_)
        outside[candidates] = False
        others = np.flatnonzero(outside)
        more = _top(others, [prior[others], *(k[others] for k in newest)], 0, need - ranked.size)
        ranked = np.concatenate([ranked, more])
    return rows[ranked[offset:need]]


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
    snapshot = snapshot or memory.snapshot()
    backend = get_backend()
    match = _matched(snapshot, query)
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
        shown = _by_relevance(
            snapshot, backend, ranking, rows, member, offset, page_size, match.counts, scored
        )
    else:
        shown = _top(rows, _sort_keys(snapshot, rows, sort), offset, page_size)
    if query.is_empty and not masks:
        # The empty search's counts are the same until the index changes.
        counts = snapshot.cache.get("all_counts")
        if counts is None:
            counts = snapshot.cache["all_counts"] = memory_counts(snapshot, base, masks)
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
        hits=_hits(snapshot.ids[shown].tolist(), query),
        counts=counts,
        messages=messages,
    )


def _hits(document_ids: list[int], query: ParsedQuery) -> list[Hit]:
    """The page's cards, each kind's read by its adapter in one query."""
    if not document_ids:
        return []
    # Plain SQL: the ORM would spend longer writing this query than the
    # database answering it (issue 15, item 3).
    marks = ", ".join(["%s"] * len(document_ids))
    # A replica's, when the request reads from one (core.db_router).
    with read_connection().cursor() as cursor:
        cursor.execute(
            "SELECT id, kind, object_id, title, description, "  # noqa: S608
            f"SUBSTR(body, 1, {SNIPPET_SOURCE_CHARS}) FROM {DOCUMENTS} WHERE id IN ({marks})",
            document_ids,
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
                template=kinds[kind].card_template,
                title=highlight(title, query, window=False),
                snippet=snippet(description, body_start or "", query),
            )
        )
    return hits
