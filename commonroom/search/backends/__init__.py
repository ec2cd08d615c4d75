"""The engine behind search, chosen from the database vendor."""

from __future__ import annotations

from django.db import connection

from commonroom.search.backends.base import SearchBackend


def get_backend() -> SearchBackend:
    if connection.vendor == "postgresql":
        from commonroom.search.backends.postgres import PostgresBackend

        return PostgresBackend()
    from commonroom.search.backends.sqlite_fts5 import Fts5Backend

    return Fts5Backend()
