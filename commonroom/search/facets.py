"""Facet filters and counts. Counting is disjunctive: each facet is counted
over the text matches with every *other* facet's filter applied, so the
counts beside a facet say what ticking one more of its values would add.

The search page counts in memory (``memory_counts``) over the whole match
set, no sampling: tree facets through their entries, which hold every
ancestor of an assigned term, so a parent counts each document of its
subtree once. ``apply_filters`` / ``facet_counts`` are the same rules in SQL,
for the small sets of saved-search alerts and as the reference the
in-memory counts are tested against."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count, Q, QuerySet

from commonroom.search.memory import Snapshot
from commonroom.search.models import Facet, SearchDocument, SearchFacetValue

# Multi-valued facets counted through SearchFacetValue; subjects and levels
# are trees (a value with every ancestor), curriculum goals a flat list.
TREE_FACETS = {"subject": Facet.SUBJECT, "level": Facet.LEVEL, "goal": Facet.GOAL}
COLUMN_FACETS = {"kind": "kind_id", "language": "language_id", "licence": "licence_id"}
ALLOWS = {"adaptation": "allows_adaptation", "commercial": "allows_commercial"}
FACET_NAMES = (*TREE_FACETS, *COLUMN_FACETS, "allows")


@dataclass(frozen=True)
class Filters:
    """Chosen values per facet: ids for taxonomy facets, names for "allows".
    Values of one facet are alternatives (OR); facets combine with AND."""

    values: dict[str, tuple[int, ...]] = field(default_factory=dict)
    allows: tuple[str, ...] = ()

    def chosen(self, name: str) -> tuple[int, ...]:
        return self.values.get(name, ())


def apply_filters(
    documents: QuerySet[SearchDocument], filters: Filters, *, skip: str = ""
) -> QuerySet[SearchDocument]:
    for name, facet in TREE_FACETS.items():
        if name != skip and (chosen := filters.chosen(name)):
            documents = documents.filter(
                pk__in=SearchFacetValue.objects.filter(facet=facet, value__in=chosen).values(
                    "document_id"
                )
            )
    for name, column in COLUMN_FACETS.items():
        if name != skip and (chosen := filters.chosen(name)):
            documents = documents.filter(**{f"{column}__in": chosen})
    if skip != "allows":
        for flag in filters.allows:
            documents = documents.filter(**{ALLOWS[flag]: True})
    return documents


def facet_counts(
    matched: QuerySet[SearchDocument], filters: Filters
) -> dict[str, dict[int | str, int]]:
    """Counts per facet value; one query per facet."""
    counts: dict[str, dict[int | str, int]] = {}
    for name, facet in TREE_FACETS.items():
        documents = apply_filters(matched, filters, skip=name)
        rows = (
            SearchFacetValue.objects.filter(facet=facet, document_id__in=documents.values("pk"))
            .values("value")
            .annotate(n=Count("document_id"))
            .values_list("value", "n")
        )
        counts[name] = dict(rows)
    for name, column in COLUMN_FACETS.items():
        documents = apply_filters(matched, filters, skip=name)
        rows = (
            documents.exclude(**{f"{column}__isnull": True})
            .order_by()
            .values(column)
            .annotate(n=Count("pk"))
            .values_list(column, "n")
        )
        counts[name] = dict(rows)
    flags = apply_filters(matched, filters, skip="allows").aggregate(
        **{flag: Count("pk", filter=Q(**{column: True})) for flag, column in ALLOWS.items()}
    )
    counts["allows"] = {flag: n for flag, n in flags.items() if n}
    return counts


def filter_masks(snapshot: Snapshot, filters: Filters) -> dict[str, np.ndarray]:
    """Per chosen facet, the rows it lets through."""
    masks: dict[str, np.ndarray] = {}
    for name in TREE_FACETS:
        if chosen := filters.chosen(name):
            masks[name] = snapshot.tree_mask(name, chosen)
    for name in COLUMN_FACETS:
        if chosen := filters.chosen(name):
            masks[name] = np.isin(snapshot.values[name], np.array(chosen, dtype=np.int32))
    if filters.allows:
        mask = np.ones(snapshot.size, dtype=np.bool_)
        for flag in filters.allows:
            mask &= snapshot.values[flag]
        masks["allows"] = mask
    return masks


def combined(base: np.ndarray, masks: dict[str, np.ndarray], *, skip: str = "") -> np.ndarray:
    result = base
    for name, mask in masks.items():
        if name != skip:
            result = result & mask
    return result


def _nonzero(counts: np.ndarray) -> dict[int | str, int]:
    values = np.flatnonzero(counts)
    return {int(v): int(counts[v]) for v in values if v}


def memory_counts(
    snapshot: Snapshot, base: np.ndarray, masks: dict[str, np.ndarray]
) -> dict[str, dict[int | str, int]]:
    """The counts of ``facet_counts`` over the rows in ``base`` (the text
    matches), each facet with the other facets' filters applied."""
    counts: dict[str, dict[int | str, int]] = {}
    shared = combined(base, masks) if not masks else None
    for name in TREE_FACETS:
        rows = shared if shared is not None else combined(base, masks, skip=name)
        values, bits = snapshot.tree_bits(name)
        per_value = np.bitwise_count(bits & snapshot.pack(rows)).sum(axis=1, dtype=np.int64)
        counts[name] = {int(v): int(n) for v, n in zip(values, per_value, strict=True) if n}
    for name in COLUMN_FACETS:
        rows = shared if shared is not None else combined(base, masks, skip=name)
        counts[name] = _nonzero(np.bincount(snapshot.values[name][rows]))
    rows = shared if shared is not None else combined(base, masks, skip="allows")
    flags = {flag: int(np.count_nonzero(rows & snapshot.values[flag])) for flag in ALLOWS}
    counts["allows"] = {flag: n for flag, n in flags.items() if n}
    return counts
