"""Facet filters and counts. Counting is disjunctive: each facet is counted
over the text matches with every *other* facet's filter applied, so the
counts beside a facet say what ticking one more of its values would add.
Each facet is one GROUP BY over the full match set (no sampling); tree
facets count through ``SearchFacetValue``, which holds every ancestor of an
assigned term, so a parent counts each document of its subtree once."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from commonroom.search.models import Facet, SearchDocument, SearchFacetValue

TREE_FACETS = {"subject": Facet.SUBJECT, "level": Facet.LEVEL}
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
