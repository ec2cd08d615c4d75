"""What a new web process loads before its first search: the index's columns,
facet bitmaps and entries by row, the empty search's counts, the facets'
vocabulary and its labels in each language, the search page's template,
the cards' reads for every number of results a page shows, the snippets'
patterns and the stems of the index's most frequent words
(``core.boot``); and what each forked worker does before its first search
(``warm_worker``)."""

from __future__ import annotations

import inspect

import numpy as np
from django.conf import settings
from django.template.loader import get_template
from django.utils import translation

from commonroom.search import memory, registry
from commonroom.search.cards import card_of
from commonroom.search.compiled import id_bucket
from commonroom.search.facets import Filters
from commonroom.search.forms import Vocabulary
from commonroom.search.index_snapshot import KIND_COLUMN, Snapshot
from commonroom.search.models import SearchWord
from commonroom.search.query import ParsedQuery
from commonroom.search.selectors import PAGE_SIZE, hits_of, search_documents
from commonroom.search.snippets import patterns_compiled
from commonroom.search.stemming import STEMS_KEPT, stem


def warm_up() -> None:
    snapshot = memory.snapshot()
    # The empty search computes every facet's bitmaps and keeps its counts.
    empty = search_documents(text="", filters=Filters(), snapshot=snapshot)
    # A search with few matches counts them over their own entries.
    for facet in registry.facets():
        snapshot.entries_by_row(facet.name)
    vocabulary = Vocabulary.of(snapshot)
    for code, _name in settings.LANGUAGES:
        # The facets' options with their labels, made once per language.
        with translation.override(code):
            vocabulary.options(empty.counts, Filters())
    get_template("search/search.html")
    # The first page's cards: their kinds' templates, or the code that
    # writes them, are ready before the first visitor.
    for position, hit in enumerate(empty.hits, start=1):
        card_of(hit, position)
    # Every kind's reads of a page of 1, 2, 4 … 32 results: written once
    # here, shared by the workers forked from this process.
    for ids in _pages_of_each_size(snapshot):
        hits_of(ids, ParsedQuery())
    patterns_compiled()
    _stems_warmed()


def _pages_of_each_size(snapshot: Snapshot) -> list[list[int]]:
    """For each kind with live documents, its first live documents' ids in
    each bucket of a page's number of results (``compiled.id_bucket``)."""
    pages = []
    kinds = snapshot.values[KIND_COLUMN]
    for kind in snapshot.live_kinds():
        ids = snapshot.ids[np.flatnonzero(snapshot.alive & (kinds == kind))]
        size = 1
        # A kind with 17 to 31 documents still shows pages of 32 places.
        while size <= id_bucket(PAGE_SIZE) and size // 2 < ids.size:
            pages.append(ids[:size].tolist())
            size *= 2
    return pages


def _stems_warmed() -> None:
    """The stems of the index's most frequent words, so that the words a
    result's snippet is searched for hits in are mostly stemmed already
    (a rare word's selector: p95 2.1 → 1.7–1.9 ms CPU at 100,000
    resources, for 0.3 s per process at boot). At most as many as the
    stem cache keeps, most frequent first."""
    frequent = SearchWord.objects.order_by("-documents", "word").values_list("word", flat=True)
    for word in frequent[:STEMS_KEPT].iterator(chunk_size=5000):
        stem(word)


# Runs of each of the worker's warm-up reads: psycopg prepares a statement
# on its connection once it has run ``prepare_threshold`` times (2 unless
# set).
WORKER_SEARCHES = 3


def warm_worker() -> None:
    """On a forked worker's own connection, each a few times, so that its
    statements are planned and prepared there before the first visitor (a
    first search took 70-80 ms at 100,000 resources, 10-20 ms after): the
    search of the index's most frequent word (the version read, the match,
    the documents' and the cards' reads of a full page; the word's set and
    weights loaded), of a word in one document (its match read with the
    version), and the reads of every smaller page. Not counted in the
    search metrics."""
    frequent = SearchWord.objects.order_by("-documents", "word").values_list("word", flat=True)
    rare = SearchWord.objects.filter(documents=1).values_list("word", flat=True)
    words = [frequent.first() or ""]
    if (word := rare.first()) is not None:
        words.append(word)
    unrecorded = inspect.unwrap(search_documents)
    pages = _pages_of_each_size(memory.latest())
    for _ in range(WORKER_SEARCHES):
        for text in words:
            unrecorded(text=text, filters=Filters())
        for ids in pages:
            hits_of(ids, ParsedQuery())
