"""The resource page as every visitor sees it, rendered once per process
(issue 15 item 4: the page is read far more often than anything on it
changes).

**The whole page.** A visitor who is not signed in, asking for the page's
own address (no query string, no message waiting, no terms notice) gets
the page kept in the fragment cache (``core.fragments.kept_get``) while the
content versions (``core.versions``) of everything it shows are those read
before it was rendered: one query. The page depends on

- the resource's own scope, bumped by every service that changes the
  resource, its files, its terms, its reactions, ratings or save count, and
  by ``moderation.transitions.transition`` when its state moves;
- every member's name (``accounts.member``, bumped on a rename or erasure);
- what apps add through their ``resource_page.py`` (``page_scopes()``:
  organisations' names and states);
- the resource it adapts, if any (its attribution and licence show): found
  by the render, read first from then on (``kept_put``).

Per request, in it: the CSRF token (rendered as ``CSRF_PLACEHOLDER`` and
replaced by the request's own), and the view counted (``core.counters``).
The language, host, scheme, address and slug are in the key. Vocabulary
labels edited in the admin reach other processes within
``TERMS_COPY_SECONDS``, as on every page: a kept page lives no longer.

**The panels.** A member's page is rendered whole, and a visitor's after a
change is rendered with the panels the change did not touch from the
fragment cache (``{% panel %}``), under a key made of everything they show
(``visitor_panels_key``)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from commonroom.accounts.models import Member
from commonroom.core.discovery import app_modules
from commonroom.core.fragments import key_of, row
from commonroom.core.versions import scope_of
from commonroom.resources.models import Resource
from commonroom.taxonomy.selectors import TERMS_COPY_SECONDS

# Stands for the CSRF token in a kept page: letters only, so escaping
# leaves it as it is, and new in each process.
CSRF_PLACEHOLDER = f"csrfplaceholder{secrets.token_hex(24)}"


@dataclass(frozen=True)
class VisitorPage:
    """A kept page: its body (with ``CSRF_PLACEHOLDER``) and what the view
    needs besides: whether a view counts, whether it embeds a video."""

    content: bytes
    is_public: bool
    video: bool


def page_seconds() -> float:
    return min(float(settings.FRAGMENT_CACHE_SECONDS), TERMS_COPY_SECONDS)


def visitor_page_key(request: HttpRequest, resource_id: int, slug: str) -> str | None:
    """The key of the page kept for this request, or None when it is to be
    rendered (a member, a query string, a message or notice to show)."""
    if request.user.is_authenticated or request.method not in ("GET", "HEAD") or request.GET:
        return None
    if getattr(request, "terms_notice_id", None):
        return None
    messages = getattr(request, "_messages", None)
    if messages is not None and len(messages):
        return None
    return "resource-page:" + key_of(
        resource_id, slug, get_language(), request.scheme, request.get_host(), request.path
    )


def page_scopes(resource_id: int) -> list[str]:
    """The scopes known before the render (see the module's docstring)."""
    scopes = [scope_of(Resource, resource_id), scope_of(Member)]
    for module in app_modules("resource_page"):
        scopes.extend(getattr(module, "page_scopes", list)())
    return scopes


def shown_scopes(resource: Resource) -> list[str]:
    """All the scopes the rendered page shows."""
    scopes = page_scopes(resource.pk)
    if resource.adapted_from_id is not None:
        scopes.append(scope_of(Resource, resource.adapted_from_id))
    return scopes


def with_csrf_token(request: HttpRequest, content: bytes) -> bytes:
    """The kept body with this request's CSRF token (which also sets the
    CSRF cookie, as rendering ``{% csrf_token %}`` does)."""
    return content.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())


def visitor_response(request: HttpRequest, page: VisitorPage) -> HttpResponse:
    return HttpResponse(with_csrf_token(request, page.content))


def visitor_panels_key(request: HttpRequest, resource: Resource, **shown: Any) -> str | None:
    """The key of this page's panels for a visitor, or None for a member.
    ``shown``: the other plain values the view hands the panels."""
    if request.user.is_authenticated:
        return None
    source = resource.adapted_from if resource.adapted_from_id else None
    return key_of(
        get_language(),
        request.scheme,
        request.get_host(),
        request.path,
        sorted(shown.items()),
        row(resource),
        row(resource.author),
        [row(f) for f in getattr(resource, "visible_files", ())],
        [
            row(term)
            for name in ("subject_list", "level_list", "goal_list")
            for term in getattr(resource, name, ())
        ],
        [row(getattr(resource, name, None)) for name in ("kind", "language", "licence")],
        [row(source), row(source.author), row(source.licence)] if source else [],
    )
