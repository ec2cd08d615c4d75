"""SQLite FTS5: an external-content table over the documents' stemmed
columns (``migrations/0002``), so the text is stored once. External content
is not kept in sync by SQLite: the old row is deleted from the index before a
document changes and the new one inserted after (``before_write`` /
``after_write``), always in the same transaction as the document."""

from __future__ import annotations

import json
from collections.abc import Sequence

import numpy as np
from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from commonroom.search.backends.base import WEIGHTS, SearchBackend
from commonroom.search.models import SearchDocument
from commonroom.search.query import ParsedQuery, to_fts5
from commonroom.search.sqlarrays import aggregate, fetch_id_list, fetch_scored

TABLE = "search_fts"
COLUMNS = "title_terms, keywords_terms, description_terms, body_terms"
BM25 = f"bm25({TABLE}, {', '.join(str(w) for w in WEIGHTS.values())})"


class Fts5Backend(SearchBackend):
    vendor = "sqlite"
    # bm25 costs about 1 µs per document (20 ms for a word in 20 % of
    # 100,000 resources), on top of scanning the matches again (5 ms).
    rank_cap = 2_000

    def matching(self, query: ParsedQuery) -> tuple[np.ndarray, np.ndarray | None]:
        expression = to_fts5(query) if query.positive else to_fts5(query, negated=True)
        return self._ids(expression), None

    restricts_strong_ids = False

    def strong_ids(self, query: ParsedQuery, *, within: np.ndarray | None = None) -> np.ndarray:
        # "+rowid IN" would still scan every match: ``within`` is not used.
        return self._ids(to_fts5(query, columns="title_terms keywords_terms"))

    def strong_relevance(self, query: ParsedQuery) -> tuple[np.ndarray, np.ndarray]:
        # A column filter: bm25 then counts the words in those columns only.
        return fetch_scored(
            f"SELECT rowid, -{BM25} FROM {TABLE} WHERE {TABLE} MATCH %s",  # noqa: S608
            [to_fts5(query, columns="title_terms keywords_terms")],
        )

    def _ids(self, expression: str) -> np.ndarray:
        return fetch_id_list(
            f"SELECT {aggregate('rowid')} FROM {TABLE} WHERE {TABLE} MATCH %s",  # noqa: S608
            [expression],
        )

    def relevance(self, query: ParsedQuery, document_ids: np.ndarray) -> np.ndarray:
        if not document_ids.size:
            return np.empty(0, dtype=np.float64)
        # "+rowid" filters the match scan instead of one lookup per id, and
        # bm25 runs only for the rows that pass.
        ids, scores = fetch_scored(
            f"SELECT rowid, -{BM25} FROM {TABLE} WHERE {TABLE} MATCH %s "  # noqa: S608
            "AND +rowid IN (SELECT value FROM json_each(%s))",
            [to_fts5(query), json.dumps(document_ids.tolist())],
        )
        found = dict(zip(ids.tolist(), scores.tolist(), strict=True))
        return np.array([found.get(i, 0.0) for i in document_ids.tolist()], dtype=np.float64)

    def match(self, documents: QuerySet[SearchDocument], query: ParsedQuery) -> QuerySet:
        # The document id IN the match set, never fts.rowid IN (…): that
        # form makes SQLite run one full-text lookup per row.
        matching = f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s"  # noqa: S608
        if positive := to_fts5(query):
            return documents.filter(pk__in=RawSQL(matching, [positive]))  # noqa: S611
        if query.negative:
            return documents.exclude(
                pk__in=RawSQL(matching, [to_fts5(query, negated=True)])  # noqa: S611
            )
        return documents

    def before_write(self, document_ids: Sequence[int]) -> None:
        self._copy(document_ids, delete=True)

    def after_write(self, document_ids: Sequence[int]) -> None:
        self._copy(document_ids, delete=False)

    def _copy(self, document_ids: Sequence[int], *, delete: bool) -> None:
        if not document_ids:
            return
        doc = SearchDocument._meta.db_table
        marks = ", ".join(["%s"] * len(document_ids))
        if delete:
            sql = (
                f"INSERT INTO {TABLE}({TABLE}, rowid, {COLUMNS}) "  # noqa: S608
                f"SELECT 'delete', id, {COLUMNS} FROM {doc} WHERE id IN ({marks})"
            )
        else:
            sql = (
                f"INSERT INTO {TABLE}(rowid, {COLUMNS}) "  # noqa: S608
                f"SELECT id, {COLUMNS} FROM {doc} WHERE id IN ({marks})"
            )
        with connection.cursor() as cursor:
            cursor.execute(sql, list(document_ids))

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES('delete-all')")

    def rebuild(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES('rebuild')")
