"""What an engine does for search; everything else (filters, facets,
sorting by quality, pagination) is plain SQL shared by both."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np
from django.db.models import QuerySet

from commonroom.search.models import SearchDocument
from commonroom.search.query import ParsedQuery, Term

# Relevance weights per column, title > keywords > description > body.
WEIGHTS: dict[str, float] = {"title": 10.0, "keywords": 5.0, "description": 2.0, "body": 1.0}


class SearchBackend:
    vendor: ClassVar[str]
    # Relevance is computed for at most this many filtered matches per
    # search; beyond it the candidates are chosen by quality and profile
    # (selectors.py). Set per engine from the benchmark (bench/README.md).
    rank_cap: ClassVar[int]
    # With more strong matches than the cap, how many of them the first
    # ranking pass takes (ordering._ranked_rounds): ``rank_cap`` where
    # each ranked document costs the engine a lookup, more where a pass
    # costs a scan of the whole match whatever the number ranked.
    first_rank_pass: ClassVar[int]
    # Whether ``strong_ids(within=…)`` restricts the match in the engine.
    restricts_strong_ids: ClassVar[bool]
    # Up to how many words relevance is the sum of per-word weights
    # (``term_weights``): 0 where it never is.
    weighed_words: ClassVar[int] = 0
    # Whether a stored weight moves as other documents are indexed (bm25's
    # average document length): then the refresh rewrites sets sooner.
    weights_drift: ClassVar[bool] = False

    def strong_ids(self, query: ParsedQuery, *, within: np.ndarray | None = None) -> np.ndarray:
        """Ids of the documents with every positive word in their title or
        keywords; an engine that can restrict the match to the ids ``within``
        does so (others ignore it: the caller intersects)."""
        raise NotImplementedError

    def matching(
        self, query: ParsedQuery, *, scored: bool = False
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """Ids of the documents matching the query's words (the positive
        terms without the negative ones; for a query of only negative terms,
        the documents having any of them), ascending; with ``scored`` (a
        query of positive terms only), each one's relevance as
        ``relevance(query, ids)`` gives it, in the same query: for few
        matches, one round trip instead of two (issue 15, item 3). Else the
        relevance is None."""
        raise NotImplementedError

    def scored_matching_sql(self, query: ParsedQuery) -> tuple[str, list[Any]] | None:
        """The statement ``matching(query, scored=True)`` runs: rows of a
        matching document's id and its relevance, in no order. None when
        the engine cannot rank while matching this query (it has negative
        terms, or words and word pairs together). The search reads the
        index's version in the same statement (``memory.snapshot_with``)."""
        raise NotImplementedError

    def relevance(self, query: ParsedQuery, document_ids: np.ndarray) -> np.ndarray:
        """The relevance of each of these matching documents, in order."""
        raise NotImplementedError

    def relevance_bound(self, query: ParsedQuery, counts: list[int]) -> float | None:
        """A number above the relevance of any document for ``query``, whose
        positive terms match ``counts`` documents each, or None when the
        engine's relevance has no such bound."""
        return None

    def term_weights(
        self, term: Term, document_ids: np.ndarray | None = None, *, matches: int = 0
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """Where the relevance of a query of up to ``weighed_words`` words
        is the sum over them of ``idf(word's matches) × weight(document,
        word)`` (an engine without IDF: 1 × weight): the ids
        (ascending) of the documents matching ``term`` alone, or of those
        of ``document_ids`` that do, and each one's weight. With
        ``document_ids``, ``matches`` is the number of documents matching
        the word. None where relevance does not add up over words (then
        only the engine ranks)."""
        return None

    def relevance_of_weights(
        self, terms: list[Term], weights: list[np.ndarray], matches: list[int]
    ) -> np.ndarray:
        """The relevance of documents from each positive term's weights for
        them (``term_weights``) and its number of matches: what
        ``relevance`` gives for the query of those terms."""
        raise NotImplementedError

    def term_frequencies(self, min_documents: int, *, strong: bool = False) -> dict[str, int]:
        """Each indexed word (stem) in at least ``min_documents`` documents,
        with their number; ``strong``: counting only titles and keywords
        (an engine may count a document twice there, when the word is in
        both)."""
        raise NotImplementedError

    def pair_frequencies(self, min_documents: int, *, strong: bool = False) -> dict[str, int]:
        """``term_frequencies`` of the pair index: each pair token ``a_b``
        (the phrase "a b") in at least ``min_documents`` documents."""
        raise NotImplementedError

    def pairs_write(self, document_ids: Sequence[int], words: frozenset[str]) -> None:
        """Index these documents' pairs of the frequent ``words``."""
        raise NotImplementedError

    def lock_for_pairs_rebuild(self) -> None:
        """Keep writers from pairing documents until the transaction ends
        (SQLite's single writer needs nothing)."""

    def pairs_clear(self) -> None:
        """Forget every document's pairs (before choosing new pair words)."""
        raise NotImplementedError

    def match(self, documents: QuerySet[SearchDocument], query: ParsedQuery) -> QuerySet:
        """Only the documents matching the query's text."""
        raise NotImplementedError

    def before_write(self, document_ids: Sequence[int]) -> None:
        """Called before these documents change or go."""

    def after_write(self, document_ids: Sequence[int]) -> None:
        """Called after these documents were written."""

    def after_bulk_load(self) -> None:
        """Tidy the engine's structures after many writes at once."""

    def clear(self) -> None:
        """Forget every document (before a rebuild)."""

    def rebuild(self) -> None:
        """Rebuild the engine's structures from all documents."""
