"""The match sets of frequent words, prefixes and phrases, shared by every
web process through the database (``SearchTermSet``).

Each process keeps frequent sets in memory (``index_snapshot.Snapshot.keep_term``),
but the first search for a word in 70 % of a million resources costs the
engine about a second (PostgreSQL reads every matching row of its match
table to return the ids). Here such a set is computed once for all
processes, kept as a compressed bitmap over document ids, and filled ahead
by a scheduled task for every frequent word, 4-character prefix and
two-word phrase of the index (``term_sets_refresh``), so no search pays
that first pass.

Beside each word's set, the set of resources with the word in their title
or keywords (a *strong* set, key prefix ``s``) is kept the same way: a
search with more matches than it ranks starts from those
(``ordering.by_relevance``), and for a common word at national scale
they are tens of thousands of rows the engine would read again.

A stored set is exact at its index ``version``. A reader at a later
version matches the documents added since then itself, on their stemmed
fields (``tokens.has_term``, as the engines match), when the change history
reaches back to it; a removed document is masked by the snapshot's
``alive`` column. Otherwise the set is not used and the engine matches.
"""

from __future__ import annotations

import logging
import threading
import zlib
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from django.db import DatabaseError, transaction
from django.utils import timezone

from commonroom.core.db_router import read_connection
from commonroom.search import memory, tokens
from commonroom.search.backends import get_backend
from commonroom.search.index_snapshot import Snapshot
from commonroom.search.models import ChangeKind, SearchIndexChange, SearchTermSet
from commonroom.search.query import ParsedQuery, Term, prefix_stem

logger = logging.getLogger(__name__)

# The prefixes filled ahead: the shortest the search box expands (issue 5:
# prefix matching from 4 characters) are the costliest to match.
PREFILL_PREFIX_CHARS = 4
# A set further behind than this many changes is computed again.
MAX_ROLL_FORWARD = memory.MAX_INCREMENTAL
# The hourly refresh rewrites a stored set once this many documents were
# added after it; until then readers match those few themselves.
REWRITE_AFTER_ADDED = 200
# A set with weights (``term_weights.py``) is rewritten sooner, once a
# thousandth of the index was added after it, where the weights move with
# the index (bm25's average document length is in each of them).
WEIGHTS_REWRITE_SHARE = 0.001
# Keys per UPDATE or DELETE of many sets (within SQLite's variable limit).
BATCH_KEYS = 500


STRONG = "s"


def term_key(term: Term, *, strong: bool = False) -> str:
    scope = STRONG if strong else ""
    return scope + ("p:" if term.prefix else "w:") + " ".join(term.stems)


def _term_of(key: str) -> tuple[Term, bool]:
    """The term of a key, and whether its set is the strong one."""
    kind, _, text = key.partition(":")
    return Term(stems=tuple(text.split()), prefix=kind.endswith("p")), kind.startswith(STRONG)


def encode(snapshot: Snapshot, mask: np.ndarray) -> bytes:
    """A packed, compressed bitmap over document ids of the live rows set."""
    ids = snapshot.ids[mask & snapshot.alive]
    by_id = np.zeros(int(snapshot.ids[-1]) + 1 if snapshot.size else 0, dtype=np.bool_)
    by_id[ids] = True
    return zlib.compress(np.packbits(by_id).tobytes(), 1)


def unpacked(bits: bytes) -> np.ndarray:
    """A stored bitmap as one bool per document id (a view, no copy)."""
    packed = np.frombuffer(zlib.decompress(bits), dtype=np.uint8)
    return np.unpackbits(packed).view(np.bool_)


def decode(snapshot: Snapshot, bits: bytes) -> np.ndarray:
    """The snapshot's rows whose document id is set in ``bits``."""
    return rows_set(snapshot, unpacked(bits))


def rows_set(snapshot: Snapshot, by_id: np.ndarray) -> np.ndarray:
    """The snapshot's rows whose document id is set in ``by_id``."""
    if snapshot.size and snapshot.ids[-1] < by_id.size:
        first = snapshot.contiguous_from()
        if first is not None:  # ids first, first + 1, …: a slice, not a gather
            return by_id[first : first + snapshot.size].copy()
        return by_id[snapshot.ids]  # ids ascending: every one is covered
    mask = np.zeros(snapshot.size, dtype=np.bool_)
    known = snapshot.ids < by_id.size
    mask[known] = by_id[snapshot.ids[known]]
    return mask


def stored_keys(snapshot: Snapshot) -> set[str]:
    """Keys of the stored sets, read once per index version (so a search
    asks for a set only when there is one)."""
    keys = snapshot.cache.get("stored_keys")
    if keys is None:
        keys = snapshot.cache["stored_keys"] = set(
            SearchTermSet.objects.values_list("key", flat=True)
        )
    return keys


@dataclass(frozen=True)
class Additions:
    """What changed in the index after a stored set's version: the rows of
    the documents added since (a matcher over their fields beside them),
    and whether any document was removed."""

    rows: np.ndarray
    matcher: tokens.TokenMatcher
    removals: bool

    def matches(self, term: Term, *, strong: bool) -> np.ndarray:
        return self.matcher.matches(term.stems, term.prefix, strong=strong)


def additions_since(snapshot: Snapshot, version: int) -> Additions | None:
    """The changes from ``version`` up to the snapshot's; None when the
    history of changes does not cover every version in between."""
    until = snapshot.version
    changes = []
    if until > version:
        changes = list(
            SearchIndexChange.objects.filter(version__gt=version, version__lte=until)
            .order_by()
            .values_list("version", "kind", "document_id")[: MAX_ROLL_FORWARD + 1]
        )
        if len(changes) > MAX_ROLL_FORWARD or len({v for v, _, _ in changes}) != until - version:
            return None
    added = np.array(
        sorted({d for _, kind, d in changes if kind == ChangeKind.ADDED}), dtype=np.int64
    )
    rows, found = snapshot.locate(added)
    return Additions(
        rows=rows,
        matcher=tokens.TokenMatcher(tokens.document_tokens(added[found].tolist())),
        removals=any(kind == ChangeKind.REMOVED for _, kind, _ in changes),
    )


def roll_forward(
    snapshot: Snapshot,
    term: Term,
    mask: np.ndarray,
    version: int,
    *,
    strong: bool = False,
    additions: Callable[[int], Additions | None] | None = None,
) -> np.ndarray | None:
    """A set exact at ``version``, brought to the snapshot's version; None
    when the history does not reach back. ``additions`` gives the changes
    since a version (the refresh shares them among all its sets)."""
    since = additions(version) if additions else additions_since(snapshot, version)
    if since is None:
        return None
    if since.rows.size:
        mask = mask.copy()
        mask[since.rows] = since.matches(term, strong=strong)
    return mask


def is_stored(snapshot: Snapshot, term: Term, *, strong: bool = False) -> bool:
    """Whether a set of ``term`` is stored (without reading it)."""
    if snapshot.size < snapshot.frequent_for(strong=strong):
        return False
    return term_key(term, strong=strong) in stored_keys(snapshot)


@dataclass(frozen=True)
class StoredRow:
    """A stored set as read: its version, one bool per document id, and
    its documents' encoded weights (None for a set without)."""

    version: int
    stamp: str
    by_id: np.ndarray
    weights: bytes | None

    def weighed(self) -> tuple[np.ndarray, np.ndarray] | None:
        """The document ids (ascending) and their weights; None if the
        two disagree."""
        if self.weights is None:
            return None
        ids = np.flatnonzero(self.by_id).astype(np.int64)
        values = np.frombuffer(zlib.decompress(self.weights), dtype="<f4")
        return (ids, values) if values.size == ids.size else None


# A search reads a frequent word's set, then (ranking) its weights from the
# same row: the row read for the set is kept for that second use, so the
# row (up to a megabyte with its weights at a million resources) is read
# and unpacked once. Only the last few rows are kept, per index version.
READ_AHEAD_ROWS = 4


def stored_row(snapshot: Snapshot, key: str) -> StoredRow | None:
    """The stored set of ``key``, unpacked; a row a search has just read
    for its set (``load``) is taken as it is instead of read again."""
    with _read_ahead_lock:
        ahead: OrderedDict[str, StoredRow] = snapshot.cache.setdefault("read_ahead", OrderedDict())
        row = ahead.pop(key, None)
    if row is not None:
        return row
    if key not in stored_keys(snapshot):
        return None
    # Plain SQL: the ORM takes longer writing this query than the database
    # answering it (issue 15, item 3).
    with read_connection().cursor() as cursor:
        cursor.execute(
            f"SELECT version, stamp, bits, weights FROM {SearchTermSet._meta.db_table} "  # noqa: S608
            "WHERE key = %s",
            [key],
        )
        found = cursor.fetchone()
    if found is None:
        return None
    version, stamp, bits, weights = found
    return StoredRow(
        int(version),
        str(stamp),
        unpacked(bytes(bits)),
        bytes(weights) if weights is not None else None,
    )


def _read_ahead(snapshot: Snapshot, key: str, row: StoredRow) -> None:
    with _read_ahead_lock:
        ahead: OrderedDict[str, StoredRow] = snapshot.cache.setdefault("read_ahead", OrderedDict())
        ahead[key] = row
        while len(ahead) > READ_AHEAD_ROWS:
            ahead.popitem(last=False)


_read_ahead_lock = threading.Lock()


def load(
    snapshot: Snapshot,
    term: Term,
    *,
    strong: bool = False,
    additions: Callable[[int], Additions | None] | None = None,
) -> np.ndarray | None:
    """The stored set of ``term`` at the snapshot's version, if one is
    stored and can be brought up to it. A set with weights is kept for the
    search's ranking to take (``stored_row``)."""
    if snapshot.size < snapshot.frequent_for(strong=strong):
        return None  # no set of so small an index is stored
    key = term_key(term, strong=strong)
    row = stored_row(snapshot, key)
    if row is None:
        return None
    if row.weights is not None:
        _read_ahead(snapshot, key, row)
    return roll_forward(
        snapshot,
        term,
        rows_set(snapshot, row.by_id),
        row.version,
        strong=strong,
        additions=additions,
    )


def store(
    snapshot: Snapshot,
    term: Term,
    mask: np.ndarray,
    *,
    strong: bool = False,
    weights: bytes | None = None,
) -> None:
    """Share a frequent set with the other processes, with its documents'
    weights where given (``term_weights.py``). A cache: when the database
    refuses the write (a read-only replica, a locked SQLite file), the
    search goes on."""
    count = int(np.count_nonzero(mask & snapshot.alive))
    if count < snapshot.frequent_for(strong=strong):
        return
    key = term_key(term, strong=strong)
    try:
        with transaction.atomic():
            SearchTermSet.objects.bulk_create(
                [
                    SearchTermSet(
                        key=key,
                        version=snapshot.version,
                        stamp=snapshot.stamp,
                        documents=count,
                        bits=encode(snapshot, mask),
                        weights=weights,
                        computed_at=timezone.now(),
                    )
                ],
                update_conflicts=True,
                unique_fields=["key"],
                update_fields=["version", "stamp", "documents", "bits", "weights", "computed_at"],
            )
    except DatabaseError:
        logger.warning("Could not store the match set of %r", key, exc_info=True)
        return
    stored_keys(snapshot).add(key)


def weighable(term: Term, *, strong: bool = False) -> bool:
    """Whether the set of ``term`` keeps its documents' weights: a word,
    prefix or phrase anywhere, where the engine's relevance adds up over
    terms (``term_weights.py``)."""
    return not strong and get_backend().weighed_words > 0


def encode_weights(weights: np.ndarray) -> bytes:
    return zlib.compress(np.ascontiguousarray(weights, dtype="<f4").tobytes(), 1)


def weights_at(ids: np.ndarray, weights: np.ndarray, wanted: np.ndarray) -> np.ndarray | None:
    """The weights of the ``wanted`` ids, from ``ids`` (ascending) and
    their ``weights``; None if one of them is missing."""
    if not wanted.size:
        return np.empty(0, dtype=np.float32)
    if not ids.size:
        return None
    positions = np.searchsorted(ids, wanted)
    positions[positions >= ids.size] = 0
    if not np.array_equal(ids[positions], wanted):
        return None
    found: np.ndarray = weights[positions]
    return found


def aligned_weights(
    snapshot: Snapshot, mask: np.ndarray, ids: np.ndarray, weights: np.ndarray
) -> np.ndarray | None:
    """The weights of the documents ``encode`` stores for ``mask`` (its
    live rows' ids, ascending), from the engine's ``ids`` (ascending) and
    ``weights``; None if the engine did not weigh one of them."""
    found = weights_at(ids, weights, snapshot.ids[mask & snapshot.alive])
    return None if found is None else found.astype(np.float32)


def engine_weighed(snapshot: Snapshot, term: Term) -> tuple[np.ndarray, bytes | None]:
    """The term's rows (anywhere) as the engine matches them, with their
    encoded weights (None where the engine gives none)."""
    found = get_backend().term_weights(Term(term.stems, term.prefix))
    if found is None:
        return engine_mask(snapshot, term), None
    ids, weights = found
    mask = snapshot.mask_of(snapshot.rows_of(ids))
    kept = aligned_weights(snapshot, mask, ids, weights)
    return mask, encode_weights(kept) if kept is not None else None


def engine_mask(snapshot: Snapshot, term: Term, *, strong: bool = False) -> np.ndarray:
    """The term's rows as the engine matches them: anywhere, or (strong) in
    title or keywords."""
    alone = ParsedQuery(terms=(Term(term.stems, term.prefix),))
    backend = get_backend()
    ids = backend.strong_ids(alone) if strong else backend.matching(alone)[0]
    return snapshot.mask_of(snapshot.rows_of(ids))


def wanted_keys(frequencies: dict[str, int], threshold: int, *, strong: bool = False) -> list[str]:
    """From the indexed words and their document counts: the words in at
    least ``threshold`` documents, and the prefixes a search for the first
    PREFILL_PREFIX_CHARS letters of a longer word looks for
    (``query.prefix_stem``) whose words together are in at least as many
    (an upper bound: the refresh drops a set that turns out smaller)."""
    scope = STRONG if strong else ""
    words = sorted(frequencies)
    running = np.concatenate([[0], np.cumsum([frequencies[w] for w in words])])
    prefixes = []
    for prefix in sorted(
        {prefix_stem(w[:PREFILL_PREFIX_CHARS]) for w in words if len(w) > PREFILL_PREFIX_CHARS}
    ):
        first = bisect_left(words, prefix)
        last = bisect_left(words, prefix + "\U0010ffff")
        if running[last] - running[first] >= threshold:
            prefixes.append(prefix)
    frequent = [w for w in words if frequencies[w] >= threshold]
    return [f"{scope}w:{w}" for w in frequent] + [f"{scope}p:{p}" for p in prefixes]


def phrase_keys(
    pair_frequencies: dict[str, int], threshold: int, *, strong: bool = False
) -> list[str]:
    """The two-word phrases in at least ``threshold`` documents, from the
    pair index's own counts (a pair token ``a_b`` is the phrase "a b")."""
    scope = STRONG if strong else ""
    return [
        f"{scope}w:{token.replace('_', ' ')}"
        for token, count in sorted(pair_frequencies.items())
        if count >= threshold and token.count("_") == 1
    ]


def term_sets_refresh(*, progress: Callable[[int, int], None] | None = None) -> int:
    """Fill the store ahead and bring every stored set to the current
    version: the frequent words, prefixes and two-word phrases of the index,
    anywhere and in title or keywords, are computed (or rolled forward when
    stored), sets no longer frequent are dropped.
    Returns the number of sets stored; ``progress(done, total)`` is called
    per set. Hourly (``core.scheduler``), and after a rebuild."""
    memory.forget()
    snapshot = memory.snapshot()
    backend = get_backend()
    wanted = []
    for strong in (False, True):
        threshold = snapshot.frequent_for(strong=strong)
        wanted += wanted_keys(backend.term_frequencies(1, strong=strong), threshold, strong=strong)
        wanted += phrase_keys(
            backend.pair_frequencies(threshold, strong=strong), threshold, strong=strong
        )
    stored = {
        key: (version, documents)
        for key, version, documents in SearchTermSet.objects.values_list(
            "key", "version", "documents"
        )
    }
    unweighed = set(
        SearchTermSet.objects.filter(weights__isnull=True).values_list("key", flat=True)
    )
    # Sets stored at the same version are caught up together, over the
    # changes since it read once (and only one version's kept at a time).
    keys = sorted(
        set(wanted) | set(stored), key=lambda k: (stored.get(k, (snapshot.version, 0))[0], k)
    )
    versions = {version for version, _ in stored.values()}
    fresh_enough = _fresh_enough(snapshot.version, versions, REWRITE_AFTER_ADDED)
    weights_fresh = _fresh_enough(
        snapshot.version,
        versions,
        min(REWRITE_AFTER_ADDED, max(1, int(snapshot.size * WEIGHTS_REWRITE_SHARE)))
        if backend.weights_drift
        else REWRITE_AFTER_ADDED,
    )
    additions = lru_cache(maxsize=1)(lambda version: additions_since(snapshot, version))
    untouched: dict[int, list[str]] = {}
    dropped: list[str] = []
    kept = 0
    for done, key in enumerate(keys, start=1):
        if progress:
            progress(done, len(keys))
        term, strong = _term_of(key)
        # A word's weights are computed whole, with its set (one engine pass).
        weigh = weighable(term, strong=strong)
        mask, weights = None, None
        if key in stored and not (weigh and key in unweighed):
            version, documents = stored[key]
            if version in (weights_fresh if weigh else fresh_enough):
                kept += 1
                continue
            since = additions(version)
            if (
                since is not None
                and not since.removals
                and not since.matches(term, strong=strong).any()
            ):
                # No change since touched the set: it is exact as stored
                # (weights too: the IDF part is computed when searching).
                if documents < snapshot.frequent_for(strong=strong):
                    dropped.append(key)  # the index grew past it
                else:
                    untouched.setdefault(version, []).append(key)
                    kept += 1
                continue
            if not weigh:
                mask = load(snapshot, term, strong=strong, additions=additions)
        if weigh:
            mask, weights = engine_weighed(snapshot, term)
        elif mask is None:
            mask = engine_mask(snapshot, term, strong=strong)
        if np.count_nonzero(mask & snapshot.alive) < snapshot.frequent_for(strong=strong):
            dropped.append(key)
            continue
        store(snapshot, term, mask, strong=strong, weights=weights)
        kept += 1
    _move_on(snapshot, untouched)
    for start in range(0, len(dropped), BATCH_KEYS):
        SearchTermSet.objects.filter(key__in=dropped[start : start + BATCH_KEYS]).delete()
    return kept


def _move_on(snapshot: Snapshot, untouched: dict[int, list[str]]) -> None:
    """Stored sets that no change since their version touched (no document
    added since holds the term, none was removed) are exact at the current
    version as they are: only their version is written. A set a search
    rewrote meanwhile has another version and is left alone."""
    now = timezone.now()
    for version, keys in untouched.items():
        for start in range(0, len(keys), BATCH_KEYS):
            SearchTermSet.objects.filter(
                key__in=keys[start : start + BATCH_KEYS], version=version
            ).update(version=snapshot.version, stamp=snapshot.stamp, computed_at=now)


def _fresh_enough(current: int, versions: set[int], limit: int) -> set[int]:
    """The stored versions a reader can still bring up to ``current`` with
    fewer than ``limit`` documents to match itself: sets stored
    at them are left as they are (rewriting every set each hour would
    write hundreds of megabytes at national scale)."""
    if not versions:
        return set()
    oldest = min(versions)
    changes = list(
        SearchIndexChange.objects.filter(version__gt=oldest, version__lte=current)
        .order_by()
        .values_list("version", "kind")
    )
    seen = np.unique(np.array([v for v, _ in changes], dtype=np.int64))
    added = np.sort(np.array([v for v, k in changes if k == ChangeKind.ADDED], dtype=np.int64))
    fresh = set()
    for version in versions:
        later = seen.size - np.searchsorted(seen, version, side="right")
        complete = version <= current and later == current - version
        if complete and added.size - np.searchsorted(added, version, side="right") < limit:
            fresh.add(version)
    return fresh
