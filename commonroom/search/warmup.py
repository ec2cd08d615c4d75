"""What a new web process loads before its first search: the index's columns,
facet bitmaps and entries by row, the empty search's counts, the facets'
vocabulary, the search page's template and the first page's result cards
(``core.boot``)."""

from __future__ import annotations

from django.template.loader import get_template

from commonroom.search import memory, registry
from commonroom.search.cards import card_of
from commonroom.search.facets import Filters
from commonroom.search.forms import Vocabulary
from commonroom.search.selectors import search_documents


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
