"""Liveness and readiness for load balancers and process supervisors.

/healthz says the web process runs and nothing else: a load balancer that
took it out of service because Redis or the database is away would turn a
partial outage into a whole one. /readyz asks every dependency and names the
one that is down: the database, each read replica (with its lag), the
cache, the private file storage and the task queue (with its depth), each
with its time. A required part down answers 503; a replica down or behind
leaves the site up (the router stops reading from it) and is reported as
"degraded".

Both are answered by HealthCheckMiddleware before any other middleware:
those read the session, the maintenance switch and the host name, and a
probe must not depend on any of them.
"""

import logging
import time
from collections.abc import Callable
from typing import Any

import redis
from django.conf import settings
from django.core.cache import caches
from django.core.files.storage import storages
from django.db import connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe
from django_redis.cache import RedisCache

from commonroom.core import db_router
from commonroom.core.metrics import metrics_view

logger = logging.getLogger(__name__)

# A probe answers within a few seconds even when a dependency hangs.
PROBE_TIMEOUT_SECONDS = 2.0

# A check returns what it measured besides its time (a queue's depth, a
# replica's lag), and raises when its part is down.
Check = Callable[[], dict[str, Any]]


def _database() -> dict[str, Any]:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
    return {}


def _cache() -> dict[str, Any]:
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        # IGNORE_EXCEPTIONS hides a dead Redis from cache.get; ask it directly.
        from django_redis import get_redis_connection

        get_redis_connection("default").ping()
        return {}
    cache.set("health:probe", 1, 10)
    if cache.get("health:probe") != 1:
        raise RuntimeError("the cache does not keep what it is given")
    return {}


def _storage() -> dict[str, Any]:
    """One existence check in the private storage (a stat on disk, a HEAD
    request on S3): it answers, whatever the backend."""
    storages["private"].exists(STORAGE_PROBE_NAME)
    return {}


def _task_queue() -> dict[str, Any]:
    backend = str(settings.TASKS["default"]["BACKEND"])
    measured: dict[str, Any] = {"backend": backend.rsplit(".", 1)[-1]}
    if backend.endswith("RQBackend"):
        url = settings.RQ_QUEUES["default"]["URL"]
        client = redis.Redis.from_url(
            url,
            socket_connect_timeout=PROBE_TIMEOUT_SECONDS,
            socket_timeout=PROBE_TIMEOUT_SECONDS,
        )
        try:
            client.ping()
            measured["rq_length"] = client.llen("rq:queue:default")
        finally:
            client.close()
    elif backend.endswith("DatabaseBackend"):
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.order_by().values_list("id").first()
    # The immediate backend runs tasks in the request: always ready.
    from commonroom.core.models import OutboxEntry

    measured["depth"] = OutboxEntry.objects.filter(
        state__in=(OutboxEntry.State.PENDING, OutboxEntry.State.QUEUED)
    ).count()
    return measured


def _replica(alias: str) -> Check:
    def check() -> dict[str, Any]:
        lag = db_router.replica_lag(alias)
        measured: dict[str, Any] = {"lag_seconds": round(lag, 3)}
        if lag > settings.REPLICA_MAX_LAG_SECONDS:
            measured["status"] = "lagging"
        return measured

    return check


STORAGE_PROBE_NAME = "readyz-probe"
CHECKS: dict[str, Check] = {
    "database": _database,
    "cache": _cache,
    "storage": _storage,
    "queue": _task_queue,
}


def all_checks() -> dict[str, tuple[Check, bool]]:
    """Each part's check, and whether the site needs it (a replica that is
    down or behind only stops being read from)."""
    checks = {name: (check, True) for name, check in CHECKS.items()}
    for alias in db_router.replica_aliases():
        checks[alias] = (_replica(alias), False)
    return checks


def dependencies_check() -> dict[str, dict[str, Any]]:
    """Each part's state ("ok", "down", or "lagging" for a replica), its
    time in milliseconds, whether it is required, and what it measured; the
    reason a part is down is logged."""
    states: dict[str, dict[str, Any]] = {}
    for name, (check, required) in all_checks().items():
        started = time.perf_counter()
        try:
            measured = check()
        except Exception:
            logger.exception("Readiness: %s is down", name)
            measured = {"status": "down"}
        state = {"status": "ok", "required": required, **measured}
        state["ms"] = round((time.perf_counter() - started) * 1000, 2)
        states[name] = state
    return states


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    response = JsonResponse({"status": "ok", "platform": settings.PLATFORM_NAME})
    add_never_cache_headers(response)
    return response


@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    states = dependencies_check()
    down = [name for name, state in states.items() if state["status"] != "ok"]
    required_down = [name for name in down if states[name]["required"]]
    status = "unavailable" if required_down else "degraded" if down else "ok"
    response = JsonResponse(
        {"status": status, "checks": states, "down": required_down, "degraded": down},
        status=503 if required_down else 200,
    )
    add_never_cache_headers(response)
    return response


PROBES: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "/healthz": healthz,
    "/readyz": readyz,
    "/metrics": metrics_view,
}


class HealthCheckMiddleware:
    """First in MIDDLEWARE: probes never touch the session, cache or host check."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = PROBES.get(request.path_info)
        if probe is not None and request.method in ("GET", "HEAD"):
            return probe(request)
        return self.get_response(request)
