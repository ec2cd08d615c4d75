"""The API's assembly: one NinjaAPI under /api/v1/, with the routers every
app provides in its ``<app>/api.py`` (``ROUTERS``: ``(prefix, router)``
pairs), found by ``core.discovery.app_modules`` so this app imports none
of them."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.urls import URLPattern
from ninja import NinjaAPI

from commonroom.api import errors
from commonroom.api.attribution import add_headers
from commonroom.core.discovery import app_modules

NAMESPACE = "api_v1"
DESCRIPTION = (
    "The JSON API of {platform}. Lists page with an opaque cursor (follow `next`). "
    "Every error is `{{code, message, fields}}`. Authenticate with "
    "`Authorization: Bearer <token>` (a personal access token, scoped read or write) "
    "or the site's session. Every response names the source and the database "
    "(`X-Attribution`, and `attribution` in lists): name them whenever you use "
    "the information (terms of use §3.3)."
)


def build() -> NinjaAPI:
    api = NinjaAPI(
        title=f"{settings.PLATFORM_NAME} API",
        version="1",
        description=DESCRIPTION.format(platform=settings.PLATFORM_NAME),
        urls_namespace=NAMESPACE,
        docs_url=None,
    )
    errors.install(api)
    for module in app_modules("api"):
        for prefix, router in getattr(module, "ROUTERS", ()):
            api.add_router(prefix, router)
    return api


API = build()


def _with_attribution(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return add_headers(view(request, *args, **kwargs))

    return wrapped


def urlpatterns() -> list[Any]:
    """ninja's patterns, each answer carrying the attribution headers."""
    patterns, _app, _namespace = API.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = _with_attribution(pattern.callback)
    return list(patterns)
