"""Prometheus metrics at /metrics (issue 19, item 4).

What is measured (``docs/operations.md`` says what each means):

- ``commonroom_http_request_duration_seconds`` (histogram) and
  ``commonroom_http_responses_total`` (counter), by route: the URL pattern's
  name (``core.requestlog.route_name``), never the path;
- ``commonroom_search_duration_seconds``: one search selector's time;
- ``commonroom_cache_requests_total{result="hit"|"miss"}``: reads of the
  default cache (``core.cache``), hence its hit rate;
- ``commonroom_task_runs_total`` / ``commonroom_task_failures_total``:
  background tasks run by a worker (``core.outbox``), by task;
- ``commonroom_outbox_entries{state}`` and ``commonroom_rq_queue_length``:
  the queue's depth, read from the database (and Redis) at each scrape, so
  they hold for the whole installation.

gunicorn runs several worker processes: each writes its samples under
``PROMETHEUS_MULTIPROC_DIR`` (set by ``core.gunicorn_hooks`` or
``scripts/serve``), and /metrics adds up every process's files. Without it
(``runserver``, tests) each process reports its own.

Who may read them: a client in ``METRICS_ALLOWED_NETWORKS`` (loopback by
default; behind a trusted proxy the client's address, not the proxy's), or
anyone sending ``Authorization: Bearer <METRICS_TOKEN>``.
"""

from __future__ import annotations

import functools
import hmac
import logging
import os
import time
from collections.abc import Callable, Iterator
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from commonroom.core.clientip import address_within, client_ip

logger = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

REQUEST_SECONDS = Histogram(
    "commonroom_http_request_duration_seconds",
    "Time from the request's arrival to its response, by route and method.",
    ["route", "method"],
    buckets=LATENCY_BUCKETS,
)
RESPONSES = Counter(
    "commonroom_http_responses",
    "Responses, by route, method and status code.",
    ["route", "method", "status"],
)
SEARCH_SECONDS = Histogram(
    "commonroom_search_duration_seconds",
    "Time of one search selector (matching, filtering, counting, ranking, cards).",
    ["selector"],
    buckets=LATENCY_BUCKETS,
)
CACHE_REQUESTS = Counter(
    "commonroom_cache_requests",
    "Keys read from the default cache, by result (hit or miss).",
    ["result"],
)
TASK_RUNS = Counter(
    "commonroom_task_runs",
    "Background task runs by a worker, by task and outcome (done, retry, failed).",
    ["task", "outcome"],
)
TASK_FAILURES = Counter(
    "commonroom_task_failures",
    "Background task runs that raised, by task (each retry counts).",
    ["task"],
)


def multiprocess_dir() -> str:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


def request_observe(*, route: str, method: str, status: int, seconds: float) -> None:
    try:
        REQUEST_SECONDS.labels(route, method).observe(seconds)
        RESPONSES.labels(route, method, str(status)).inc()
    except Exception:  # a full disk must not fail the request
        logger.exception("Could not record the request's metrics")


def cache_observe(*, hits: int, misses: int) -> None:
    try:
        if hits:
            CACHE_REQUESTS.labels("hit").inc(hits)
        if misses:
            CACHE_REQUESTS.labels("miss").inc(misses)
    except Exception:
        logger.exception("Could not record the cache's metrics")


def task_observe(*, task: str, outcome: str) -> None:
    try:
        TASK_RUNS.labels(task, outcome).inc()
        if outcome != "done":
            TASK_FAILURES.labels(task).inc()
    except Exception:
        logger.exception("Could not record the task's metrics")


def search_timed(name: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorator: the selector's time into ``commonroom_search_duration_seconds``."""

    def decorate(selector: Callable[P, R]) -> Callable[P, R]:
        histogram = SEARCH_SECONDS.labels(name)

        @functools.wraps(selector)
        def timed(*args: P.args, **kwargs: P.kwargs) -> R:
            started = time.perf_counter()
            try:
                return selector(*args, **kwargs)
            finally:
                histogram.observe(time.perf_counter() - started)

        return timed

    return decorate


class QueueCollector(Collector):
    """The queue's depth, asked at each scrape: outbox entries by state (the
    database's view of every background task) and, with RQ, the length of
    each Redis queue."""

    def collect(self) -> Iterator[Metric]:
        from django.db.models import Count

        from commonroom.core.models import OutboxEntry

        entries = GaugeMetricFamily(
            "commonroom_outbox_entries",
            "Background tasks by state (pending, queued, running, failed; done ones "
            "are kept TASK_RESULT_RETENTION_DAYS).",
            labels=["state"],
        )
        counts = dict(
            OutboxEntry.objects.order_by()
            .values_list("state")
            .annotate(n=Count("pk"))
            .values_list("state", "n")
        )
        for state in OutboxEntry.State.values:
            entries.add_metric([str(state)], counts.get(state, 0))
        yield entries
        if str(settings.TASKS["default"]["BACKEND"]).endswith("RQBackend"):
            yield from _rq_lengths()


def _rq_lengths() -> Iterator[Metric]:
    import django_rq

    lengths = GaugeMetricFamily(
        "commonroom_rq_queue_length", "Jobs waiting in each RQ queue.", labels=["queue"]
    )
    for name in settings.RQ_QUEUES:
        try:
            lengths.add_metric([name], len(django_rq.get_queue(name)))
        except Exception as error:
            logger.warning("Could not read the length of RQ queue %s: %r", name, error)
    yield lengths


def registry_for_scrape() -> CollectorRegistry:
    if multiprocess_dir():
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        registry.register(_ProcessRegistry())
    registry.register(QueueCollector())
    return registry


class _ProcessRegistry(Collector):
    """This process's own metrics (no multi-process directory)."""

    def collect(self) -> Iterator[Metric]:
        yield from REGISTRY.collect()


def metrics_allowed(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    given = request.META.get("HTTP_AUTHORIZATION", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    return address_within(client_ip(request), settings.METRICS_ALLOWED_NETWORKS)


def metrics_view(request: HttpRequest) -> HttpResponse:
    """/metrics: answered by HealthCheckMiddleware before sessions and the
    maintenance switch, like the probes."""
    if not metrics_allowed(request):
        response = HttpResponse("Forbidden\n", status=403, content_type="text/plain")
    else:
        body: Any = generate_latest(registry_for_scrape())
        response = HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
    add_never_cache_headers(response)
    return response
