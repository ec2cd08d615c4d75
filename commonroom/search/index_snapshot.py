"""One version of the search index in memory: per document its facet and
quality columns as numpy arrays, per facet its entries, and the caches that
depend on that version only (the empty search's counts, the match sets of
frequent words, the facets' bitmaps). memory.py keeps this process's
current copy; snapshot_loading.py reads one from the database."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np

NO_ROWS = np.empty(0, dtype=np.int32)
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
# Guards the word caches, which searches in other threads read and fill.
term_lock = threading.Lock()


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

    def live_kinds(self) -> np.ndarray:
        """The kind codes of the live documents, ascending (once per
        version: gathering the column costs a fifth of a millisecond at
        100,000 documents)."""
        if "kinds" not in self.cache:
            self.cache["kinds"] = np.unique(self.values[KIND_COLUMN][self.alive])
        return cast(np.ndarray, self.cache["kinds"])

    def kinds_present(self) -> int:
        """How many kinds have live documents (the page offers the kind
        filter from two on)."""
        return int(self.live_kinds().size)

    def contiguous_from(self) -> int | None:
        """The first id when the ids are that one and every next one (no
        gaps): then a bitmap over ids is sliced rather than gathered."""
        if "contiguous_from" not in self.cache:
            whole = bool(self.size) and int(self.ids[-1]) - int(self.ids[0]) + 1 == self.size
            self.cache["contiguous_from"] = int(self.ids[0]) if whole else None
        return cast(int | None, self.cache["contiguous_from"])

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
            rows = self.entry_rows.get(facet, NO_ROWS)
            self._rows_with[key] = rows[self.entry_values.get(facet, NO_ROWS) == value]
        return self._rows_with[key]

    def cached_term(self, key: tuple[Any, ...]) -> np.ndarray | None:
        """A frequent word's (or phrase's) matching rows as a mask, if kept."""
        with term_lock:
            terms = self.cache.setdefault("terms", OrderedDict())
            packed = terms.get(key)
            if packed is None:
                return None
            terms.move_to_end(key)
        return np.unpackbits(packed, count=self.size).view(np.bool_)  # 0/1 bytes: no copy

    def holds_term(self, key: tuple[Any, ...]) -> bool:
        """Whether a word's (or phrase's) matching rows are kept."""
        with term_lock:
            return key in self.cache.get("terms", ())

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
        with term_lock:
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
            values = np.unique(self.entry_values.get(facet, NO_ROWS))
            bits = np.zeros((values.size, self.words), dtype=np.uint64)
            for i, value in enumerate(values.tolist()):
                bits[i] = self.pack(self.mask_of(self.rows_with(facet, value)))
            self.cache[key] = (values, bits)
        return cast(tuple[np.ndarray, np.ndarray], self.cache[key])

    def value_count(self, facet: str) -> int:
        """How many distinct values the facet's entries hold."""
        key = f"values:{facet}"
        if key not in self.cache:
            self.cache[key] = int(np.unique(self.entry_values.get(facet, NO_ROWS)).size)
        return cast(int, self.cache[key])

    def entries_by_row(self, facet: str) -> tuple[np.ndarray, np.ndarray]:
        """The facet's entries ordered by row: ``values[starts[r]:starts[r + 1]]``
        are row ``r``'s values (counting a few rows then reads only theirs)."""
        key = f"entries:{facet}"
        if key not in self.cache:
            rows = self.entry_rows.get(facet, NO_ROWS)
            values = self.entry_values.get(facet, NO_ROWS)
            # Entries are read by document and new documents come last:
            # usually in order already, and then not sorted again.
            if rows.size > 1 and not bool(np.all(rows[:-1] <= rows[1:])):
                order = np.argsort(rows, kind="stable")
                rows, values = rows[order], values[order]
            starts = np.searchsorted(rows, np.arange(self.size + 1))
            self.cache[key] = (starts, values)
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
