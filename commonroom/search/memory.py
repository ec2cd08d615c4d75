"""An in-process, columnar copy of the index's facet and quality columns.

Counting five facets with ``GROUP BY`` over the match set costs about 10 µs
per matching resource on both SQL engines (seconds for a common term at
national scale). Here the engine only matches; filters, disjunctive facet
counts and the quality part of the ranking run over numpy arrays, a few
nanoseconds per resource.

The copy is never stale: every write to the index bumps
``SearchIndexState.version`` in its own transaction and records what it
changed in ``SearchIndexChange``; each search first reads the version (one
small query, or a rare word's match with it: ``snapshot_with``) and, when it
moved, applies the itemised changes (or reloads everything when the history
does not reach back far enough). So a resource
is findable and counted by every web process from the request after the one
that published it.
"""

from __future__ import annotations

import threading
from typing import Any

from commonroom.core.db_router import PRIMARY, primary_pin, read_alias
from commonroom.search import snapshot_loading
from commonroom.search.compiled import prepared_cursor
from commonroom.search.index_snapshot import Snapshot
from commonroom.search.models import SearchIndexChange, SearchIndexState

# Rows beyond this many itemised changes are cheaper to reload at once.
MAX_INCREMENTAL = 2_000


_lock = threading.Lock()
_current: Snapshot | None = None


def current_version() -> tuple[int, str]:
    # Every search asks: planned once per connection on PostgreSQL.
    with prepared_cursor() as cursor:
        cursor.execute(
            f"SELECT version, stamp FROM {SearchIndexState._meta.db_table} WHERE id = 1"  # noqa: S608
        )
        row = cursor.fetchone()
    return (int(row[0]), str(row[1])) if row else (0, "")


def snapshot() -> Snapshot:
    """The index in memory at the version now committed (one query when
    nothing changed)."""
    return _brought_to(*current_version())


def snapshot_with(sql: str, params: list[Any]) -> tuple[Snapshot, list[tuple[Any, ...]] | None]:
    """``snapshot()``, its version read in the same statement as the rows
    of ``sql`` (a rare word's match: one round trip where the search made
    two, the rows and the version seen at the same moment). The rows are
    None when the copy is not at that very version (a replica behind this
    process's copy: the rest of the request reads from the primary, and
    the caller reads the rows again)."""
    state = SearchIndexState._meta.db_table
    with prepared_cursor() as cursor:
        cursor.execute(
            f"SELECT 0, version, stamp, NULL, NULL FROM {state} WHERE id = 1 "  # noqa: S608
            f"UNION ALL SELECT 1, NULL, NULL, found.* FROM ({sql}) found",
            params,
        )
        rows = cursor.fetchall()
    version, stamp = next(((int(r[1]), str(r[2])) for r in rows if r[0] == 0), (0, ""))
    copy = _brought_to(version, stamp)
    if (copy.version, copy.stamp) != (version, stamp):
        return copy, None
    return copy, [tuple(r[3:]) for r in rows if r[0] == 1]


def kept() -> Snapshot | None:
    """This process's copy as it is, without asking for the version: what
    it held a moment ago (None before the first search)."""
    return _current


def _brought_to(version: int, stamp: str) -> Snapshot:
    """The copy at the committed ``version``, caught up when it moved."""
    global _current
    cached = _current
    if cached is not None and (cached.version, cached.stamp) != (version, stamp):
        version, stamp = _not_behind(cached, version, stamp)
    if cached is not None and (cached.version, cached.stamp) == (version, stamp):
        return cached
    with _lock:
        cached = _current
        if cached is not None and (cached.version, cached.stamp) == (version, stamp):
            return cached
        fresh = _catch_up(cached, version, stamp)
        _current = fresh
        return fresh


def _not_behind(cached: Snapshot, version: int, stamp: str) -> tuple[int, str]:
    """On a replica behind this process's copy (it served a reader of the
    primary a moment ago), the rest of the request reads from the primary:
    a search never matches in an index older than its columns, and the copy
    is never thrown away for an older one."""
    if read_alias() == PRIMARY:
        return version, stamp
    if stamp == cached.stamp and version > cached.version:
        return version, stamp  # the replica is ahead: catch up from it
    primary_pin()
    return current_version()


def latest() -> Snapshot:
    """This process's copy as last brought up to date (in a search, at the
    version the search started from), without asking for the version."""
    return _current or snapshot()


def _catch_up(cached: Snapshot | None, version: int, stamp: str) -> Snapshot:
    if cached is not None and 0 < cached.version < version:
        changes = list(
            SearchIndexChange.objects.filter(version__gte=cached.version, version__lte=version)
            .order_by("version", "pk")
            .values_list("version", "stamp", "kind", "document_id")[: MAX_INCREMENTAL + 1]
        )
        versions = {v: s for v, s, _, _ in changes}
        reaches_back = versions.get(cached.version) == cached.stamp
        complete = len(versions) == version - cached.version + 1 and versions.get(version) == stamp
        later = [c for c in changes if c[0] > cached.version]
        if reaches_back and complete and len(changes) <= MAX_INCREMENTAL and later:
            return snapshot_loading.apply_changes(cached, later)
    return snapshot_loading.load(version, stamp)


def forget() -> None:
    """Drop this process's copy (tests, and after a bulk load in-process)."""
    global _current
    with _lock:
        _current = None
