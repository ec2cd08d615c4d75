"""The request id, the one log line per request, and JSON logs (issue 19,
item 4).

Every request gets an id: the ``X-Request-ID`` a trusted proxy
(``TRUSTED_PROXIES``) sent, else a new one. It is returned in the
response's ``X-Request-ID`` header and kept in a context variable that
``RequestIdFilter`` writes onto every log record, so every line a request
logs carries it. ``core.outbox`` stores it with each background task the
request starts, and the worker runs the task with it: the task's log lines
carry the id of the request that asked for the work.

With ``LOG_FORMAT=json`` each log record is one JSON object per line
(``JsonFormatter``), and ``REQUEST_LOG`` (on by default with JSON) adds
one line per request: method, route (the URL pattern's name, never the
path), status, duration and the request id.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

from commonroom.core import metrics
from commonroom.core.clientip import from_trusted_proxy

logger = logging.getLogger("commonroom.requests")

HEADER = "X-Request-ID"
# What a proxy's id may look like (nginx's $request_id is 32 hex digits).
_VALID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
NO_REQUEST = "-"

_request_id: ContextVar[str] = ContextVar("request_id", default="")


def request_id() -> str:
    """The id of the request (or the task it started) being served; ""
    outside of one."""
    return _request_id.get()


def request_id_new() -> str:
    return uuid.uuid4().hex


@contextmanager
def request_id_bound(value: str) -> Iterator[str]:
    """Log records inside carry ``value`` (a new id when empty)."""
    value = value or request_id_new()
    token = _request_id.set(value)
    try:
        yield value
    finally:
        _request_id.reset(token)


def request_id_of(request: HttpRequest) -> str:
    """The proxy's id when a trusted proxy sent a well-formed one, else new."""
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    proxy = request.META.get("REMOTE_ADDR", "")
    if given and _VALID.fullmatch(given) and from_trusted_proxy(proxy):
        return str(given)
    return request_id_new()


# The probes are answered before URL resolution; they keep their own names.
PROBE_ROUTES = {"/healthz": "healthz", "/readyz": "readyz", "/metrics": "metrics"}


def route_name(request: HttpRequest) -> str:
    """The URL pattern's name (``namespace:name``), a bounded set of labels:
    "unmatched" for a path no pattern takes, "unnamed" for a pattern without
    a name."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        if probe := PROBE_ROUTES.get(request.path_info):
            return probe
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return "unmatched"
    return str(match.view_name) if match.url_name else "unnamed"


class RequestLogMiddleware:
    """Outermost: binds the request id, measures the request, logs its line."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        with request_id_bound(request_id_of(request)) as rid:
            request.request_id = rid  # type: ignore[attr-defined]
            status = 500
            try:
                response = self.get_response(request)
                status = response.status_code
                response[HEADER] = rid
                return response
            finally:
                seconds = time.perf_counter() - started
                route = route_name(request)
                metrics.request_observe(
                    route=route, method=str(request.method), status=status, seconds=seconds
                )
                if settings.REQUEST_LOG:
                    logger.info(
                        "%s %s %s %.1f ms",
                        request.method,
                        route,
                        status,
                        seconds * 1000,
                        extra={
                            "method": request.method,
                            "route": route,
                            "status": status,
                            "duration_ms": round(seconds * 1000, 2),
                        },
                    )


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every record (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = request_id() or NO_REQUEST
        return True


# Attributes every LogRecord has; anything else on a record was passed in
# ``extra`` and goes into the JSON object.
_STANDARD = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id,
    the record's extra fields, and the traceback as text."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or request_id() or NO_REQUEST,
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)
