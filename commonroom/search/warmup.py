"""What a new web process loads before its first search: the index's columns,
facet bitmaps and entries by row, the empty search's counts, the facets'
vocabulary, the search page's template, the first page's result cards and
the stems of the index's most frequent words (``core.boot``)."""

from __future__ import annotations

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
