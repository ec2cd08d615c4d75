"""Budgets of pages per client: the database may not be copied (R34).

Anyone may read every public page, but nobody may walk the whole catalogue
page by page. Each client gets a budget of pages per window, counted in the
cache (Redis at scale, shared by every web process) through django-ratelimit's
``get_usage``:

* visitors (not signed in) by their address (``core.clientip``: behind a
  trusted proxy, from X-Forwarded-For; an IPv6 client by its /64 network, as
  django-ratelimit masks it, so one host cannot hop through its addresses);
  search has a bucket of its own (``ANONYMOUS_BUDGET_SEARCH``), every other
  page shares ``ANONYMOUS_BUDGET_PAGES``;
* signed-in members by their account, with a far larger budget
  (``MEMBER_BUDGET_PAGES``): a member is known, agreed to the terms and can be
  suspended, yet a script signed in with one account is slowed down too.

Only GET and HEAD answers that are pages or data (HTML, JSON, XML, Atom) are
counted: the thumbnails, logos, styles and scripts a page pulls in are not,
nor a redirect or an error. A request is refused before its view runs once
its bucket is spent. Requests with ``Authorization: Bearer`` (API tokens) and
OAI-PMH requests with a harvester ``key`` are left to the API and OAI apps,
which keep budgets of their own; the health probes never get here
(HealthCheckMiddleware answers them first).

Bulk access goes through the API and OAI-PMH under keys; the 429 page says so.
An empty budget setting switches that bucket off (the test settings do).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

logger = logging.getLogger(__name__)

# Answers that carry the catalogue's content; everything else is free.
COUNTED_TYPES = (
    "text/html",
    "application/json",
    "application/xml",
    "text/xml",
    "application/atom+xml",
    "application/rss+xml",
)
BUDGETED_METHODS = ("GET", "HEAD")


@dataclass(frozen=True)
class Bucket:
    """One budget: its name (the cache group) and its rate ("300/10m")."""

    group: str
    rate: str
    per_member: bool


def _starts_with_any(path: str, prefixes: tuple[str, ...] | list[str]) -> bool:
    return any(prefix and path.startswith(prefix) for prefix in prefixes)


def is_exempt(request: HttpRequest) -> bool:
    """Requests that are not the budget's business."""
    if request.method not in BUDGETED_METHODS:
        return True
    path = request.path
    if _starts_with_any(path, (settings.STATIC_URL or "", settings.MEDIA_URL or "")):
        return True
    if _starts_with_any(path, tuple(settings.BUDGET_EXEMPT_PATHS)):
        return True
    # API tokens and harvester keys are budgeted by the API and OAI apps.
    if request.headers.get("Authorization", "").lower().startswith("bearer "):
        return True
    return _starts_with_any(path, tuple(settings.BUDGET_KEYED_PATHS)) and bool(
        request.GET.get("key")
    )


def bucket_for(request: HttpRequest) -> Bucket | None:
    """The bucket a request draws from, or None when it is not budgeted."""
    if is_exempt(request):
        return None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        rate = settings.MEMBER_BUDGET_PAGES
        return Bucket("budget:member", rate, per_member=True) if rate else None
    if _starts_with_any(request.path, tuple(settings.BUDGET_SEARCH_PATHS)):
        rate = settings.ANONYMOUS_BUDGET_SEARCH
        return Bucket("budget:search", rate, per_member=False) if rate else None
    rate = settings.ANONYMOUS_BUDGET_PAGES
    return Bucket("budget:pages", rate, per_member=False) if rate else None


def _usage(request: HttpRequest, bucket: Bucket, *, increment: bool) -> dict[str, int] | None:
    usage: dict[str, int] | None = get_usage(
        request,
        group=bucket.group,
        key="user" if bucket.per_member else "ip",
        rate=bucket.rate,
        increment=increment,
    )
    return usage


def wants_json(request: HttpRequest) -> bool:
    if request.path.startswith("/api/"):
        return True
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


def budget_exceeded_response(request: HttpRequest, *, retry_after: int) -> HttpResponse:
    """429 with Retry-After: JSON for the API and JSON clients, else the page."""
    response: HttpResponse
    if wants_json(request):
        response = JsonResponse(
            {
                "code": "rate_limited",
                "message": _(
                    "Too many requests from your address. The database may not be "
                    "copied; for bulk access use the API or OAI-PMH with a key."
                ),
                "retry_after": retry_after,
            },
            status=429,
        )
    else:
        # Rendered without the request's context processors: the page must be
        # cheap, since whoever sees it is asking too much already.
        content = render_to_string(
            "core/budget_exceeded.html",
            {
                "platform_name": settings.PLATFORM_NAME,
                "retry_after": retry_after,
                "retry_minutes": max(1, (retry_after + 59) // 60),
            },
            request=None,
        )
        response = HttpResponse(content, status=429)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def _counts(response: HttpResponse) -> bool:
    if response.status_code >= 300:
        return False
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return content_type in COUNTED_TYPES


class BudgetMiddleware:
    """After AuthenticationMiddleware: refuses a client whose budget is spent
    (before the view runs) and counts each page it is served."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        bucket = bucket_for(request)
        if bucket is None:
            return self.get_response(request)
        usage = _usage(request, bucket, increment=False)
        if usage is not None and usage["count"] >= usage["limit"]:
            # The window ends at time_left; its last second still belongs to it.
            retry_after = max(1, int(usage["time_left"]) + 1)
            logger.debug(
                "Budget %s spent by %s: %s pages", bucket.group, request.META.get("REMOTE_ADDR"),
                usage["count"],
            )  # fmt: skip
            return budget_exceeded_response(request, retry_after=retry_after)
        response = self.get_response(request)
        if _counts(response):
            _usage(request, bucket, increment=True)
        return response
