"""Writing the search index. Services that publish, change or take down an
object of a searchable kind call ``search_index_sync`` on commit, so it is
findable (and counted) once the request that published it returns, and
gone once the request that removed it returns."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence

from django.db import connection, transaction
from django.db.models import F

from commonroom.search import pairs, registry
from commonroom.search.backends import get_backend
from commonroom.search.index import (
    QUALITY_COLUMNS,
    Expansions,
    document_row,
    expansions,
    facet_rows,
    quality,
    quality_columns,
)
from commonroom.search.models import (
    ChangeKind,
    SearchDocument,
    SearchFacetValue,
    SearchIndexChange,
    SearchIndexState,
    SearchPairWord,
    SearchTermSet,
)
from commonroom.search.protocol import Document
from commonroom.search.stemming import stemmed_text
from commonroom.search.suggest import search_words_refresh
from commonroom.search.termsets import term_sets_refresh

REBUILD_CHUNK = 500
# Change rows kept for processes catching up; one further behind reloads.
KEEP_VERSIONS = 5_000


def _bump_version(changes: Sequence[tuple[str, int]]) -> int:
    """Next index version with what it changed, in the caller's transaction.
    The UPDATE locks the state row until commit, so versions commit in
    order and a reader never skips one."""
    stamp = uuid.uuid4().hex
    if not SearchIndexState.objects.filter(pk=1).update(version=F("version") + 1, stamp=stamp):
        SearchIndexState.objects.create(pk=1, version=1, stamp=stamp)
    version = SearchIndexState.objects.values_list("version", flat=True).get(pk=1)
    SearchIndexChange.objects.bulk_create(
        SearchIndexChange(version=version, stamp=stamp, kind=kind, document_id=document_id)
        for kind, document_id in changes
    )
    if version % 500 == 0:
        SearchIndexChange.objects.filter(version__lt=version - KEEP_VERSIONS).delete()
    return version


def search_index_touch() -> int:
    """A new version with no itemised changes: processes reload everything
    (after a bulk load, or an edit of the taxonomy trees)."""
    stamp = uuid.uuid4().hex
    SearchIndexChange.objects.all().delete()
    state, _ = SearchIndexState.objects.get_or_create(pk=1)
    state.version += 1
    state.stamp = stamp
    state.save()
    return state.version


@transaction.atomic
def search_index_sync(*, kind: str, object_id: int) -> SearchDocument | None:
    """Write the object's document when it is public, delete it otherwise
    (idempotent: safe to call any number of times, for any id)."""
    searchable = registry.kind(kind)
    # Two syncs of one object at once would both insert its document.
    list(
        searchable.model._default_manager.select_for_update().filter(pk=object_id).values_list("pk")
    )
    documents = searchable.documents([object_id])
    removed = _remove(kind, [object_id])
    if not documents:
        if removed:
            _bump_version([(ChangeKind.REMOVED, pk) for pk in removed])
        return None
    document = documents_write(kind, documents)[0]
    get_backend().after_write([document.pk])
    _bump_version([(ChangeKind.REMOVED, pk) for pk in removed] + [(ChangeKind.ADDED, document.pk)])
    return document


def search_quality_refresh(*, kind: str, object_id: int) -> None:
    """Saves, ratings or "used in class" of one object changed."""
    search_quality_refresh_many(kind=kind, object_ids=[object_id])


@transaction.atomic
def search_quality_refresh_many(*, kind: str, object_ids: Sequence[int]) -> int:
    """Update the quality columns of these objects' documents only (no
    re-stemming), so ranking and the "most saved" and "best rated" sorts
    follow at the next request; in fixed queries whatever the number.
    Returns how many documents changed."""
    documents = list(
        SearchDocument.objects.select_for_update()
        .filter(kind=kind, object_id__in=list(object_ids))
        .only("pk", "object_id")
    )
    if not documents:
        return 0
    scores = quality(kind, [d.object_id for d in documents])
    for document in documents:
        for column, value in quality_columns(scores[document.object_id]).items():
            setattr(document, column, value)
    SearchDocument.objects.bulk_update(documents, list(QUALITY_COLUMNS), batch_size=500)
    _bump_version([(ChangeKind.UPDATED, d.pk) for d in documents])
    return len(documents)


def _remove(kind: str, object_ids: Sequence[int]) -> list[int]:
    ids = list(
        SearchDocument.objects.filter(kind=kind, object_id__in=object_ids).values_list(
            "pk", flat=True
        )
    )
    if not ids:
        return []
    get_backend().before_write(ids)
    SearchFacetValue.objects.filter(document_id__in=ids).delete()
    SearchDocument.objects.filter(pk__in=ids).delete()
    return ids


def documents_write(
    kind: str,
    documents: Sequence[Document],
    *,
    expanded: Expansions | None = None,
    signals: dict[int, dict[str, float | int | None]] | None = None,
) -> list[SearchDocument]:
    """Insert these documents and their facet values (the engine's own
    structures are the caller's: ``after_write`` or a rebuild).
    ``expanded`` and ``signals`` may be given when already known (a bulk
    load); otherwise they are read here."""
    expanded = expansions(kind) if expanded is None else expanded
    signals = quality(kind, [d.object_id for d in documents]) if signals is None else signals
    rows = SearchDocument.objects.bulk_create(
        [document_row(kind, d, signals[d.object_id]) for d in documents]
    )
    SearchFacetValue.objects.bulk_create(
        value
        for row, document in zip(rows, documents, strict=True)
        for value in facet_rows(row, document, expanded)
    )
    return rows


def search_rebuild(
    *,
    progress: Callable[[int, int], None] | None = None,
    sets_progress: Callable[[int, int], None] | None = None,
) -> int:
    """Rebuild the whole index from every kind's public objects, then the shared
    sets of frequent words; returns how many documents it holds.
    ``progress(done, total)`` is called per chunk, ``sets_progress`` per
    set."""
    count = _rebuild(progress)
    search_pairs_rebuild()
    term_sets_refresh(progress=sets_progress)
    return count


TERM_COLUMNS = {
    "title": "title_terms",
    "keywords": "keywords_terms",
    "description": "description_terms",
    "body": "body_terms",
}


def search_reanalyse(*, progress: Callable[[int, int], None] | None = None) -> int:
    """Every document's tokens again from its stored text, after the text
    analysis changed (``stemming.ANALYSIS_VERSION``; migrations/0012 calls
    it): the engine's index and the pair index rebuilt from them, the
    shared word sets (keyed by the old tokens) dropped to be filled again,
    and a new index version. Reads no content app, so it can run inside
    ``migrate``; returns the number of documents."""
    with transaction.atomic():
        ids = list(SearchDocument.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), REBUILD_CHUNK):
            rows = list(
                SearchDocument.objects.filter(pk__in=ids[start : start + REBUILD_CHUNK]).only(
                    "pk", *TERM_COLUMNS
                )
            )
            for row in rows:
                for field, column in TERM_COLUMNS.items():
                    setattr(row, column, stemmed_text(getattr(row, field)))
            SearchDocument.objects.bulk_update(rows, list(TERM_COLUMNS.values()))
            if progress:
                progress(min(start + REBUILD_CHUNK, len(ids)), len(ids))
        backend = get_backend()
        backend.clear()
        backend.rebuild()
        SearchTermSet.objects.all().delete()
        # The pairs in the same transaction: no search sees pair words
        # without their pairs.
        search_pairs_rebuild()
        search_index_touch()
    return len(ids)


@transaction.atomic
def search_pairs_rebuild(*, progress: Callable[[int, int], None] | None = None) -> int:
    """Choose the pair words (``pairs.py``) from the index's own word
    frequencies and index every document's pairs with them, in one
    transaction; returns the number of pair words."""
    backend = get_backend()
    backend.lock_for_pairs_rebuild()
    total = SearchDocument.objects.count()
    words = frozenset(
        backend.term_frequencies(int(max(pairs.MIN_DOCUMENTS, total * pairs.MIN_SHARE)))
    )
    backend.pairs_clear()
    SearchPairWord.objects.all().delete()
    SearchPairWord.objects.bulk_create(SearchPairWord(word=w) for w in sorted(words))
    ids = list(SearchDocument.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), REBUILD_CHUNK):
        backend.pairs_write(ids[start : start + REBUILD_CHUNK], words)
        if progress:
            progress(min(start + REBUILD_CHUNK, len(ids)), len(ids))
    # Searches read the pair words once per version.
    search_index_touch()
    backend.after_bulk_load()
    return len(words)


@transaction.atomic
def _rebuild(progress: Callable[[int, int], None] | None) -> int:
    backend = get_backend()
    backend.clear()
    SearchPairWord.objects.all().delete()
    SearchFacetValue.objects.all().delete()
    SearchDocument.objects.all().delete()
    work = {
        key: list(searchable.public().order_by("pk").values_list("pk", flat=True))
        for key, searchable in registry.kinds().items()
    }
    total = sum(len(ids) for ids in work.values())
    done = 0
    for key, ids in work.items():
        expanded = expansions(key)
        for start in range(0, len(ids), REBUILD_CHUNK):
            chunk = registry.kind(key).documents(ids[start : start + REBUILD_CHUNK])
            documents_write(key, chunk, expanded=expanded)
            done += len(chunk)
            if progress:
                progress(done, total)
    backend.rebuild()
    search_index_touch()
    search_words_refresh()
    # Fresh planner statistics: after a bulk load PostgreSQL otherwise guesses
    # a handful of rows and picks nested loops (seen: 42 s for one facet).
    with connection.cursor() as cursor:
        for model in (SearchDocument, SearchFacetValue):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return done
