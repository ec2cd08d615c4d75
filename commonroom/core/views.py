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


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this inside its except clause, so the error is at hand.
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        return database_unavailable(request)
    return render(request, "core/error.html", {"status": 500}, status=500)


def _same_site_path(request: HttpRequest) -> str:
    path = request.get_full_path()
    # "//host/..." would be a link to another site.
    if request.method != "GET" or not path.startswith("/") or path.startswith("//"):
        return "/"
    return path


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """A 503 that asks to try again: the database restarting is not a bug of
    ours, and a client or proxy may retry. Rendered without context
    processors and session, which would ask the database again."""
    logger.warning("The database did not answer %s %s", request.method, request.path)
    content = render_to_string(
        "core/unavailable.html",
        {
            "platform_name": settings.PLATFORM_NAME,
            "retry_after": DATABASE_RETRY_AFTER,
            "path": _same_site_path(request),
        },
    )
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(DATABASE_RETRY_AFTER)
    return response
