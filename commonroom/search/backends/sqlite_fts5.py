"""SQLite FTS5: an external-content table over the documents' stemmed
columns (``migrations/0002``), so the text is stored once. External content
is not kept in sync by SQLite: the old row is deleted from the index before a
document changes and the new one inserted after (``before_write`` /
``after_write``), always in the same transaction as the document."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from commonroom.search.backends.base import WEIGHTS, SearchBackend
from commonroom.search.models import SearchDocument
from commonroom.search.query import ParsedQuery, to_fts5

TABLE = "search_fts"
COLUMNS = "title_terms, keywords_terms, description_terms, body_terms"


class Fts5Backend(SearchBackend):
    vendor = "sqlite"

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

    def ranked_ids(
        self, documents: QuerySet[SearchDocument], query: ParsedQuery, *, offset: int, limit: int
    ) -> list[int]:
        positive = to_fts5(query)
        if not positive:
            return list(
                documents.order_by("-published_at", "-id").values_list("id", flat=True)[
                    offset : offset + limit
                ]
            )
        subquery, params = documents.values("id").query.sql_with_params()
        weights = ", ".join(str(w) for w in WEIGHTS.values())
        # "+rowid" keeps SQLite from turning the IN into one lookup per row.
        sql = (
            f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s "  # noqa: S608
            f"AND +rowid IN ({subquery}) "
            f"ORDER BY bm25({TABLE}, {weights}), rowid DESC LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [positive, *params, limit, offset])
            return [row[0] for row in cursor.fetchall()]

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
