"""System checks of the PostgreSQL server's settings for search (issue 15).

Search at a million resources stays within 50 ms only when the server keeps
the search tables in its own buffers, builds exact bitmaps of large matches
and does not compile queries just in time (README, "PostgreSQL at a
million"). These checks read the settings the app's sessions see (``SHOW``,
so ``POSTGRES_OPTIONS`` counts) and warn. They query the database, so like
Django's own database checks they run with ``manage.py check --database
default`` and before every ``manage.py migrate``, never on a plain
``manage.py check``; an unreachable database or SQLite is skipped.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.checks import CheckMessage, Tags, register
from django.core.checks import Warning as CheckWarning
from django.db import DatabaseError, connections

# The tables and indexes a search reads (bench/search_bench.py prewarms the same).
SEARCH_TABLES = (
    "search_pg_match",
    "search_pg_pairs",
    "search_searchdocument",
    "search_searchfacetvalue",
    "search_searchtermset",
)
# The table whose bitmap heap scans must stay exact: a word in every resource
# marks every page of it.
MATCH_TABLE = "search_pg_match"
# What one heap page costs in a TID bitmap (PagetableEntry and hash slot,
# rounded up), and PostgreSQL's own default for work_mem.
BITMAP_BYTES_PER_PAGE = 64
WORK_MEM_FLOOR = 4 * 1024 * 1024
MB = 1024 * 1024


@dataclass(frozen=True)
class ServerSettings:
    """What the checks compare: the session's settings and the search index's size."""

    jit: bool
    shared_buffers: int  # bytes
    work_mem: int  # bytes
    search_bytes: int  # tables, their TOAST and indexes
    match_pages: int  # heap pages of search_pg_match


def _megabytes(size: int) -> str:
    """A setting's value in whole megabytes, rounded up."""
    return f"{max(1, math.ceil(size / MB))}MB"


def recommended_shared_buffers(server: ServerSettings) -> int:
    """Room for every search table and index (a search reads the match
    index, the word sets and its page's documents; the rest of the site's
    tables are small beside them)."""
    return server.search_bytes


def recommended_work_mem(server: ServerSettings) -> int:
    """Enough for an exact bitmap of a match covering the whole match table
    (a lossy bitmap rechecks every row of its pages), never below PostgreSQL's
    default."""
    return max(WORK_MEM_FLOOR, server.match_pages * BITMAP_BYTES_PER_PAGE)


def settings_warnings(server: ServerSettings, alias: str = "default") -> list[CheckMessage]:
    """The warnings for one database's settings (pure: tested without a server)."""
    warnings: list[CheckMessage] = []
    if server.jit:
        warnings.append(
            CheckWarning(
                f"PostgreSQL ({alias}) compiles queries just in time (jit = on).",
                hint=(
                    "Set jit = off in postgresql.conf (or add -c jit=off to "
                    "POSTGRES_OPTIONS): a search's queries over a million rows "
                    "cost more than jit_above_cost, and compiling them takes "
                    "milliseconds that the query never wins back."
                ),
                id="commonroom.W031",
            )
        )
    needed = recommended_shared_buffers(server)
    if server.shared_buffers < needed:
        warnings.append(
            CheckWarning(
                f"PostgreSQL ({alias}) has shared_buffers = "
                f"{_megabytes(server.shared_buffers)}, less than the search tables "
                f"and indexes ({_megabytes(server.search_bytes)}).",
                hint=(
                    f"Set shared_buffers = {_megabytes(needed)} or more in "
                    "postgresql.conf and restart the server, so searches read "
                    "the index from memory."
                ),
                id="commonroom.W032",
            )
        )
    needed = recommended_work_mem(server)
    if server.work_mem < needed:
        warnings.append(
            CheckWarning(
                f"PostgreSQL ({alias}) has work_mem = {_megabytes(server.work_mem)}, "
                f"too little for an exact bitmap of a frequent word's matches "
                f"({server.match_pages:,} pages of {MATCH_TABLE}).",
                hint=(
                    f"Set work_mem = {_megabytes(needed)} or more (postgresql.conf, "
                    "or -c work_mem=… in POSTGRES_OPTIONS): a lossy bitmap makes "
                    "the server recheck every row of the pages it covers."
                ),
                id="commonroom.W033",
            )
        )
    return warnings


SETTINGS_SQL = (
    "SELECT current_setting('jit') = 'on', "
    "pg_size_bytes(current_setting('shared_buffers')), "
    "pg_size_bytes(current_setting('work_mem')), "
    "COALESCE(SUM(pg_total_relation_size(c.oid)), 0), "
    "COALESCE(MAX(c.relpages) FILTER (WHERE c.relname = %s), 0) "
    "FROM (SELECT 1) AS one LEFT JOIN pg_class c "
    "ON c.relname = ANY(%s) AND c.relkind = 'r' AND pg_table_is_visible(c.oid)"
)


def read_settings(alias: str) -> ServerSettings | None:
    """The server's settings as the app's sessions see them; None when the
    database is not PostgreSQL or does not answer."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return None
    try:
        with connection.cursor() as cursor:
            cursor.execute(SETTINGS_SQL, [MATCH_TABLE, list(SEARCH_TABLES)])
            row: Sequence[Any] | None = cursor.fetchone()
    except DatabaseError:
        return None
    if row is None:
        return None
    jit, shared_buffers, work_mem, search_bytes, match_pages = row
    return ServerSettings(
        jit=bool(jit),
        shared_buffers=int(shared_buffers),
        work_mem=int(work_mem),
        search_bytes=int(search_bytes),
        match_pages=int(match_pages),
    )


@register(Tags.database)
def postgresql_settings(
    app_configs: Iterable[Any] | None = None,
    databases: Iterable[str] | None = None,
    **kwargs: Any,
) -> list[CheckMessage]:
    """commonroom.W031–W033: jit, shared_buffers and work_mem of the default
    database, when it is PostgreSQL and answers."""
    if not databases or "default" not in databases:
        return []
    server = read_settings("default")
    return settings_warnings(server) if server is not None else []
