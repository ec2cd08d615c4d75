"""What a new web process loads before its first search: the index's columns,
facet bitmaps and entries by row, the empty search's counts, the facets'
vocabulary, the search page's template, the first page's result cards and
the stems of the index's most frequent words (``core.boot``); and what each
forked worker does before its first search (``warm_worker``)."""

from __future__ import annotations

import inspect

from django.template.loader import get_template

from commonroom.search import memory, registry
from commonroom.search.cards import card_of
from commonroom.search.facets import Filters
from commonroom.search.forms import Vocabulary
from commonroom.search.models import SearchWord
from commonroom.search.selectors import search_documents
from commonroom.search.stemming import STEMS_KEPT, stem


def warm_up() -> None:
    snapshot = memory.snapshot()
    # The empty search computes every facet's bitmaps and keeps its counts.
    empty = search_documents(text="", filters=Filters(), snapshot=snapshot)
    # A search with few matches counts them over their own entries.
    for facet in registry.facets():
        snapshot.entries_by_row(facet.name)
    Vocabulary.of(snapshot)
    get_template("search/search.html")
    # The first page's cards: their kinds' templates, or the code that
    # writes them, are ready before the first visitor.
    for position, hit in enumerate(empty.hits, start=1):
        card_of(hit, position)
    _stems_warmed()


def _stems_warmed() -> None:
    """The stems of the index's most frequent words, so that the words a
    result's snippet is searched for hits in are mostly stemmed already
    (a rare word's selector: p95 2.1 → 1.7–1.9 ms CPU at 100,000
    resources, for 0.3 s per process at boot). At most as many as the
    stem cache keeps, most frequent first."""
    frequent = SearchWord.objects.order_by("-documents", "word").values_list("word", flat=True)
    for word in frequent[:STEMS_KEPT].iterator(chunk_size=5000):
        stem(word)


# Runs of the worker's warm-up search: psycopg prepares a statement on its
# connection once it has run ``prepare_threshold`` times (2 unless set).
WORKER_SEARCHES = 3


def warm_worker() -> None:
    """On a forked worker's own connection: the search of the index's most
    frequent word, a few times, so that the version read, the match, the
    documents' and the cards' reads of a full page are planned and
    prepared there, and the word's set and weights are loaded, before the
    first visitor (a first search took 70-80 ms at 100,000 resources, 10-20
    ms after). Not counted in the search metrics."""
    word = SearchWord.objects.order_by("-documents", "word").values_list("word", flat=True).first()
    unrecorded = inspect.unwrap(search_documents)
    for _ in range(WORKER_SEARCHES):
        unrecorded(text=word or "", filters=Filters())
