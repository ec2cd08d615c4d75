"""Reads of a few rows by id whose SQL the ORM writes once per process.

Writing a query costs Django's ORM about as much as a small read costs the
database several times over: for the 20 cards of a results page, 1.5–2 ms
of CPU against 0.3 ms for the same SQL run directly (issue 15, item 3,
bench/README.md). ``rows_by_ids`` lets the ORM write a kind's query once
per number of ids, keeps the SQL, and runs it again with the ids put in
their places; on PostgreSQL the server plans it once per connection
(``prepared_cursor``). The rows are the database's own values, without the ORM's
conversions: read text and whole numbers only."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.db.models import QuerySet

from commonroom.core.db_router import read_connection

# Ids no table holds, one per place, to find where the ids go.
_SENTINEL = -(2**52)

_compiled: dict[tuple[str, str, int], tuple[str, list[Any], list[int]] | None] = {}


def id_bucket(n: int) -> int:
    """The number of places a read of ``n`` ids is written with: the next
    power of two. Each number of places is its own SQL text, written by the
    ORM (a few milliseconds) and, on PostgreSQL, planned and prepared per
    connection; with one text per number of ids, each of a page's 1 to 20
    results paid that on its first search in a process (a rare word's
    first search 5 ms more than the next). Six texts cover a page, and the
    warm-ups prepare them (``search.warmup``)."""
    return 1 << max(0, n - 1).bit_length()


def padded(ids: Sequence[int]) -> list[int]:
    """``ids`` (distinct, at least one) with the last repeated up to its
    bucket's number of places: ``IN`` reads a repeated id once."""
    ids = list(ids)
    return ids + ids[-1:] * (id_bucket(len(ids)) - len(ids))


def _compile(
    build: Callable[[list[int]], QuerySet[Any]], n: int
) -> tuple[str, list[Any], list[int]] | None:
    sentinels = [_SENTINEL - i for i in range(n)]
    sql, params = build(sentinels).query.sql_with_params()
    known = set(sentinels)
    places = [i for i, p in enumerate(params) if isinstance(p, int) and p in known]
    if [params[i] for i in places] != sentinels:
        return None  # the ids are not plain parameters, in order: let the ORM run it
    return sql, list(params), places


def prepared_cursor() -> CursorWrapper:
    """A cursor of the read connection (a replica's, when the request reads
    from one: ``core.db_router``). On PostgreSQL its parameters are bound
    on the server, so psycopg prepares a query this process runs again and
    again (after ``prepare_threshold`` runs on a connection: the
    setting POSTGRES_PREPARE_THRESHOLD, 2 unless set) and the
    server stops planning it: the cards' query, with its joins, took 3 ms
    to plan and 0.7 ms to run (issue 15, item 3). Ids are sent as bigint,
    so every list of them is one statement whatever their size."""
    wrapper = read_connection()
    if wrapper.vendor != "postgresql":
        return wrapper.cursor()
    import psycopg
    from psycopg.types.numeric import Int8Dumper

    wrapper.ensure_connection()
    raw = psycopg.Cursor(wrapper.connection)
    raw.adapters.register_dumper(int, Int8Dumper)
    wrapper.validate_thread_sharing()
    # Logged and counted as any other query, under its own text: psycopg
    # keeps none of a run of a prepared statement, where Django looks.
    if wrapper.queries_logged:
        return _WrittenSqlLogged(raw, wrapper)
    return CursorWrapper(raw, wrapper)


class _WrittenSqlLogged(CursorDebugWrapper):
    """Django's debug cursor, logging the SQL as written (placeholders and
    all) rather than asking psycopg for the text it last sent."""

    @contextmanager
    def debug_sql(
        self,
        sql: str | None = None,
        params: Any = None,
        use_last_executed_query: bool = False,
        many: bool = False,
    ) -> Iterator[None]:
        with super().debug_sql(sql, params, use_last_executed_query=False, many=many):
            yield


def rows_by_ids(
    name: str, build: Callable[[list[int]], QuerySet[Any]], ids: Sequence[int]
) -> list[tuple[Any, ...]]:
    """The rows of ``build(ids)`` (a ``values_list`` query), whose SQL is
    written once per ``name``, database and bucket of the number of ids
    (``id_bucket``)."""
    ids = list(dict.fromkeys(int(i) for i in ids))  # the ORM drops repeated ids too
    if not ids:
        return []
    places_of_ids = padded(ids)
    key = (name, read_connection().vendor, len(places_of_ids))
    if key not in _compiled:
        _compiled[key] = _compile(build, len(places_of_ids))
    compiled = _compiled[key]
    if compiled is None:
        return [tuple(row) for row in build(ids)]
    sql, params, places = compiled
    params = list(params)
    for place, value in zip(places, places_of_ids, strict=True):
        params[place] = value
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]
