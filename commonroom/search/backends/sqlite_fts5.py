"""SQLite FTS5: an external-content table over the documents' stemmed
columns (``migrations/0002``), so the text is stored once. External content
is not kept in sync by SQLite: the old row is deleted from the index before a
document changes and the new one inserted after (``before_write`` /
``after_write``), always in the same transaction as the document."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from commonroom.core.db_router import read_connection
from commonroom.search import pairs
from commonroom.search.backends.base import WEIGHTS, SearchBackend
from commonroom.search.models import SearchDocument
from commonroom.search.query import ParsedQuery, Term, to_fts5
from commonroom.search.sqlarrays import aggregate, fetch_id_list, fetch_scored
from commonroom.search.tokens import document_tokens

TABLE = "search_fts"
COLUMNS = "title_terms, keywords_terms, description_terms, body_terms"
BM25 = f"bm25({TABLE}, {', '.join(str(w) for w in WEIGHTS.values())})"
# Pairs of frequent words (``pairs.py``, ``migrations/0010``).
PAIRS = "search_fts_pairs"
PAIRS_COLUMNS = "title, keywords, description, body"
PAIRS_BM25 = f"bm25({PAIRS}, {', '.join(str(w) for w in WEIGHTS.values())})"
STRONG_PAIRS = "title keywords"
# FTS5's bm25 constants (fts5_aux.c), and its least IDF.
BM25_K1 = 1.2
BM25_MIN_IDF = 1e-6
# Documents written or removed between the snapshot a search counts on and
# its ranking: the bound allows this many, and this share of a count.
BOUND_SLACK = 16
BOUND_SLACK_SHARE = 0.01


def _pairs_match(tokens: tuple[str, ...], *, columns: str = "") -> str:
    # Pair tokens hold letters, digits and "_" only: quoting cannot be escaped.
    expression = " AND ".join(f'"{t}"' for t in tokens)
    return f"{{{columns}}} : ({expression})" if columns else expression


class Fts5Backend(SearchBackend):
    vendor = "sqlite"
    # bm25 costs about 1 µs per document (20 ms for a word in 20 % of
    # 100,000 resources), on top of scanning the matches again (5 ms).
    rank_cap = 2_000
    # Ranking reads the whole match once, then bm25 per ranked document:
    # one pass over up to 8,000 costs about what two of 2,000 do.
    first_rank_pass = 4 * rank_cap
    # bm25 adds up over a query's phrases, however many.
    weighed_words = 1_000
    weights_drift = True

    def matching(
        self, query: ParsedQuery, *, scored: bool = False
    ) -> tuple[np.ndarray, np.ndarray | None]:
        statement = self.scored_matching_sql(query) if scored else None
        if statement is not None:
            ids, scores = fetch_scored(*statement)
            return ids, scores
        rest, tokens = pairs.split(query)
        if tokens and not rest.terms and not query.negative:
            return self._ids(_pairs_match(tokens), table=PAIRS), None
        expression = to_fts5(query) if query.positive else to_fts5(query, negated=True)
        return self._ids(expression), None

    def scored_matching_sql(self, query: ParsedQuery) -> tuple[str, list[Any]] | None:
        rest, tokens = pairs.split(query)
        if query.negative or not query.positive or (tokens and rest.terms):
            return None
        # The very expression and bm25 that ``relevance`` uses.
        table, bm25, expression = (
            (PAIRS, PAIRS_BM25, _pairs_match(tokens)) if tokens else (TABLE, BM25, to_fts5(rest))
        )
        return f"SELECT rowid, -{bm25} FROM {table} WHERE {table} MATCH %s", [expression]  # noqa: S608

    restricts_strong_ids = False

    def strong_ids(self, query: ParsedQuery, *, within: np.ndarray | None = None) -> np.ndarray:
        # "+rowid IN" would still scan every match: ``within`` is not used.
        rest, tokens = pairs.split(query)
        ids = None
        if tokens:
            ids = self._ids(_pairs_match(tokens, columns=STRONG_PAIRS), table=PAIRS)
        if rest.terms or ids is None:
            words = self._ids(to_fts5(rest, columns="title_terms keywords_terms"))
            ids = words if ids is None else np.intersect1d(ids, words)
        return ids

    def _ids(self, expression: str, *, table: str = TABLE) -> np.ndarray:
        return fetch_id_list(
            f"SELECT {aggregate('rowid')} FROM {table} WHERE {table} MATCH %s",  # noqa: S608
            [expression],
        )

    def relevance(self, query: ParsedQuery, document_ids: np.ndarray) -> np.ndarray:
        if not document_ids.size:
            return np.empty(0, dtype=np.float64)
        rest, tokens = pairs.split(query)
        total = np.zeros(document_ids.size, dtype=np.float64)
        if rest.terms:
            total += self._relevance(TABLE, BM25, to_fts5(rest), document_ids)
        if tokens:
            total += self._relevance(PAIRS, PAIRS_BM25, _pairs_match(tokens), document_ids)
        return total

    @staticmethod
    def _ranked_in(term: Term) -> tuple[str, str, str]:
        """The table that ranks ``term`` alone, its bm25 and the MATCH
        expression: a phrase of pair words is ranked in the pair index."""
        alone = ParsedQuery(terms=(Term(term.stems, term.prefix),))
        rest, tokens = pairs.split(alone)
        if tokens:
            return PAIRS, PAIRS_BM25, _pairs_match(tokens)
        return TABLE, BM25, to_fts5(rest)

    def term_weights(
        self, term: Term, document_ids: np.ndarray | None = None, *, matches: int = 0
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """bm25 is, per phrase of the query, IDF × a part that depends on
        the document alone (fts5_aux.c); that part is the weight, in the
        index that ranks the term (``_ranked_in``), whose rows the IDF
        counts."""
        table, bm25, expression = self._ranked_in(term)
        if document_ids is None:
            ids, scores = fetch_scored(
                f"SELECT rowid, -{bm25} FROM {table} WHERE {table} MATCH %s",  # noqa: S608
                [expression],
            )
            matches = int(ids.size)
        else:
            ids = np.sort(document_ids)
            scores = self._relevance(table, bm25, expression, ids)
            ids, scores = ids[scores != 0], scores[scores != 0]
        return ids, scores / self._idf(self._row_count(table), matches)

    def relevance_of_weights(
        self, terms: list[Term], weights: list[np.ndarray], matches: list[int]
    ) -> np.ndarray:
        rows = {table: self._row_count(table) for table in {self._ranked_in(t)[0] for t in terms}}
        total = np.zeros(weights[0].size if weights else 0, dtype=np.float64)
        for term, part, n in zip(terms, weights, matches, strict=True):
            total += self._idf(rows[self._ranked_in(term)[0]], n) * part
        return total

    @staticmethod
    def _idf(rows: int, matches: int) -> float:
        return max(math.log((rows - matches + 0.5) / (matches + 0.5)), BM25_MIN_IDF)

    def _row_count(self, table: str = TABLE) -> int:
        """The number of rows of an index (the words' or the pairs'), as
        bm25 counts them (FTS5's "averages" record starts with it, a
        varint)."""
        with read_connection().cursor() as cursor:
            cursor.execute(f"SELECT block FROM {table}_data WHERE id = 1")  # noqa: S608
            row = cursor.fetchone()
        return _varint(bytes(row[0])) if row is not None else 0

    def relevance_bound(self, query: ParsedQuery, counts: list[int]) -> float | None:
        """bm25 sums over the query's phrases IDF × f·(k1 + 1) / (f + k1·…),
        each fraction below k1 + 1, with IDF = ln((N - n + ½) / (n + ½)),
        N the rows of the index and n those matching the phrase (at least
        1e-6). Counted with a margin for documents written meanwhile. The
        pair index has rows of its own: no bound for pairs."""
        rest, tokens = pairs.split(query)
        if tokens or len(counts) != len(rest.terms):
            return None
        with read_connection().cursor() as cursor:
            # FTS5's "averages" record: the number of rows first (a varint).
            cursor.execute(f"SELECT block FROM {TABLE}_data WHERE id = 1")  # noqa: S608
            row = cursor.fetchone()
        if row is None:
            return None
        rows = _varint(bytes(row[0])) + BOUND_SLACK
        total = 0.0
        for n in counts:
            fewest = max(0.0, n * (1 - BOUND_SLACK_SHARE) - BOUND_SLACK)
            idf = math.log((rows - fewest + 0.5) / (fewest + 0.5))
            total += max(idf, BM25_MIN_IDF)
        return total * (BM25_K1 + 1) * (1 + 1e-9)

    def _relevance(
        self, table: str, bm25: str, expression: str, document_ids: np.ndarray
    ) -> np.ndarray:
        # "+rowid" filters the match scan instead of one lookup per id, and
        # bm25 runs only for the rows that pass.
        ids, scores = fetch_scored(
            f"SELECT rowid, -{bm25} FROM {table} WHERE {table} MATCH %s "  # noqa: S608
            "AND +rowid IN (SELECT value FROM json_each(%s))",
            [expression, json.dumps(document_ids.tolist())],
        )
        found = dict(zip(ids.tolist(), scores.tolist(), strict=True))
        return np.array([found.get(i, 0.0) for i in document_ids.tolist()], dtype=np.float64)

    def term_frequencies(self, min_documents: int, *, strong: bool = False) -> dict[str, int]:
        return self._statistics(TABLE, ("title_terms", "keywords_terms"), min_documents, strong)

    def pair_frequencies(self, min_documents: int, *, strong: bool = False) -> dict[str, int]:
        return self._statistics(PAIRS, ("title", "keywords"), min_documents, strong)

    def _statistics(
        self, table: str, strong_columns: tuple[str, str], min_documents: int, strong: bool
    ) -> dict[str, int]:
        with connection.cursor() as cursor:
            # Views of the index's own term statistics, for this connection:
            # per word, and per word and column.
            for kind in ("row", "col"):
                cursor.execute(
                    f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{table}_vocabulary_{kind} "
                    f"USING fts5vocab(main, {table}, {kind})"
                )
            if strong:
                cursor.execute(
                    f"SELECT term, SUM(doc) FROM temp.{table}_vocabulary_col "  # noqa: S608
                    "WHERE col IN (%s, %s) GROUP BY term HAVING SUM(doc) >= %s",
                    [*strong_columns, min_documents],
                )
            else:
                cursor.execute(
                    f"SELECT term, doc FROM temp.{table}_vocabulary_row WHERE doc >= %s",  # noqa: S608
                    [min_documents],
                )
            return dict(cursor.fetchall())

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
        # A contentless table forgets a row given the very values it holds;
        # the pair words do not change between rebuilds.
        self.pairs_write(document_ids, pairs.current_words(fresh=True), delete=True)

    def after_write(self, document_ids: Sequence[int]) -> None:
        self._copy(document_ids, delete=False)
        self.pairs_write(document_ids, pairs.current_words(fresh=True))

    def pairs_write(
        self, document_ids: Sequence[int], words: frozenset[str], *, delete: bool = False
    ) -> None:
        if not document_ids or not words:
            return
        rows: list[tuple[int, str, str, str, str]] = []
        for pk, fields in zip(document_ids, document_tokens(list(document_ids)), strict=True):
            title, keywords, description, body = (
                " ".join(f) for f in pairs.field_pairs(fields, words)
            )
            if title or keywords or description or body:
                rows.append((pk, title, keywords, description, body))
        command = f"{PAIRS}, " if delete else ""
        values = "'delete', %s, %s, %s, %s, %s" if delete else "%s, %s, %s, %s, %s"
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {PAIRS}({command}rowid, {PAIRS_COLUMNS}) VALUES ({values})",  # noqa: S608
                rows,
            )

    def pairs_clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {PAIRS}({PAIRS}) VALUES('delete-all')")

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
        self.pairs_clear()

    def rebuild(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES('rebuild')")


def _varint(data: bytes) -> int:
    """The SQLite varint at the start of ``data`` (big-endian, 7 bits a byte
    with the high bit set while more follow; the ninth byte whole)."""
    value = 0
    for i, byte in enumerate(data[:9]):
        if i == 8:
            return (value << 8) | byte
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            break
    return value
