"""One search as the site's page and the API make it: the filters read from
the request's parameters with the facets' vocabulary, then the search,
which reads the index version itself (a rare word's match in the same
statement: ``selectors._snapshot_and_read``). Reading the version first,
for the vocabulary, cost a rare word's page a round trip more."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import QueryDict

from commonroom.search import memory
from commonroom.search.facets import Filters
from commonroom.search.forms import Vocabulary
from commonroom.search.index_snapshot import Snapshot
from commonroom.search.selectors import SearchResult, search_documents


@dataclass(frozen=True)
class PageSearch:
    result: SearchResult
    vocabulary: Vocabulary
    filters: Filters
    snapshot: Snapshot


def searched(params: QueryDict, **options: Any) -> PageSearch:
    """``search_documents(**options)`` with the filters ``params`` choose.
    They are read with the vocabulary of this process's copy of the index
    as the last search left it; when this search found the index moved and
    the vocabulary with it (a taxonomy edit touches the index), they are
    read again, and if they differ the search is made again on that copy."""
    kept = memory.kept() or memory.snapshot()
    vocabulary = Vocabulary.of(kept)
    filters = vocabulary.filters(params)
    result = search_documents(filters=filters, **options)
    snapshot = result.snapshot
    if snapshot is not kept and Vocabulary.of(snapshot) is not vocabulary:
        vocabulary = Vocabulary.of(snapshot)
        fresh = vocabulary.filters(params)
        if fresh != filters:
            filters = fresh
            result = search_documents(filters=filters, snapshot=snapshot, **options)
    return PageSearch(result=result, vocabulary=vocabulary, filters=filters, snapshot=snapshot)
