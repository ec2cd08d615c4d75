"""Facet filters and counts. Counting is disjunctive: each facet is counted
over the text matches with every *other* facet's filter applied, so the
counts beside a facet say what ticking one more of its values would add.

The facets are those the kinds declare (``registry.facets``), plus the
kind of document itself (``TYPE``). Every declared facet is a set of
entries (``SearchFacetValue``: a tree facet holds every ancestor of an
assigned term, so a parent counts each document of its subtree once).

The search page counts in memory (``memory_counts``) over the whole match
set, no sampling. ``apply_filters`` / ``facet_counts`` are the same rules in
SQL, for the small sets of saved-search alerts and as the reference the
in-memory counts are tested against."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from commonroom.search import registry
from commonroom.search.index_snapshot import KIND_COLUMN, NO_ROWS, Snapshot
from commonroom.search.models import SearchDocument, SearchFacetValue
from commonroom.search.protocol import Facet

FacetKey = int | str


@dataclass(frozen=True)
class KindTerm:
    pk: int
    slug: str
    label: Any


def _kind_terms() -> list[KindTerm]:
    codes = registry.kind_codes()
    return [KindTerm(codes[key], key, kind.label) for key, kind in registry.kinds().items()]


# The kind of document, a facet of every search; the page shows it once
# the index holds documents of two kinds.
TYPE = Facet(name="type", title=_("Type of content"), terms=_kind_terms, keyed_by_slug=True)


def all_facets() -> tuple[Facet, ...]:
    return (TYPE, *registry.facets())


@dataclass(frozen=True)
class Filters:
    """Chosen values per facet: ids, or slugs for facets keyed by slug.
    Values of one facet are alternatives (OR) unless the facet matches all;
    facets combine with AND."""

    values: dict[str, tuple[FacetKey, ...]] = field(default_factory=dict)

    def chosen(self, name: str) -> tuple[FacetKey, ...]:
        return self.values.get(name, ())


def _codes(facet: Facet, chosen: Sequence[FacetKey]) -> list[int]:
    """The stored values of chosen values (slugs for facets keyed by slug)."""
    if not facet.keyed_by_slug:
        return [int(v) for v in chosen]
    by_slug = {t.slug: t.pk for t in facet.terms()}
    return [by_slug[str(v)] for v in chosen if str(v) in by_slug]


def _keys(facet: Facet) -> dict[int, FacetKey]:
    """Stored value -> the key counts use (itself, or the slug)."""
    return {t.pk: t.slug for t in facet.terms()} if facet.keyed_by_slug else {}


def _entries(name: str, values: Sequence[int]) -> QuerySet[SearchFacetValue]:
    return SearchFacetValue.objects.filter(facet=name, value__in=list(values))


def apply_filters(
    documents: QuerySet[SearchDocument], filters: Filters, *, skip: str = ""
) -> QuerySet[SearchDocument]:
    for facet in all_facets():
        chosen = filters.chosen(facet.name)
        if facet.name == skip or not chosen:
            continue
        if facet is TYPE:
            documents = documents.filter(kind__in=[str(v) for v in chosen])
            continue
        codes = _codes(facet, chosen)
        for group in [[c] for c in codes] if facet.match_all else [codes]:
            documents = documents.filter(pk__in=_entries(facet.name, group).values("document_id"))
    return documents


def facet_counts(
    matched: QuerySet[SearchDocument], filters: Filters
) -> dict[str, dict[FacetKey, int]]:
    """Counts per facet value; one query per facet."""
    counts: dict[str, dict[FacetKey, int]] = {}
    for facet in all_facets():
        documents = apply_filters(matched, filters, skip=facet.name)
        if facet is TYPE:
            per_kind = documents.order_by().values("kind").annotate(n=Count("pk"))
            counts[facet.name] = {r["kind"]: r["n"] for r in per_kind}
            continue
        keys = _keys(facet)
        per_value = (
            SearchFacetValue.objects.filter(
                facet=facet.name, document_id__in=documents.values("pk")
            )
            .values("value")
            .annotate(n=Count("document_id"))
            .values_list("value", "n")
        )
        counts[facet.name] = {keys.get(v, v): n for v, n in per_value}
    return counts


def filter_masks(snapshot: Snapshot, filters: Filters) -> dict[str, np.ndarray]:
    """Per chosen facet, the rows it lets through."""
    masks: dict[str, np.ndarray] = {}
    for facet in all_facets():
        chosen = filters.chosen(facet.name)
        if not chosen:
            continue
        codes = _codes(facet, chosen)
        if facet is TYPE:
            masks[facet.name] = np.isin(snapshot.values[KIND_COLUMN], np.array(codes, np.int8))
        elif facet.match_all:
            mask = np.ones(snapshot.size, dtype=np.bool_)
            for code in codes:
                mask &= snapshot.tree_mask(facet.name, [code])
            masks[facet.name] = mask
        else:
            masks[facet.name] = snapshot.tree_mask(facet.name, codes)
    return masks


def combined(base: np.ndarray, masks: dict[str, np.ndarray], *, skip: str = "") -> np.ndarray:
    result = base
    for name, mask in masks.items():
        if name != skip:
            result = result & mask
    return result


def _kind_counts(snapshot: Snapshot, rows: np.ndarray) -> dict[FacetKey, int]:
    """Per kind, how many of ``rows`` (a mask, or row numbers) it holds."""
    keys = {code: key for key, code in registry.kind_codes().items()}
    if snapshot.kinds_present() <= 1:
        # One kind holds every live row: no need to look at the column.
        n = int(rows.size if rows.dtype != np.bool_ else np.count_nonzero(rows))
        live = snapshot.live_kinds()
        return {keys[int(live[0])]: n} if n and live.size and int(live[0]) in keys else {}
    per_code = np.bincount(snapshot.values[KIND_COLUMN][rows].astype(np.intp))
    return {keys[c]: int(per_code[c]) for c in np.flatnonzero(per_code).tolist() if c in keys}


def _counted_by_entries(
    snapshot: Snapshot, facet: str, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The facet's values over a few rows, and how many of them hold each:
    the rows' own entries gathered and counted (``Snapshot.entries_by_row``)."""
    starts, values = snapshot.entries_by_row(facet)
    if rows.size <= FEW_ROWS:
        per_value_of = _few_counts(starts, values, np.concatenate([rows, rows + 1]))
        found_values = sorted(per_value_of)
        return (
            np.array(found_values, dtype=np.int64),
            np.array([per_value_of[v] for v in found_values], dtype=np.int64),
        )
    first, ends = starts[rows], starts[rows + 1]
    lengths = ends - first
    total = int(lengths.sum())
    if not total:
        return NO_ROWS, NO_ROWS
    # Positions first[i] .. ends[i] - 1 of every row, in one vector.
    shift = np.repeat(first - (np.cumsum(lengths) - lengths), lengths)
    per_value = np.bincount(values[np.arange(total) + shift])
    found = np.flatnonzero(per_value)
    return found, per_value[found]


def _few_counts(starts: np.ndarray, values: np.ndarray, bounds_at: np.ndarray) -> dict[int, int]:
    """Per value, how many of a few rows hold it, counted in Python (each
    numpy call costs more than a few rows' entries). ``bounds_at``: the
    rows, then each row + 1 (where their entries start and end)."""
    per_value: dict[int, int] = {}
    if not values.size:
        return per_value
    bounds = starts[bounds_at].tolist()
    n = len(bounds) // 2
    for a, b in zip(bounds[:n], bounds[n:], strict=True):
        for v in values[a:b].tolist():
            per_value[v] = per_value.get(v, 0) + 1
    return per_value


def _counted_over_few(snapshot: Snapshot, rows: np.ndarray) -> dict[str, dict[FacetKey, int]]:
    """``_counted`` over a few rows when no facet is chosen: every facet
    sees the same rows, whose bounds are worked out once, and nothing is
    weighed against the bitmaps (a rare word's counts, 0.23 ms of CPU at
    100,000 resources, were mostly each facet's fixed cost)."""
    bounds_at = np.concatenate([rows, rows + 1])
    counts: dict[str, dict[FacetKey, int]] = {}
    for facet in all_facets():
        if facet is TYPE:
            counts[facet.name] = _kind_counts(snapshot, rows)
            continue
        per_value = _few_counts(*snapshot.entries_by_row(facet.name), bounds_at)
        keys = _keys(facet)
        counts[facet.name] = {keys.get(v, v): per_value[v] for v in sorted(per_value)}
    return counts


# Rows counted in Python rather than with numpy's vector calls.
FEW_ROWS = 32
# Gathering a row's entries and sorting them costs about this many times
# an AND and popcount of 64 rows of one value's bitmap.
ENTRY_COST = 4


def all_counts(snapshot: Snapshot) -> dict[str, dict[FacetKey, int]]:
    """The counts over every live row: the same until the index changes
    (``index_snapshot.VERSION_CACHED``)."""
    counts = snapshot.cache.get("all_counts")
    if counts is None:
        counts = snapshot.cache["all_counts"] = _counted(snapshot, snapshot.alive, {})
    return cast(dict[str, dict[FacetKey, int]], counts)


def memory_counts(
    snapshot: Snapshot,
    base: np.ndarray,
    masks: dict[str, np.ndarray],
    *,
    listed: np.ndarray | None = None,
) -> dict[str, dict[FacetKey, int]]:
    """The counts of ``facet_counts`` over the rows in ``base`` (the text
    matches, live rows only), each facet with the other facets' filters
    applied. Unfiltered matches in most of the index are counted as every
    live row's counts (``all_counts``) less those of the rows they leave
    out: a cost of the smaller part (a word in 90 % of a million resources
    counts 100,000 rows, not 900,000)."""
    if not masks and listed is None:
        outside = snapshot.alive & ~base
        if np.count_nonzero(outside) * 2 < snapshot.size:
            every = all_counts(snapshot)
            less = _counted(snapshot, outside, {})
            return {name: _less(counts, less.get(name, {})) for name, counts in every.items()}
    return _counted(snapshot, base, masks, listed=listed)


def _less(counts: dict[FacetKey, int], less: dict[FacetKey, int]) -> dict[FacetKey, int]:
    """``counts`` less ``less``, without the values left at none."""
    return {key: n - less.get(key, 0) for key, n in counts.items() if n > less.get(key, 0)}


def _counted(
    snapshot: Snapshot,
    base: np.ndarray,
    masks: dict[str, np.ndarray],
    *,
    listed: np.ndarray | None = None,
) -> dict[str, dict[FacetKey, int]]:
    """``memory_counts`` counted over ``base`` itself.

    Only a chosen facet sees rows of its own (every other facet's filter but
    its own); all the others count over the same rows, combined and packed
    once. A facet is counted over its bitmaps (a cost of its number of
    values times the index's size / 64, whatever the match) or, when the
    rows are few, over those rows' own entries (a cost of the match):
    the cheaper of the two, with the same result. ``listed``: the rows of
    ``base`` in order, when the caller has them (a few)."""
    if listed is not None and not masks and listed.size <= FEW_ROWS:
        return _counted_over_few(snapshot, listed)
    counts: dict[str, dict[FacetKey, int]] = {}
    packed: dict[str, np.ndarray] = {}
    lists: dict[str, np.ndarray] = {}
    sizes: dict[str, int] = {}
    everything: list[np.ndarray] = []

    def rows_for(name: str) -> np.ndarray:
        if name in masks:
            return combined(base, masks, skip=name)
        if not everything:
            everything.append(combined(base, masks))
        return everything[0]

    def packed_for(name: str) -> np.ndarray:
        key = name if name in masks else ""
        if key not in packed:
            packed[key] = snapshot.pack(rows_for(name))
        return packed[key]

    def listed_for(name: str) -> np.ndarray:
        key = name if name in masks else ""
        if key not in lists:
            if listed is not None:
                rows = listed
                for other, mask in masks.items():
                    if other != name:
                        rows = rows[mask[rows]]
                lists[key] = rows
            else:
                lists[key] = np.flatnonzero(rows_for(name))
        return lists[key]

    def size_of(name: str) -> int:
        key = name if name in masks else ""
        if key not in sizes:
            if listed is not None:
                sizes[key] = int(listed_for(name).size)
            else:
                sizes[key] = int(np.count_nonzero(rows_for(name)))
        return sizes[key]

    for facet in all_facets():
        if facet is TYPE:
            rows = listed_for(facet.name) if listed is not None else rows_for(facet.name)
            counts[facet.name] = _kind_counts(snapshot, rows)
            continue
        # Per row of the index: its entries (gathered per matching row),
        # and the bitmap words (ANDed per value): compared over the index
        # size, in whole numbers.
        entries = snapshot.entry_values.get(facet.name, NO_ROWS).size
        by_entries = size_of(facet.name) * entries * ENTRY_COST
        by_bitmaps = snapshot.value_count(facet.name) * snapshot.words * snapshot.size
        if by_entries <= by_bitmaps:
            values, per_value = _counted_by_entries(snapshot, facet.name, listed_for(facet.name))
        else:
            values, bits = snapshot.tree_bits(facet.name)
            per_value = np.bitwise_count(bits & packed_for(facet.name)).sum(axis=1, dtype=np.int64)
        keys = _keys(facet)
        counts[facet.name] = {
            keys.get(v, v): n for v, n in zip(values.tolist(), per_value.tolist(), strict=True) if n
        }
    return counts
