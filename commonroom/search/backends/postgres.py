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

from commonroom.core.db_router import read_connection
from commonroom.search import pairs
from commonroom.search.backends.base import WEIGHTS, SearchBackend
from commonroom.search.compiled import prepared_cursor
from commonroom.search.models import SearchDocument
from commonroom.search.query import ParsedQuery, Term, to_negative_tsquery, to_tsquery
from commonroom.search.sqlarrays import aggregate, fetch_id_list, scored_arrays
from commonroom.search.tokens import document_tokens

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


# Pairs of frequent words (``pairs.py``, ``migrations/0010``).
PAIRS = "search_pg_pairs"
# An advisory lock key (any number no other code uses).
PAIR_WORDS_LOCK = 5_010_001


def _id_array(ids: np.ndarray) -> str:
    """An array literal of ids: a list would be adapted element by element
    (a regular expression each), a millisecond for 800 ids."""
    return "{" + ",".join(map(str, ids.tolist())) + "}"


def _rank_sum(query: ParsedQuery) -> tuple[str, list[str]]:
    """SQL for the relevance of the query's positive terms over ``vector``:
    the sum of each one's ts_rank_cd, and its parameters."""
    parts, params = [], []
    for term in query.positive:
        parts.append("ts_rank_cd(%s::float4[], vector, to_tsquery('simple', %s))")
        params += [RANK_WEIGHTS, to_tsquery(ParsedQuery(terms=(Term(term.stems, term.prefix),)))]
    return " + ".join(parts), params


def _pairs_rank(tokens: tuple[str, ...]) -> tuple[str, list[str]]:
    """SQL for the relevance of pair tokens (each one phrase of the query)
    over the pair index's ``vector``: the sum of each one's ts_rank_cd, as
    ``_rank_sum`` does for words; and its parameters."""
    parts, params = [], []
    for token in tokens:
        parts.append("ts_rank_cd(%s::float4[], vector, %s::tsquery)")
        params += [RANK_WEIGHTS, _pairs_tsquery((token,))]
    return " + ".join(parts), params


def _pairs_tsquery(tokens: tuple[str, ...]) -> str:
    # Cast, not parsed: a pair keeps its "_". Tokens hold letters, digits
    # and "_" only, so the quotes cannot be escaped.
    return " & ".join(f"'{t}'" for t in tokens)


def _pairs_tsvector(fields: list[list[str]], *, weighted: bool = True) -> str:
    """tsvector input for per-field pair tokens: which fields hold each pair
    (one position per field, weighted A to D, as FTS5's ``detail=column``;
    the number of repeats is not kept, which halves the table), or plain
    lexemes."""
    if not weighted:
        return " ".join(f"'{t}'" for t in sorted({t for f in fields for t in f}))
    positions: dict[str, list[str]] = {}
    for position, (weight, tokens) in enumerate(zip("ABCD", fields, strict=False), start=1):
        for token in dict.fromkeys(tokens):
            positions.setdefault(token, []).append(f"{position}{weight}")
    return " ".join(f"'{t}':{','.join(p)}" for t, p in positions.items())


class PostgresBackend(SearchBackend):
    vendor = "postgresql"
    # ts_rank_cd reads each document's whole tsvector, found by its id:
    # about 10 µs each. 400 rather than 800 took 3-21 ms off the p95 of six
    # query classes at 100,000 resources; beyond the cap the title/keyword
    # matches are still ranked exactly (ordering._ranked_rounds).
    rank_cap = 400
    first_rank_pass = rank_cap
    # The relevance of several words is the sum of each word's ts_rank_cd
    # (``_rank_sum``), as FTS5's bm25 sums over a query's phrases: one rule
    # on both engines. ts_rank_cd of one word is the sum of its occurrences'
    # field weights, a property of the document alone, so every frequent
    # word's weights are kept and a search of such words ranks all its
    # matches in memory (``term_weights``). ts_rank_cd of the words together
    # rewarded their nearness instead, which no per-word weight holds; a
    # quoted phrase still asks for it.
    weighed_words = 1_000

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

    def matching(
        self, query: ParsedQuery, *, scored: bool = False
    ) -> tuple[np.ndarray, np.ndarray | None]:
        statement = self.scored_matching_sql(query) if scored else None
        if statement is not None:
            # A rare word's only engine query: planned once per connection
            # (its plan, a GIN lookup, is the same for every rare word).
            with prepared_cursor() as cursor:
                cursor.execute(*statement)
                ids, scores = scored_arrays(cursor.fetchall())
            return ids, scores
        rest, tokens = pairs.split(query)
        if tokens and not rest.terms and not query.negative:
            return self._pair_ids("vector", tokens), None
        tsquery = to_tsquery(query) if query.positive else to_negative_tsquery(query)
        ids = fetch_id_list(
            f"SELECT {aggregate('document_id')} FROM {TABLE} "  # noqa: S608
            "WHERE vector @@ to_tsquery('simple', %s)",
            [tsquery],
        )
        return ids, None

    def scored_matching_sql(self, query: ParsedQuery) -> tuple[str, list[Any]] | None:
        rest, tokens = pairs.split(query)
        if query.negative or not query.positive or (tokens and rest.terms):
            return None
        # The very tsquery and ranking that ``relevance`` uses.
        if tokens:
            table, tsquery, text = PAIRS, "%s::tsquery", _pairs_tsquery(tokens)
            rank, rank_params = _pairs_rank(tokens)
        else:
            table, tsquery, text = TABLE, "to_tsquery('simple', %s)", to_tsquery(rest)
            rank, rank_params = _rank_sum(rest)
        sql = f"SELECT document_id, {rank} FROM {table} WHERE vector @@ {tsquery}"  # noqa: S608
        return sql, [*rank_params, text]

    restricts_strong_ids = True

    def _pair_ids(
        self, column: str, tokens: tuple[str, ...], within: np.ndarray | None = None
    ) -> np.ndarray:
        sql = (
            f"SELECT {aggregate('document_id')} FROM {PAIRS} "  # noqa: S608
            f"WHERE {column} @@ %s::tsquery"
        )
        params: list[Any] = [_pairs_tsquery(tokens)]
        if within is not None:
            sql += " AND document_id = ANY(%s::bigint[])"
            params.append(_id_array(within))
        return fetch_id_list(sql, params)

    def strong_ids(self, query: ParsedQuery, *, within: np.ndarray | None = None) -> np.ndarray:
        rest, tokens = pairs.split(query)
        ids = self._pair_ids("strong_vector", tokens, within) if tokens else None
        if rest.terms or ids is None:
            sql = (
                f"SELECT {aggregate('document_id')} FROM {TABLE} "  # noqa: S608
                "WHERE strong_vector @@ to_tsquery('simple', %s)"
            )
            params: list[Any] = [to_tsquery(rest)]
            if within is not None:
                sql += " AND document_id = ANY(%s::bigint[])"
                params.append(_id_array(within))
            words = fetch_id_list(sql, params)
            ids = words if ids is None else np.intersect1d(ids, words)
        return ids

    def relevance(self, query: ParsedQuery, document_ids: np.ndarray) -> np.ndarray:
        if not document_ids.size:
            return np.empty(0, dtype=np.float64)
        rest, tokens = pairs.split(query)
        total = np.zeros(document_ids.size, dtype=np.float64)
        if rest.terms:
            total += self._relevance(TABLE, *_rank_sum(rest), document_ids)
        if tokens:
            total += self._relevance(PAIRS, *_pairs_rank(tokens), document_ids)
        return total

    def term_weights(
        self, term: Term, document_ids: np.ndarray | None = None, *, matches: int = 0
    ) -> tuple[np.ndarray, np.ndarray] | None:
        alone = ParsedQuery(terms=(Term(term.stems, term.prefix),))
        rest, tokens = pairs.split(alone)
        table, (rank, rank_params), (tsquery, text) = (
            (PAIRS, _pairs_rank(tokens), ("%s::tsquery", _pairs_tsquery(tokens)))
            if tokens
            else (TABLE, _rank_sum(rest), ("to_tsquery('simple', %s)", to_tsquery(rest)))
        )
        sql = f"SELECT document_id, {rank} FROM {table} WHERE vector @@ {tsquery}"  # noqa: S608
        params: list[Any] = [*rank_params, text]
        if document_ids is not None:
            sql += " AND document_id = ANY(%s::bigint[])"
            params.append(_id_array(document_ids))
        with read_connection().cursor() as cursor:
            cursor.execute(sql + " ORDER BY document_id", params)
            rows = cursor.fetchall()
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        weights = np.fromiter((r[1] for r in rows), dtype=np.float64, count=len(rows))
        return ids, weights

    def relevance_of_weights(
        self, terms: list[Term], weights: list[np.ndarray], matches: list[int]
    ) -> np.ndarray:
        total = np.zeros(weights[0].size, dtype=np.float64)
        for part in weights:
            total += part  # ts_rank_cd has no IDF: the number of matches is not used
        return total

    def _relevance(
        self, table: str, rank: str, params: list[str], document_ids: np.ndarray
    ) -> np.ndarray:
        with read_connection().cursor() as cursor:
            cursor.execute(
                f"SELECT document_id, {rank} "  # noqa: S608
                f"FROM {table} WHERE document_id = ANY(%s::bigint[])",
                [*params, _id_array(document_ids)],
            )
            found = dict(cursor.fetchall())
        return np.array([found.get(i, 0.0) for i in document_ids.tolist()], dtype=np.float64)

    def term_frequencies(self, min_documents: int, *, strong: bool = False) -> dict[str, int]:
        return self._statistics(TABLE, min_documents, strong=strong)

    def pair_frequencies(self, min_documents: int, *, strong: bool = False) -> dict[str, int]:
        return self._statistics(PAIRS, min_documents, strong=strong)

    def _statistics(self, table: str, min_documents: int, *, strong: bool) -> dict[str, int]:
        column = "strong_vector" if strong else "vector"
        with read_connection().cursor() as cursor:
            cursor.execute(
                "SELECT word, ndoc FROM ts_stat(%s) WHERE ndoc >= %s",
                [f"SELECT {column} FROM {table}", min_documents],  # noqa: S608
            )
            return dict(cursor.fetchall())

    def before_write(self, document_ids: Sequence[int]) -> None:
        if document_ids:
            with connection.cursor() as cursor:
                for table in (TABLE, PAIRS):
                    cursor.execute(
                        f"DELETE FROM {table} WHERE document_id = ANY(%s)",  # noqa: S608
                        [list(document_ids)],
                    )

    def after_write(self, document_ids: Sequence[int]) -> None:
        if document_ids:
            self._insert("WHERE d.id = ANY(%s)", [list(document_ids)])
            self.pairs_write(document_ids, self._pair_words_for_writing())

    def _pair_words_for_writing(self) -> frozenset[str]:
        # Shared by writers, held alone by a pairs rebuild: a document is
        # never paired with a list that a rebuild is replacing.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [PAIR_WORDS_LOCK])
        return pairs.current_words(fresh=True)

    def lock_for_pairs_rebuild(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PAIR_WORDS_LOCK])

    def pairs_write(self, document_ids: Sequence[int], words: frozenset[str]) -> None:
        if not document_ids or not words:
            return
        rows = []
        for pk, fields in zip(document_ids, document_tokens(list(document_ids)), strict=True):
            found = pairs.field_pairs(fields, words)
            if any(found):
                rows.append(
                    (pk, _pairs_tsvector(found), _pairs_tsvector(found[:2], weighted=False))
                )
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {PAIRS} (document_id, vector, strong_vector) "  # noqa: S608
                "VALUES (%s, %s::tsvector, %s::tsvector)",
                rows,
            )

    def pairs_clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {PAIRS}")  # noqa: S608

    def _insert(self, where: str, params: list[Any]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {TABLE} (document_id, vector, strong_vector) "  # noqa: S608
                f"SELECT d.id, {VECTOR}, {STRONG_VECTOR} "
                f"FROM {SearchDocument._meta.db_table} d {where}",
                params,
            )

    def after_bulk_load(self) -> None:
        with connection.cursor() as cursor:
            # A bulk load leaves its entries in the GIN pending lists, which
            # every search would then scan (seen: 466 pages after a load).
            cursor.execute(
                "SELECT gin_clean_pending_list(i.indexrelid) FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
                "WHERE a.amname = 'gin' AND i.indrelid IN (%s::regclass, %s::regclass)",
                [TABLE, PAIRS],
            )
            cursor.execute(f"ANALYZE {TABLE}")
            cursor.execute(f"ANALYZE {PAIRS}")

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608
        self.pairs_clear()

    def rebuild(self) -> None:
        self.clear()
        self._insert("", [])
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {TABLE}")
