"""What an engine does for search; everything else (filters, facets,
sorting by quality, pagination) is plain SQL shared by both."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from django.db.models import QuerySet

from commonroom.search.models import SearchDocument
from commonroom.search.query import ParsedQuery

# Relevance weights per column, title > keywords > description > body.
WEIGHTS: dict[str, float] = {"title": 10.0, "keywords": 5.0, "description": 2.0, "body": 1.0}


class SearchBackend:
    vendor: ClassVar[str]

    def match(self, documents: QuerySet[SearchDocument], query: ParsedQuery) -> QuerySet:
        """Only the documents matching the query's text."""
        raise NotImplementedError

    def ranked_ids(
        self, documents: QuerySet[SearchDocument], query: ParsedQuery, *, offset: int, limit: int
    ) -> list[int]:
        """Ids of one page of ``documents`` (already matched and filtered),
        best text match first."""
        raise NotImplementedError

    def before_write(self, document_ids: Sequence[int]) -> None:
        """Called before these documents change or go."""

    def after_write(self, document_ids: Sequence[int]) -> None:
        """Called after these documents were written."""

    def clear(self) -> None:
        """Forget every document (before a rebuild)."""

    def rebuild(self) -> None:
        """Rebuild the engine's structures from all documents."""
