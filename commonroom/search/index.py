"""How a kind's documents (``protocol.Document``) become index rows:
fields, quality signals and facet values (no writes)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from commonroom.search import registry
from commonroom.search.models import SearchDocument, SearchFacetValue
from commonroom.search.protocol import QUALITY_DEFAULTS, Document, QualityValues
from commonroom.search.stemming import stemmed_text

QUALITY_COLUMNS = ("saves", "rating_average", "rating_count", "used_in_class")
# Each tree facet's values with their ancestors, read once per write.
Expansions = Mapping[str, Mapping[int, Sequence[int]]]


def quality(kind: str, object_ids: Sequence[int]) -> dict[int, dict[str, float | int | None]]:
    """Every quality signal of these objects, from the apps that own them
    (``QUALITY_SOURCES``), in fixed queries."""
    ids = list(object_ids)
    signals = {pk: dict(QUALITY_DEFAULTS) for pk in ids}
    for source in registry.quality_sources(kind):
        for object_id, values in source.quality(ids).items():
            if object_id in signals:
                signals[object_id].update(values)
    return signals


def document_row(kind: str, document: Document, signals: QualityValues) -> SearchDocument:
    keywords = "\n".join(document.keywords)
    return SearchDocument(
        kind=kind,
        object_id=document.object_id,
        title=document.title,
        keywords=keywords,
        description=document.description,
        body=document.body,
        title_terms=stemmed_text(document.title),
        keywords_terms=stemmed_text(keywords),
        description_terms=stemmed_text(document.description),
        body_terms=stemmed_text(document.body),
        published_at=document.published_at,
        **quality_columns(signals),
    )


def quality_columns(signals: QualityValues) -> dict[str, Any]:
    """The document's quality columns from its signals."""
    rating = signals.get("rating_average")
    return {
        "saves": int(signals.get("saves") or 0),
        "rating_average": float(rating) if rating is not None else None,
        "rating_count": int(signals.get("rating_count") or 0),
        "used_in_class": int(signals.get("used_in_class") or 0),
    }


def expansions(kind: str) -> dict[str, Mapping[int, Sequence[int]]]:
    """The ancestor maps of the kind's tree facets."""
    return {
        facet.name: facet.ancestors()
        for facet in registry.kind(kind).facets
        if facet.ancestors is not None
    }


def facet_rows(
    row: SearchDocument, document: Document, expanded: Expansions
) -> list[SearchFacetValue]:
    """The document's facet values, with every ancestor in a tree."""
    rows = []
    for name, assigned in document.facets.items():
        tree = expanded.get(name)
        values = {a for pk in assigned for a in tree.get(pk, (pk,))} if tree else set(assigned)
        rows += [SearchFacetValue(facet=name, value=v, document=row) for v in sorted(values)]
    return rows
