"""An in-process, columnar copy of the index's facet and quality columns.

Counting five facets with ``GROUP BY`` over the match set costs about 10 µs
per matching resource on both SQL engines (seconds for a common term at
national scale). Here the engine only matches; filters, disjunctive facet
counts and the quality part of the ranking run over numpy arrays, a few
nanoseconds per resource.

The copy is never stale: every write to the index bumps
``SearchIndexState.version`` in its own transaction and records what it
changed in ``SearchIndexChange``; each search first reads the version (one
small query) and, when it moved, applies the itemised changes (or reloads
everything when the history does not reach back far enough). So a resource
is findable and counted by every web process from the request after the one
that published it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
from django.db import connection

from commonroom.search import registry
from commonroom.search.models import (
    ChangeKind,
    SearchDocument,
    SearchFacetValue,
    SearchIndexChange,
    SearchIndexState,
)
from commonroom.search.ranking import quality_factor
from commonroom.search.sqlarrays import aggregate, fetch_lists, parse_list
from commonroom.search.tokens import TokenMatcher, document_tokens

_NO_ROWS = np.empty(0, dtype=np.int32)
# Rows beyond this many itemised changes are cheaper to reload at once.
MAX_INCREMENTAL = 2_000
# The match sets of frequent words are kept per version (as Solr's filter
# cache does): a word in 20 % of the resources costs the engine tens of
# milliseconds each time, and such words recur in many searches. Only sets of
# at least TERM_CACHE_MIN_SHARE of the index are kept, packed 8 rows a byte,
# within TERM_CACHE_BYTES per process (5,000 words at 100,000 resources, 500
# at a million).
TERM_CACHE_BYTES = 64 * 1024 * 1024
TERM_CACHE_MIN_SHARE = 0.005
TERM_CACHE_MIN_ROWS = 200
STRONG_SHARE_DIVISOR = 8
# The column of each document's kind (``registry.kind_codes``).
KIND_COLUMN = "document_kind"
# What a snapshot derives from its live rows: dropped when one is removed.
VERSION_CACHED = ("all_counts", "kinds")


def _epoch(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"COALESCE(EXTRACT(EPOCH FROM {column}), 0)::float8"
    return f"COALESCE(CAST(strftime('%%s', {column}) AS REAL), 0)"


def _kind_code() -> str:
    """SQL for the number of a document's kind (keys are checked to be
    plain words by the registry)."""
    cases = " ".join(f"WHEN '{key}' THEN {code}" for key, code in registry.kind_codes().items())
    return f"CASE kind {cases} ELSE 0 END" if cases else "0"


# Name here -> (SQL expression, dtype). Missing ratings read as -1 (NaN here).
DOCUMENT_COLUMNS: dict[str, tuple[str, Any]] = {
    "id": ("id", np.int64),
    KIND_COLUMN: ("", np.int8),  # from the registry: _kind_code
    "published": ("", np.float64),  # vendor-specific: _epoch
    "saves": ("saves", np.int32),
    "rating": ("COALESCE(rating_average, -1)", np.float32),
    "ratings": ("rating_count", np.int32),
    "used": ("used_in_class", np.int32),
}


def _document_columns(where: str = "", params: list[Any] | None = None) -> Columns:
    computed = {"published": _epoch("published_at"), KIND_COLUMN: _kind_code()}
    expressions = [
        aggregate(computed.get(name, sql)) for name, (sql, _) in DOCUMENT_COLUMNS.items()
    ]
    table = SearchDocument._meta.db_table
    sql = f"SELECT {', '.join(expressions)} FROM {table} {where}"  # noqa: S608 - names are ours
    arrays = dict(
        zip(
            DOCUMENT_COLUMNS,
            fetch_lists(sql, params or [], [dtype for _, dtype in DOCUMENT_COLUMNS.values()]),
            strict=True,
        )
    )
    ids = arrays.pop("id")
    order = np.argsort(ids, kind="stable")
    return Columns.from_arrays(ids[order], {name: a[order] for name, a in arrays.items()})


def _facet_entries(
    where: str = "", params: list[Any] | None = None
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per facet, (document ids, values) of its entries: one query."""
    table = SearchFacetValue._meta.db_table
    sql = (
        f"SELECT facet, {aggregate('document_id')}, {aggregate('value')} "  # noqa: S608 - ours
        f"FROM {table} {where} GROUP BY facet"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        rows = cursor.fetchall()
    return {
        str(name): (parse_list(documents, np.int64), parse_list(values, np.int32))
        for name, documents, values in rows
    }


def _in_clause(column: str, ids: list[int]) -> tuple[str, list[Any]]:
    return f"WHERE {column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


@dataclass
class Columns:
    """The columns of a set of documents, one row each, ordered by id."""

    ids: np.ndarray
    values: dict[str, np.ndarray]

    @classmethod
    def from_arrays(cls, ids: np.ndarray, raw: dict[str, np.ndarray]) -> Columns:
        rating = raw["rating"].astype(np.float32)
        rating[rating < 0] = np.nan
        values = {**raw, "rating": rating}
        values["quality"] = quality_factor(
            saves=values["saves"], rating=rating, ratings=values["ratings"], used=values["used"]
        )
        return cls(ids=ids, values=values)


@dataclass
class Snapshot:
    """The whole index in memory at one version."""

    version: int
    stamp: str
    ids: np.ndarray  # SearchDocument ids, ascending
    alive: np.ndarray  # False for documents removed since loading
    values: dict[str, np.ndarray]
    # Per facet, one entry per (document, term or ancestor): the row of the
    # document and the term's id.
    entry_rows: dict[str, np.ndarray]
    entry_values: dict[str, np.ndarray]
    _rows_with: dict[tuple[str, int], np.ndarray] = field(default_factory=dict, repr=False)
    # Results that depend on this version only (the empty search's counts).
    cache: dict[str, Any] = field(default_factory=dict, repr=False)

    def kinds_present(self) -> int:
        """How many kinds have live documents (the page offers the kind
        filter from two on)."""
        if "kinds" not in self.cache:
            live = self.values[KIND_COLUMN][self.alive]
            self.cache["kinds"] = int(np.unique(live).size)
        return cast(int, self.cache["kinds"])

    @property
    def size(self) -> int:
        return int(self.ids.size)

    def locate(self, document_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The live rows of these document ids, in their order, and which of
        the ids they are; unknown ids are dropped (a document committed
        after this snapshot's version)."""
        if not self.ids.size or not document_ids.size:
            return np.empty(0, dtype=np.int64), np.zeros(document_ids.size, dtype=np.bool_)
        rows = np.searchsorted(self.ids, document_ids)
        rows[rows >= self.ids.size] = 0
        found = self.ids[rows] == document_ids
        found[found] = self.alive[rows[found]]
        return rows[found], found

    def rows_of(self, document_ids: np.ndarray) -> np.ndarray:
        return self.locate(document_ids)[0]

    def mask_of(self, rows: np.ndarray) -> np.ndarray:
        mask = np.zeros(self.size, dtype=np.bool_)
        mask[rows] = True
        return mask

    def rows_with(self, facet: str, value: int) -> np.ndarray:
        """Rows whose facet holds ``value`` (in a tree: itself or a
        descendant)."""
        key = (facet, value)
        if key not in self._rows_with:
            rows = self.entry_rows.get(facet, _NO_ROWS)
            self._rows_with[key] = rows[self.entry_values.get(facet, _NO_ROWS) == value]
        return self._rows_with[key]

    def cached_term(self, key: tuple[Any, ...]) -> np.ndarray | None:
        """A frequent word's (or phrase's) matching rows as a mask, if kept."""
        with _term_lock:
            terms = self.cache.setdefault("terms", OrderedDict())
            packed = terms.get(key)
            if packed is None:
                return None
            terms.move_to_end(key)
        return np.unpackbits(packed, count=self.size).astype(np.bool_)

    @property
    def frequent(self) -> int:
        """How many matches make a word frequent enough to keep its set."""
        return int(max(TERM_CACHE_MIN_ROWS, self.size * TERM_CACHE_MIN_SHARE))

    def frequent_for(self, *, strong: bool) -> int:
        """The same for a word's set in title and keywords (a *strong* set):
        an eighth of it, as the engine reads those matches again to return
        them (about 10 µs each at a million resources)."""
        if not strong:
            return self.frequent
        return int(max(TERM_CACHE_MIN_ROWS, self.frequent // STRONG_SHARE_DIVISOR))

    def keep_term(self, key: tuple[Any, ...], mask: np.ndarray, *, strong: bool = False) -> None:
        if np.count_nonzero(mask) < self.frequent_for(strong=strong):
            return
        with _term_lock:
            terms = self.cache.setdefault("terms", OrderedDict())
            terms[key] = np.packbits(mask)
            terms.move_to_end(key)
            while len(terms) * (self.size // 8 + 1) > TERM_CACHE_BYTES and len(terms) > 1:
                terms.popitem(last=False)

    def tree_bits(self, facet: str) -> tuple[np.ndarray, np.ndarray]:
        """The facet's values and, per value, a packed bitmap of its rows:
        counting all values over a match set is then one AND and popcount
        over a few megabytes, whatever the size of the match set."""
        key = f"bits:{facet}"
        if key not in self.cache:
            values = np.unique(self.entry_values.get(facet, _NO_ROWS))
            bits = np.zeros((values.size, self.words), dtype=np.uint64)
            for i, value in enumerate(values.tolist()):
                bits[i] = self.pack(self.mask_of(self.rows_with(facet, value)))
            self.cache[key] = (values, bits)
        return cast(tuple[np.ndarray, np.ndarray], self.cache[key])

    @property
    def words(self) -> int:
        """64-bit words in a packed bitmap of the rows."""
        return (self.size + 63) // 64

    def pack(self, mask: np.ndarray) -> np.ndarray:
        """A row mask as 64-bit words (popcounts then run 8 bytes at a time)."""
        packed = np.zeros(self.words * 8, dtype=np.uint8)
        packed[: (self.size + 7) // 8] = np.packbits(mask)
        return packed.view(np.uint64)

    def tree_mask(self, facet: str, values: tuple[int, ...] | list[int]) -> np.ndarray:
        mask = np.zeros(self.size, dtype=np.bool_)
        for value in values:
            mask[self.rows_with(facet, value)] = True
        return mask


def _load(version: int, stamp: str) -> Snapshot:
    columns = _document_columns()
    snapshot = Snapshot(
        version=version,
        stamp=stamp,
        ids=columns.ids,
        alive=np.ones(columns.ids.size, dtype=np.bool_),
        values=columns.values,
        entry_rows={},
        entry_values={},
    )
    _set_entries(snapshot)
    return snapshot


def _set_entries(snapshot: Snapshot, where: str = "", params: list[Any] | None = None) -> None:
    """The facet entries of the documents ``where`` selects."""
    for name, (documents, values) in _facet_entries(where, params).items():
        snapshot.entry_rows[name] = np.searchsorted(snapshot.ids, documents).astype(np.int32)
        snapshot.entry_values[name] = values


def _final_kinds(changes: list[tuple[int, str, str, int]]) -> dict[int, str]:
    """Each document's last change: added then removed is removed."""
    kinds: dict[int, str] = {}
    for _, _, kind, document_id in changes:
        if kind == ChangeKind.UPDATED:
            # An added document is read whole anyway; a removed one stays so.
            kinds.setdefault(document_id, kind)
        else:
            kinds[document_id] = kind
    return kinds


def _apply(snapshot: Snapshot, changes: list[tuple[int, str, str, int]]) -> Snapshot:
    """A new snapshot with the itemised changes applied (idempotent: a
    document already present is not added twice, a missing one is not
    removed)."""
    version, stamp = changes[-1][0], changes[-1][1]
    kinds = _final_kinds(changes)
    alive = snapshot.alive.copy()
    values = {name: array.copy() for name, array in snapshot.values.items()}
    removed = [d for d, kind in kinds.items() if kind == ChangeKind.REMOVED]
    alive[snapshot.rows_of(np.array(removed, dtype=np.int64))] = False
    # Quality updates in place: the row keeps its facets.
    updated = sorted(d for d, kind in kinds.items() if kind == ChangeKind.UPDATED)
    if updated:
        fresh = _document_columns(*_in_clause("id", updated))
        rows = np.searchsorted(snapshot.ids, fresh.ids)
        rows[rows >= snapshot.ids.size] = 0
        keep = snapshot.ids[rows] == fresh.ids
        for name, array in fresh.values.items():
            values[name][rows[keep]] = array[keep]
    wanted = np.array(sorted(d for d, k in kinds.items() if k == ChangeKind.ADDED), dtype=np.int64)
    present = set(snapshot.ids[snapshot.rows_of(wanted)].tolist())
    added = [d for d in wanted.tolist() if d not in present]
    new = _document_columns(*_in_clause("id", added)) if added else None
    if new is None or not new.ids.size:
        # Same rows: what was derived from them still holds (a removed row
        # is masked by ``alive``), except the empty search's counts.
        kept = {k: v for k, v in snapshot.cache.items() if k not in VERSION_CACHED or not removed}
        return Snapshot(
            version=version,
            stamp=stamp,
            ids=snapshot.ids,
            alive=alive,
            values=values,
            entry_rows=snapshot.entry_rows,
            entry_values=snapshot.entry_values,
            _rows_with=snapshot._rows_with,
            cache=kept,
        )
    ids = np.concatenate([snapshot.ids, new.ids])
    order = np.argsort(ids, kind="stable")
    inverse = np.empty_like(order)
    inverse[order] = np.arange(order.size)
    result = Snapshot(
        version=version,
        stamp=stamp,
        ids=ids[order],
        alive=np.concatenate([alive, np.ones(new.ids.size, dtype=np.bool_)])[order],
        values={name: np.concatenate([values[name], new.values[name]])[order] for name in values},
        entry_rows={},
        entry_values={},
    )
    _set_entries(result, *_in_clause("document_id", new.ids.tolist()))
    for name in {*snapshot.entry_rows, *result.entry_rows}:
        # The old entries, renumbered for the new order.
        old_rows = inverse[snapshot.entry_rows.get(name, _NO_ROWS)].astype(np.int32)
        result.entry_rows[name] = np.concatenate([old_rows, result.entry_rows.get(name, _NO_ROWS)])
        result.entry_values[name] = np.concatenate(
            [
                snapshot.entry_values.get(name, _NO_ROWS),
                result.entry_values.get(name, _NO_ROWS),
            ]
        )
    if snapshot.cache.get("terms"):
        result.cache["terms"] = _extended_terms(snapshot, new.ids, order)
    return result


# Cached words carried over a publication, most recently used first: each
# costs an unpack and repack of its bitmap.
MAX_CARRIED_TERMS = 500


def _extended_terms(
    snapshot: Snapshot, added: np.ndarray, order: np.ndarray
) -> OrderedDict[tuple[Any, ...], np.ndarray]:
    """The cached words' match sets with the added documents matched here,
    on their stemmed fields, as the engines match them (a word is a token; a
    prefix starts one; a phrase is consecutive tokens within one field; a
    strong set looks at title and keywords only), so a publication does not
    empty the cache."""
    matcher = TokenMatcher(document_tokens(added.tolist()))
    with _term_lock:
        carried = list(snapshot.cache["terms"].items())[-MAX_CARRIED_TERMS:]
    # New documents usually have the highest ids: the rows keep their order.
    in_order = bool(np.array_equal(order, np.arange(order.size)))
    terms: OrderedDict[tuple[Any, ...], np.ndarray] = OrderedDict()
    for key, packed in carried:
        stems, prefix, strong = key
        extra = matcher.matches(stems, prefix, strong=strong)
        mask = np.concatenate([np.unpackbits(packed, count=snapshot.size).astype(np.bool_), extra])
        terms[key] = np.packbits(mask if in_order else mask[order])
    return terms


_lock = threading.Lock()
_term_lock = threading.Lock()
_current: Snapshot | None = None


def current_version() -> tuple[int, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT version, stamp FROM {SearchIndexState._meta.db_table} WHERE id = 1"  # noqa: S608
        )
        row = cursor.fetchone()
    return (int(row[0]), str(row[1])) if row else (0, "")


def snapshot() -> Snapshot:
    """The index in memory at the version now committed (one query when
    nothing changed)."""
    global _current
    version, stamp = current_version()
    cached = _current
    if cached is not None and (cached.version, cached.stamp) == (version, stamp):
        return cached
    with _lock:
        cached = _current
        if cached is not None and (cached.version, cached.stamp) == (version, stamp):
            return cached
        fresh = _catch_up(cached, version, stamp)
        _current = fresh
        return fresh


def latest() -> Snapshot:
    """This process's copy as last brought up to date (in a search, at the
    version the search started from), without asking for the version."""
    return _current or snapshot()


def _catch_up(cached: Snapshot | None, version: int, stamp: str) -> Snapshot:
    if cached is not None and 0 < cached.version < version:
        changes = list(
            SearchIndexChange.objects.filter(version__gte=cached.version, version__lte=version)
            .order_by("version", "pk")
            .values_list("version", "stamp", "kind", "document_id")[: MAX_INCREMENTAL + 1]
        )
        versions = {v: s for v, s, _, _ in changes}
        reaches_back = versions.get(cached.version) == cached.stamp
        complete = len(versions) == version - cached.version + 1 and versions.get(version) == stamp
        later = [c for c in changes if c[0] > cached.version]
        if reaches_back and complete and len(changes) <= MAX_INCREMENTAL and later:
            return _apply(cached, later)
    return _load(version, stamp)


def forget() -> None:
    """Drop this process's copy (tests, and after a bulk load in-process)."""
    global _current
    with _lock:
        _current = None
