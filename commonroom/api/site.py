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
from commonroom.api.inputs import QUERY_STRING_MAX, nul_fields, query_string_too_long
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


ERROR_STATUSES = {
    "400": "Bad request (a cursor that is not valid)",
    "401": "Not authenticated, or the token is unknown, revoked or expired",
    "403": "Not allowed (a read token writing, a suspended member, a failed CSRF check)",
    "404": "Not found, or not visible to the caller",
    "409": "Conflict with the object's state",
    "414": f"The parameters are too long (over {QUERY_STRING_MAX:,} characters); a request "
    "line over 8,190 bytes is refused by the web server in front, in HTML",
    "422": "Parameters or fields not valid",
    "429": "Over the token's budget; see Retry-After",
    "500": "Server error",
}


class Api(NinjaAPI):
    """Every operation documents the one error body for every error status."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        schema["components"].setdefault("schemas", {})["Error"] = (
            errors.ErrorOut.model_json_schema()
        )
        error = {
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        }
        for item in schema["paths"].values():
            for operation in item.values():
                responses = operation.setdefault("responses", {})
                for status, description in ERROR_STATUSES.items():
                    responses.setdefault(status, {"description": description, **error})
                responses["414"]["content"] = {
                    **error["content"],
                    "text/html": {"schema": {"type": "string"}},
                }
                responses["429"]["headers"] = {
                    "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait"}
                }
        return schema


def build() -> NinjaAPI:
    api = Api(
        title=f"{settings.PLATFORM_NAME} API",
        version="1",
        description=DESCRIPTION.format(platform=settings.PLATFORM_NAME),
        urls_namespace=NAMESPACE,
        docs_url=None,
    )
    errors.install(api)
    # The generic apps' operations live here, so search and notifications
    # import no API code; content apps bring theirs in <app>/api.py.
    from commonroom.api import notifications, search

    for module in (search, notifications, *app_modules("api")):
        for prefix, router in getattr(module, "ROUTERS", ()):
            api.add_router(prefix, router)
    return api


API = build()


def _with_attribution(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if query_string_too_long(request):
            return add_headers(errors.error_response(errors.address_too_long(QUERY_STRING_MAX)))
        fields = nul_fields(request)
        if fields:
            return add_headers(errors.error_response(errors.null_characters(fields)))
        return add_headers(view(request, *args, **kwargs))

    return wrapped


def urls() -> tuple[list[Any], str, str]:
    """ninja's patterns for ``include()`` at /api/v1/ in the root URLconf
    (ninja reverses its root by its own namespace, so it cannot nest), each
    answer carrying the attribution headers."""
    patterns, app_name, namespace = API.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = _with_attribution(pattern.callback)
    return list(patterns), app_name, namespace
