"""PostgreSQL: weighted tsvectors (A title, B keywords, C description,
D body) over the stemmed columns with the 'simple' config, in the narrow
table ``search_pg_match`` with GIN indexes (``migrations/0005`` says why),
written in the same transaction as their document."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from commonroom.search.backends.base import WEIGHTS, SearchBackend
from commonroom.search.models import SearchDocument
from commonroom.search.query import ParsedQuery, to_negative_tsquery, to_tsquery
from commonroom.search.sqlarrays import aggregate, fetch_id_list, fetch_scored

TABLE = "search_pg_match"
# ts_rank_cd takes weights in the order {D, C, B, A}, each at most 1.
_top = max(WEIGHTS.values())
RANK_WEIGHTS = "{" + ",".join(str(WEIGHTS[c] / _top) for c in reversed(list(WEIGHTS))) + "}"
# Each field ends with a placeholder word that is then deleted: the positions
# keep the gap, so a "phrase" never runs from one field into the next (as on
# FTS5, where fields are separate columns).
FIELD_GAP = "zzfieldgapzz"


def _field(column: str, weight: str = "") -> str:
    vector = f"to_tsvector('simple', {column} || ' {FIELD_GAP}')"
    return f"setweight({vector}, '{weight}')" if weight else vector


VECTOR = (
    f"ts_delete({_field('d.title_terms', 'A')} || {_field('d.keywords_terms', 'B')} || "
    f"{_field('d.description_terms', 'C')} || {_field('d.body_terms', 'D')}, '{FIELD_GAP}')"
)
STRONG_VECTOR = (
    f"ts_delete({_field('d.title_terms')} || {_field('d.keywords_terms')}, '{FIELD_GAP}')"
)


class PostgresBackend(SearchBackend):
    vendor = "postgresql"
    # ts_rank_cd reads each document's whole tsvector: about 5 µs each.
    rank_cap = 800

    def match(self, documents: QuerySet[SearchDocument], query: ParsedQuery) -> QuerySet:
        def having(tsquery: str) -> RawSQL:
            return RawSQL(  # noqa: S611 - the text is ours; the query a parameter
                f"{SearchDocument._meta.db_table}.id IN "  # noqa: S608
                f"(SELECT document_id FROM {TABLE} WHERE vector @@ to_tsquery('simple', %s))",
                [tsquery],
                output_field=BooleanField(),
            )

        if positive := to_tsquery(query):
            return documents.filter(having(positive))
        if query.negative:
            return documents.exclude(having(to_negative_tsquery(query)))
        return documents

    def matching(self, query: ParsedQuery) -> tuple[np.ndarray, np.ndarray | None]:
        tsquery = to_tsquery(query) if query.positive else to_negative_tsquery(query)
        ids = fetch_id_list(
            f"SELECT {aggregate('document_id')} FROM {TABLE} "  # noqa: S608
            "WHERE vector @@ to_tsquery('simple', %s)",
            [tsquery],
        )
        return ids, None

    restricts_strong_ids = True

    def strong_ids(self, query: ParsedQuery, *, within: np.ndarray | None = None) -> np.ndarray:
        sql = (
            f"SELECT {aggregate('document_id')} FROM {TABLE} "  # noqa: S608
            "WHERE strong_vector @@ to_tsquery('simple', %s)"
        )
        params: list[Any] = [to_tsquery(query)]
        if within is not None:
            sql += " AND document_id = ANY(%s)"
            params.append(within.tolist())
        return fetch_id_list(sql, params)

    def strong_relevance(self, query: ParsedQuery) -> tuple[np.ndarray, np.ndarray]:
        return fetch_scored(
            f"SELECT document_id, ts_rank_cd('{{1,1,1,1}}'::float4[], strong_vector, q) "  # noqa: S608
            f"FROM {TABLE}, to_tsquery('simple', %s) q WHERE strong_vector @@ q",
            [to_tsquery(query, positive_only=True)],
        )

    def relevance(self, query: ParsedQuery, document_ids: np.ndarray) -> np.ndarray:
        if not document_ids.size:
            return np.empty(0, dtype=np.float64)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT document_id, ts_rank_cd(%s::float4[], vector, "  # noqa: S608
                f"to_tsquery('simple', %s)) FROM {TABLE} WHERE document_id = ANY(%s)",
                [RANK_WEIGHTS, to_tsquery(query, positive_only=True), document_ids.tolist()],
            )
            found = dict(cursor.fetchall())
        return np.array([found.get(i, 0.0) for i in document_ids.tolist()], dtype=np.float64)

    def before_write(self, document_ids: Sequence[int]) -> None:
        if document_ids:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"DELETE FROM {TABLE} WHERE document_id = ANY(%s)",  # noqa: S608
                    [list(document_ids)],
                )

    def after_write(self, document_ids: Sequence[int]) -> None:
        if document_ids:
            self._insert("WHERE d.id = ANY(%s)", [list(document_ids)])

    def _insert(self, where: str, params: list[Any]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {TABLE} (document_id, vector, strong_vector) "  # noqa: S608
                f"SELECT d.id, {VECTOR}, {STRONG_VECTOR} "
                f"FROM {SearchDocument._meta.db_table} d {where}",
                params,
            )

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608

    def rebuild(self) -> None:
        self.clear()
        self._insert("", [])
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {TABLE}")
