"""Writing the search index. Services that publish, change or take down a
resource call ``search_index_sync`` on commit, so a resource is findable
(and counted) once the request that published it returns, and gone once
the request that removed it returns."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.db import connection, transaction

from commonroom.resources.models import Resource
from commonroom.search.backends import get_backend
from commonroom.search.index import (
    ancestors_map,
    document_for,
    facet_values_for,
    quality,
    resources_to_index,
)
from commonroom.search.models import ObjectType, SearchDocument, SearchFacetValue
from commonroom.taxonomy.models import EducationLevel, Subject

REBUILD_CHUNK = 500


@transaction.atomic
def search_index_sync(*, resource_id: int) -> SearchDocument | None:
    """Write the resource's document when it is public, delete it otherwise
    (idempotent: safe to call any number of times, for any id)."""
    # Two syncs of one resource at once would both insert its document.
    list(Resource.objects.select_for_update().filter(pk=resource_id).values_list("pk"))
    resource = resources_to_index().filter(pk=resource_id).first()
    if resource is None:
        _remove([resource_id])
        return None
    return _write([resource])[0]


def _remove(resource_ids: Sequence[int]) -> None:
    ids = list(
        SearchDocument.objects.filter(
            object_type=ObjectType.RESOURCE, object_id__in=resource_ids
        ).values_list("pk", flat=True)
    )
    if not ids:
        return
    get_backend().before_write(ids)
    SearchFacetValue.objects.filter(document_id__in=ids).delete()
    SearchDocument.objects.filter(pk__in=ids).delete()


def _write(
    resources: Sequence[Resource],
    *,
    trees: tuple[dict[int, list[int]], dict[int, list[int]]] | None = None,
    sync_engine: bool = True,
) -> list[SearchDocument]:
    subject_tree, level_tree = trees or (ancestors_map(Subject), ancestors_map(EducationLevel))
    if sync_engine:
        _remove([r.pk for r in resources])
    scores = quality(r.pk for r in resources)
    documents = SearchDocument.objects.bulk_create(
        [document_for(r, quality_row=scores[r.pk]) for r in resources]
    )
    SearchFacetValue.objects.bulk_create(
        [
            value
            for d in documents
            for value in facet_values_for(d, subject_tree=subject_tree, level_tree=level_tree)
        ]
    )
    if sync_engine:
        get_backend().after_write([d.pk for d in documents])
    return documents


@transaction.atomic
def search_rebuild(*, progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild the whole index from the public resources; returns how many
    documents it holds. ``progress(done, total)`` is called per chunk."""
    backend = get_backend()
    backend.clear()
    SearchFacetValue.objects.all().delete()
    SearchDocument.objects.all().delete()
    trees = (ancestors_map(Subject), ancestors_map(EducationLevel))
    ids = list(resources_to_index().values_list("pk", flat=True))
    done = 0
    for start in range(0, len(ids), REBUILD_CHUNK):
        chunk = list(resources_to_index().filter(pk__in=ids[start : start + REBUILD_CHUNK]))
        _write(chunk, trees=trees, sync_engine=False)
        done += len(chunk)
        if progress:
            progress(done, len(ids))
    backend.rebuild()
    # Fresh planner statistics: after a bulk load PostgreSQL otherwise guesses
    # a handful of rows and picks nested loops (seen: 42 s for one facet).
    with connection.cursor() as cursor:
        for model in (SearchDocument, SearchFacetValue):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return done
