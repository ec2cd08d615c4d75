"""Frequent words ranked in memory (issue 15, item 3).

Where the engine's relevance of a query is a sum over its words of
``idf(word) × weight(document, word)`` (SQLite FTS5's bm25; on PostgreSQL
the sum of each word's ts_rank_cd, the sum of its occurrences' field
weights, with no IDF; ``SearchBackend.term_weights``), each frequent word's
and phrase's weights (from the match or the pair index, whichever ranks
it) are kept beside its match set (``SearchTermSet.weights``, filled by the hourly
``term_sets_refresh``): a search of frequent words then ranks every one of
its matches from memory, exactly as the engine would, instead of asking
the engine for bm25 document by document (about 3 µs each, 20 ms for a
word in a fifth of 100,000 resources, where tantivy needs 3 ms).

Weights are kept per process by document id, at the index version they
were computed for, and brought up to a later version by asking the engine
for the few documents added since that match the word. The IDF part is
computed at search time from the word's current number of matches, so a
stored weight stays exact while the index grows but for bm25's average
document length (ts_rank_cd's never move): the weights of documents indexed before an addition are
off by its change until the hourly refresh rewrites the set, once a
thousandth of the index was added (``termsets.WEIGHTS_REWRITE_SHARE``: a
change of well under one part in a thousand at 100,000 resources).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from commonroom.search import termsets
from commonroom.search.backends.base import SearchBackend
from commonroom.search.index_snapshot import Snapshot
from commonroom.search.query import ParsedQuery, Term

# Weights kept per process: 12 bytes per (document, word), so about five
# million of them (the frequent words of 100,000 resources, or the most
# searched of a million).
CACHE_BYTES = 64 * 1024 * 1024

_lock = threading.Lock()
_cache: OrderedDict[str, TermWeights] = OrderedDict()
_cached_bytes = 0


# A word in at least a third of the document ids also keeps its weights
# by document id: a search then gathers them (about 1 ms for 500,000
# matches at a million resources) instead of looking each one up in the
# sorted ids (9 ms), for at most 4 bytes per id more.
DENSE_SHARE = 3


@dataclass(frozen=True)
class TermWeights:
    """One word's weights at an index version: per matching document id
    (ascending), its weight; for a word in many documents also by id
    (``by_id``, NaN where the word is not)."""

    version: int
    stamp: str
    ids: np.ndarray
    weights: np.ndarray
    by_id: np.ndarray | None = None

    @classmethod
    def of(cls, version: int, stamp: str, ids: np.ndarray, weights: np.ndarray) -> TermWeights:
        by_id = None
        if ids.size and ids.size * DENSE_SHARE >= int(ids[-1]) + 1:
            by_id = np.full(int(ids[-1]) + 1, np.nan, dtype=np.float32)
            by_id[ids] = weights
        return cls(version, stamp, ids, weights, by_id)

    @property
    def nbytes(self) -> int:
        dense = self.by_id.nbytes if self.by_id is not None else 0
        return int(self.ids.nbytes + self.weights.nbytes + dense)

    def at(self, document_ids: np.ndarray) -> np.ndarray | None:
        """The weights of these documents; None if one is missing."""
        if self.by_id is None or not document_ids.size:
            return termsets.weights_at(self.ids, self.weights, document_ids)
        if int(document_ids.max()) >= self.by_id.size:
            return None
        found: np.ndarray = self.by_id[document_ids]
        return None if np.isnan(found).any() else found


def forget() -> None:
    """Drop this process's weights (tests: each rolls its index back)."""
    global _cached_bytes
    with _lock:
        _cache.clear()
        _cached_bytes = 0


def _keep(key: str, entry: TermWeights) -> None:
    global _cached_bytes
    with _lock:
        old = _cache.pop(key, None)
        if old is not None:
            _cached_bytes -= old.nbytes
        _cache[key] = entry
        _cached_bytes += entry.nbytes
        while _cached_bytes > CACHE_BYTES and len(_cache) > 1:
            _, dropped = _cache.popitem(last=False)
            _cached_bytes -= dropped.nbytes


def _drop(key: str) -> None:
    global _cached_bytes
    with _lock:
        old = _cache.pop(key, None)
        if old is not None:
            _cached_bytes -= old.nbytes


def _cached(key: str) -> TermWeights | None:
    with _lock:
        entry = _cache.get(key)
        if entry is not None:
            _cache.move_to_end(key)
        return entry


def _stored(snapshot: Snapshot, key: str) -> TermWeights | None:
    row = termsets.stored_row(snapshot, key)
    decoded = row.weighed() if row is not None else None
    if row is None or decoded is None:
        return None
    return TermWeights.of(row.version, row.stamp, *decoded)


def _brought_up(
    snapshot: Snapshot, backend: SearchBackend, term: Term, entry: TermWeights, matches: int
) -> TermWeights | None:
    """``entry`` at the snapshot's version: the documents added since that
    match the word weighed by the engine (a changed document is added
    again, so its new weight replaces the old). A removed document keeps
    its weight: no live row asks for it."""
    if entry.version == snapshot.version:
        return entry if entry.stamp == snapshot.stamp else None
    if entry.version > snapshot.version:
        return None  # this process is behind: the engine ranks meanwhile
    since = termsets.additions_since(snapshot, entry.version)
    if since is None:
        return None
    ids, weights = entry.ids, entry.weights
    if since.rows.size:
        added = snapshot.ids[since.rows[since.matches(term, strong=False)]]
        if added.size:
            fresh = backend.term_weights(term, added, matches=matches)
            if fresh is None:
                return None
            keep = ~np.isin(ids, snapshot.ids[since.rows])
            ids = np.concatenate([ids[keep], fresh[0]])
            weights = np.concatenate([weights[keep], fresh[1].astype(np.float32)])
            order = np.argsort(ids, kind="stable")
            ids, weights = ids[order], weights[order]
    return TermWeights.of(snapshot.version, snapshot.stamp, ids, weights)


def weights_of(
    snapshot: Snapshot, backend: SearchBackend, term: Term, matches: int
) -> TermWeights | None:
    """The word's weights at the snapshot's version, if kept here or stored
    for all processes; ``matches``: its live matches now."""
    key = termsets.term_key(Term(term.stems, term.prefix))
    entry = _cached(key) or _stored(snapshot, key)
    if entry is None:
        return None
    current = _brought_up(snapshot, backend, term, entry, matches)
    if current is None:
        _drop(key)
        return None
    if current is not _cached(key):
        _keep(key, current)
    return current


def relevance(
    snapshot: Snapshot,
    backend: SearchBackend,
    query: ParsedQuery,
    rows: np.ndarray,
    counts: dict[Term, int],
) -> np.ndarray | None:
    """The engine's relevance of ``query`` for these matching rows, from the
    words' weights; None unless every positive word has them (the engine
    ranks then)."""
    terms = query.positive
    if not terms or len(terms) > backend.weighed_words or any(t not in counts for t in terms):
        return None
    document_ids = snapshot.ids[rows]
    parts = []
    for term in terms:
        kept = weights_of(snapshot, backend, term, counts[term])
        if kept is None:
            return None
        part = kept.at(document_ids)
        if part is None:
            return None
        parts.append(part)
    return backend.relevance_of_weights(list(terms), parts, [counts[t] for t in terms])
