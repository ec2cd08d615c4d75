"""Which matches make the page, and in what order: the ranking formula of
``ranking.py`` over a capped set of candidates, ranked in rounds where the
engine bounds relevance (``by_relevance``), or a plain sort (``top`` over
``sort_keys``). ``selectors.search_documents`` calls it once per search."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from commonroom.accounts.models import Member
from commonroom.accounts.selectors import profile_terms
from commonroom.search import term_weights, termsets
from commonroom.search.backends.base import SearchBackend
from commonroom.search.index_snapshot import Snapshot
from commonroom.search.query import ParsedQuery, Term
from commonroom.search.ranking import personal_factor, text_score


class Sort:
    RELEVANCE = "relevance"
    NEWEST = "newest"
    SAVED = "saved"
    RATED = "rated"
    ALL = (RELEVANCE, NEWEST, SAVED, RATED)


def term_mask(snapshot: Snapshot, term: Term, *, strong: bool = False) -> np.ndarray:
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
class Scored:
    """Every match of a one-term query, as the engine ranked them while
    matching: the rows (ascending) and each one's relevance for ``term``."""

    term: Term
    rows: np.ndarray
    relevance: np.ndarray

    def of(self, rows: np.ndarray) -> np.ndarray:
        """The relevance of these rows (ascending, all among ``rows``)."""
        return self.relevance[np.searchsorted(self.rows, rows)]


def top(rows: np.ndarray, keys: list[np.ndarray], offset: int, limit: int) -> np.ndarray:
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


def sort_keys(snapshot: Snapshot, rows: np.ndarray, sort: str) -> list[np.ndarray]:
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
    prior: np.ndarray = snapshot.values["quality"][rows].astype(np.float64)
    personal = _personal(snapshot, member)
    return prior * personal[rows] if personal is not None else prior


def _strong_positions(snapshot: Snapshot, query: ParsedQuery, rows: np.ndarray) -> np.ndarray:
    """Positions in ``rows`` (ascending) of the matches with every positive
    word in their title or keywords."""
    mask = snapshot.alive.copy()
    for term in query.positive:
        mask &= term_mask(snapshot, term, strong=True)
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
    order = top(pool, [k[pool] for k in keys], 0, min(pool.size, limit))
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


def by_relevance(
    snapshot: Snapshot,
    backend: SearchBackend,
    query: ParsedQuery,
    rows: np.ndarray,
    member: Member | None,
    offset: int,
    limit: int,
    counts: dict[Term, int] | None = None,
    scored: Scored | None = None,
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
    page 50 or so). Where every word's weights are kept
    (``term_weights.py``), all matches are ranked in memory instead.
    ``scored``: the relevance the engine gave while matching, used when
    ``query`` is its term (every match is then ranked, however many).

    Where the engine bounds relevance (``backend.relevance_bound``, from
    each term's number of matches in ``counts``), the candidates are ranked
    in rounds, best prior first, until no unranked one can reach the page
    (``_ranked_rounds``): the same page, from far fewer ranked documents."""
    prior = _prior(snapshot, rows, member)
    newest = sort_keys(snapshot, rows, Sort.NEWEST)
    if not query.positive:
        return top(rows, [prior, *newest], offset, limit)
    need = offset + limit
    in_memory = term_weights.relevance(snapshot, backend, query, rows, counts or {})
    if in_memory is not None:
        # Every match ranked, from the words' kept weights.
        score = text_score(in_memory, backend.vendor) * prior
        return rows[top(np.arange(rows.size), [score, *newest], offset, limit)]
    keys = [prior, *newest]
    if scored is not None and query.terms == (scored.term,):
        # The engine weighed every match while matching: all are ranked.
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
            best = top(rest, [prior[rest], *(k[rest] for k in newest)], 0, room)
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
    order = top(
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
        more = top(others, [prior[others], *(k[others] for k in newest)], 0, need - ranked.size)
        ranked = np.concatenate([ranked, more])
    page: np.ndarray = rows[ranked[offset:need]]
    return page
