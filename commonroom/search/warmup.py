"""What a new web process loads before its first search: the index's columns,
facet bitmaps and entries by row, the empty search's counts, the facets'
vocabulary and the templates of the search page and its result cards
(``core.boot``)."""

from __future__ import annotations

from django.template.loader import get_template

from commonroom.search import memory, registry
from commonroom.search.facets import Filters
from commonroom.search.forms import Vocabulary
from commonroom.search.selectors import search_documents


def warm_up() -> None:
    snapshot = memory.snapshot()
    # The empty search computes every facet's bitmaps and keeps its counts.
    search_documents(text="", filters=Filters(), snapshot=snapshot)
    # A search with few matches counts them over their own entries.
    for facet in registry.facets():
        snapshot.entries_by_row(facet.name)
    Vocabulary.of(snapshot)
    get_template("search/search.html")
    for kind in registry.kinds().values():
        get_template(kind.card_template)
