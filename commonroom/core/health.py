"""Liveness and readiness for load balancers and process supervisors.

/healthz says the web process runs and nothing else: a load balancer that
took it out of service because Redis or the database is away would turn a
partial outage into a whole one. /readyz asks every dependency and names the
one that is down.

Both are answered by HealthCheckMiddleware before any other middleware:
those read the session, the maintenance switch and the host name, and a
probe must not depend on any of them.
"""

import logging
from collections.abc import Callable

import redis
from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

# A probe answers within a few seconds even when a dependency hangs.
PROBE_TIMEOUT_SECONDS = 2.0

Check = Callable[[], None]


def _database() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache() -> None:
    cache = caches["default"]
    if type(cache).__module__.startswith("django_redis"):
        # IGNORE_EXCEPTIONS hides a dead Redis from cache.get; ask it directly.
        from django_redis import get_redis_connection

        get_redis_connection("default").ping()
        return
    cache.set("health:probe", 1, 10)
    if cache.get("health:probe") != 1:
        raise RuntimeError("the cache does not keep what it is given")


def _task_queue() -> None:
    backend = str(settings.TASKS["default"]["BACKEND"])
    if backend.endswith("RQBackend"):
        url = settings.RQ_QUEUES["default"]["URL"]
        client = redis.Redis.from_url(
            url,
            socket_connect_timeout=PROBE_TIMEOUT_SECONDS,
            socket_timeout=PROBE_TIMEOUT_SECONDS,
        )
        try:
            client.ping()
        finally:
            client.close()
    elif backend.endswith("DatabaseBackend"):
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.order_by().values_list("id").first()
    # The immediate backend runs tasks in the request: always ready.


CHECKS: dict[str, Check] = {"database": _database, "cache": _cache, "tasks": _task_queue}


def dependencies_check() -> dict[str, str]:
    """Each dependency's state: "ok", or "down" (the reason is logged)."""
    states = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:
            logger.exception("Readiness: %s is down", name)
            states[name] = "down"
        else:
            states[name] = "ok"
    return states


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    response = JsonResponse({"status": "ok", "platform": settings.PLATFORM_NAME})
    add_never_cache_headers(response)
    return response


@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    states = dependencies_check()
    down = [name for name, state in states.items() if state != "ok"]
    response = JsonResponse(
        {"status": "unavailable" if down else "ok", "checks": states, "down": down},
        status=503 if down else 200,
    )
    add_never_cache_headers(response)
    return response


PROBES: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "/healthz": healthz,
    "/readyz": readyz,
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
