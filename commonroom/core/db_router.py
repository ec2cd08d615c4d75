"""Read replicas (issue 19, item 2): reads of GET requests go to a streaming
replica, everything else to the primary ("default").

Which database a read uses is decided once per request and kept in a
context variable, so every query of one page (the ORM's through the router,
raw SQL through ``read_connection()``) sees one database at one moment:

- a GET or HEAD request reads from a replica, chosen at random among those
  whose lag is below ``REPLICA_MAX_LAG_SECONDS`` (each process asks each
  replica at most every ``REPLICA_CHECK_SECONDS``);
- a request after a write by the same browser reads from the primary: a
  request with another method, or a GET that wrote, sets a cookie
  (``REPLICA_STICKY_COOKIE``) for ``REPLICA_STICKY_SECONDS``, so the page a
  form redirects to shows what was just saved;
- within a request, the first write moves every later read to the primary;
- inside a transaction (``select_for_update`` included), in management
  commands, the task worker and the scheduler, every read is on the primary,
  unless code asks for a replica with ``replica_reads()``;
- migrations run on the primary only; replicas copy them.

Without ``DATABASE_REPLICA_URLS`` the router is not installed and every
alias below is "default".
"""

from __future__ import annotations

import contextlib
import logging
import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

PRIMARY = "default"
REPLICA_PREFIX = "replica_"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Writes that say nothing the member will look for on the next page: a GET
# may save its session or fill a shared search cache without pinning the
# browser to the primary.
UNREMARKABLE_WRITES = frozenset({"search.searchtermset"})
UNREMARKABLE_APPS = frozenset({"django_cache", "sessions", "usersessions"})

# The database reads go to now (None: the primary).
_reading: ContextVar[str | None] = ContextVar("db_reading", default=None)
# Whether this request (or task) wrote something worth reading back.
_wrote: ContextVar[bool] = ContextVar("db_wrote", default=False)


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith(REPLICA_PREFIX)]


def _in_transaction() -> bool:
    """Whether the primary is in a transaction of the code (not one a test
    case wraps every test in)."""
    blocks = getattr(connections[PRIMARY], "atomic_blocks", [])
    return any(not getattr(block, "_from_testcase", False) for block in blocks)


def read_alias() -> str:
    """The database a read should use now."""
    alias = _reading.get()
    if alias is None or _in_transaction():
        return PRIMARY
    return alias


def read_connection() -> BaseDatabaseWrapper:
    """The connection for a raw SQL read (the ORM goes through the router)."""
    return connections[read_alias()]


def primary_pin() -> None:
    """Every later read of this request on the primary (the code just wrote,
    or needs data newer than a replica has)."""
    if _reading.get() is not None:
        _reading.set(None)


@contextmanager
def replica_reads(alias: str | None = None) -> Iterator[str]:
    """Reads inside go to a replica (``alias``, else a healthy one; the
    primary when there is none): for a read-only selector run outside a
    request. Yields the alias chosen."""
    chosen = alias or replica_choose()
    token = _reading.set(None if chosen == PRIMARY else chosen)
    try:
        yield chosen
    finally:
        _reading.reset(token)


@contextmanager
def primary_reads() -> Iterator[None]:
    """Reads inside go to the primary, whatever the request chose."""
    token = _reading.set(None)
    try:
        yield
    finally:
        _reading.reset(token)


# --- replica health: lag, asked at most every REPLICA_CHECK_SECONDS -----------

LAG_SQL = (
    "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0 "
    "WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
)


@dataclass(frozen=True)
class ReplicaState:
    lag: float | None  # seconds; None: unreachable
    checked_at: float


_states: dict[str, ReplicaState] = {}
_states_lock = threading.Lock()


def replica_lag(alias: str) -> float:
    """Seconds the replica's replay is behind (0 when it has replayed all it
    received); raises when it cannot be reached."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute(LAG_SQL)
        row = cursor.fetchone()
    return max(float(row[0] or 0.0), 0.0)


def replica_state(alias: str, *, clock: Callable[[], float] = time.monotonic) -> ReplicaState:
    now = clock()
    state = _states.get(alias)
    if state is not None and now - state.checked_at < settings.REPLICA_CHECK_SECONDS:
        return state
    try:
        lag: float | None = replica_lag(alias)
    except Exception as error:
        logger.warning("Replica %s is unreachable: %r", alias, error)
        lag = None
        # The next request connects afresh; closing a broken one may fail too.
        with contextlib.suppress(Exception):
            connections[alias].close()
    state = ReplicaState(lag=lag, checked_at=now)
    with _states_lock:
        _states[alias] = state
    if lag is not None and lag > settings.REPLICA_MAX_LAG_SECONDS:
        logger.warning("Replica %s is %.1f s behind: reads go elsewhere", alias, lag)
    return state


def replica_usable(alias: str) -> bool:
    lag = replica_state(alias).lag
    return lag is not None and lag <= settings.REPLICA_MAX_LAG_SECONDS


def replica_choose() -> str:
    """A replica fit to read from, at random; the primary when none is."""
    usable = [alias for alias in replica_aliases() if replica_usable(alias)]
    return random.choice(usable) if usable else PRIMARY  # noqa: S311 - load spreading


def replica_states_forget() -> None:
    """Ask every replica again at the next choice (tests)."""
    with _states_lock:
        _states.clear()


# --- the router ------------------------------------------------------------------


def _label(model: Any) -> str:
    # The database cache's model is a stand-in whose _meta has no label.
    meta = getattr(model, "_meta", None)
    return f"{getattr(meta, 'app_label', '')}.{getattr(meta, 'model_name', '')}"


class ReplicaRouter:
    """settings.DATABASE_ROUTERS when replicas are configured."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        meta = getattr(model, "_meta", None)
        if meta is not None and meta.app_label in UNREMARKABLE_APPS:
            # The database cache (rate limits, the maintenance switch) and
            # sessions must be exact.
            return PRIMARY
        return read_alias()

    def db_for_write(self, model: Any, **hints: Any) -> str:
        label = _label(model)
        meta = getattr(model, "_meta", None)
        remarkable = label not in UNREMARKABLE_WRITES and (
            meta is None or meta.app_label not in UNREMARKABLE_APPS
        )
        if remarkable:
            _wrote.set(True)
            primary_pin()
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # every database holds the same rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY


# --- the request's choice -----------------------------------------------------------


def _sticky_until(request: HttpRequest) -> float:
    try:
        return float(request.COOKIES.get(settings.REPLICA_STICKY_COOKIE, "0"))
    except ValueError:
        return 0.0


def request_read_alias(request: HttpRequest, *, now: float | None = None) -> str:
    """Where this request's reads go."""
    if request.method not in SAFE_METHODS:
        return PRIMARY
    now = time.time() if now is None else now
    until = _sticky_until(request)
    # A value further ahead than the setting allows was not set by us.
    if now < until <= now + settings.REPLICA_STICKY_SECONDS:
        return PRIMARY
    return replica_choose()


class ReplicaRoutingMiddleware:
    """Chooses the database of a request's reads and marks a browser that
    wrote, so that its next requests read what it wrote."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_aliases():
            return self.get_response(request)
        alias = request_read_alias(request)
        reading = _reading.set(None if alias == PRIMARY else alias)
        wrote = _wrote.set(False)
        try:
            response = self.get_response(request)
            if request.method not in SAFE_METHODS or _wrote.get():
                seconds = settings.REPLICA_STICKY_SECONDS
                response.set_cookie(
                    settings.REPLICA_STICKY_COOKIE,
                    f"{time.time() + seconds:.3f}",
                    max_age=seconds,
                    secure=settings.SESSION_COOKIE_SECURE,
                    httponly=True,
                    samesite="Lax",
                )
            return response
        finally:
            _reading.reset(reading)
            _wrote.reset(wrote)
