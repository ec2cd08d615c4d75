import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "core/error.html", {"status": 429}, status=429)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/error.html", {"status": 403}, status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/error.html", {"status": 404}, status=404)


# Seconds a visitor is asked to wait while the database is away (a restart
# or fail-over takes a few).
DATABASE_RETRY_AFTER = 5
logger = logging.getLogger(__name__)


def _storage_unreachable(error: BaseException | None) -> bool:
    """The bucket of STORAGE_URL did not answer (botocore's connection and
    timeout errors); botocore is there only with that storage."""
    try:
        from botocore.exceptions import ConnectionError, HTTPClientError
    except ImportError:  # pragma: no cover - boto3 is a dependency
        return False
    # ConnectionError: refused, connect timeout; HTTPClientError: read
    # timeout, connection closed.
    return isinstance(error, (ConnectionError, HTTPClientError))


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this inside its except clause, so the error is at hand.
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        return database_unavailable(request)
    if _storage_unreachable(error):
        return database_unavailable(request, part="storage")
    return render(request, "core/error.html", {"status": 500}, status=500)


def _same_site_path(request: HttpRequest) -> str:
    path = request.get_full_path()
    # "//host/..." would be a link to another site.
    if request.method != "GET" or not path.startswith("/") or path.startswith("//"):
        return "/"
    return path


def database_unavailable(request: HttpRequest, *, part: str = "database") -> HttpResponse:
    """A 503 that asks to try again: the database (or the file storage's
    bucket, `part="storage"`) restarting is not a bug of ours, and a client
    or proxy may retry. Rendered without context processors and session,
    which would ask the database again."""
    logger.warning("The %s did not answer %s %s", part, request.method, request.path)
    content = render_to_string(
        "core/unavailable.html",
        {
            "platform_name": settings.PLATFORM_NAME,
            "retry_after": DATABASE_RETRY_AFTER,
            "path": _same_site_path(request),
            "storage": part == "storage",
        },
    )
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(DATABASE_RETRY_AFTER)
    return response
