"""One JSON body for every error of the API:
``{"code": "...", "message": "...", "fields": {...}}``.

``ApiError`` is what the routers raise; the handlers turn ninja's own
errors (validation, authentication, throttling), Django's ``Http404``,
``PermissionDenied`` and ``ValidationError`` (a service's refusal) and any
other exception into that body."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

logger = logging.getLogger(__name__)


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] = {}


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        fields: Mapping[str, Sequence[str]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = {k: [str(m) for m in v] for k, v in (fields or {}).items()}
        self.headers = dict(headers or {})


def error_body(
    code: str, message: str, fields: Mapping[str, list[str]] | None = None
) -> dict[str, Any]:
    return {"code": code, "message": message, "fields": dict(fields or {})}


def error_response(error: ApiError) -> JsonResponse:
    response = JsonResponse(
        error_body(error.code, error.message, error.fields), status=error.status
    )
    for name, value in error.headers.items():
        response[name] = value
    return response


def not_found() -> ApiError:
    return ApiError(404, "not_found", _("Not found."))


def not_authenticated() -> ApiError:
    return ApiError(401, "not_authenticated", _("Sign in or send a valid token."))


def null_characters(fields: Sequence[str]) -> ApiError:
    """Text with a NUL character, which no database column may hold."""
    message = _("Null characters are not allowed.")
    return ApiError(
        422,
        "validation_error",
        _("Some parameters are not valid."),
        fields={name: [message] for name in fields},
    )


def address_too_long(limit: int) -> ApiError:
    """A query string longer than any list of filters needs: refused before
    anything parses it (the web server refuses still longer request lines
    itself, see ``core.gunicorn_hooks``)."""
    return ApiError(
        414,
        "address_too_long",
        _("The address is too long: at most %(limit)s characters of parameters.")
        % {"limit": limit},
    )


def from_service(exc: DjangoValidationError, *, status: int = 422) -> ApiError:
    """A service's or form's refusal, its field messages kept by field name
    (``__all__`` for the whole object)."""
    if hasattr(exc, "error_dict"):
        fields = {
            name: [str(m) for e in errors for m in e.messages]
            for name, errors in exc.error_dict.items()
        }
        message = _("Some fields are not valid.")
        codes = {e.code for errors in exc.error_dict.values() for e in errors if e.code}
    else:
        fields = {}
        message = " ".join(str(m) for m in exc.messages)
        codes = {e.code for e in exc.error_list if e.code}
    code = codes.pop() if len(codes) == 1 else "invalid"
    return ApiError(status, code, message, fields=fields)


def _validation_fields(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        # ninja's loc: ("query" | "body" | "path" | ..., name, ...).
        loc = [str(part) for part in error.get("loc", ())]
        name = ".".join(loc[1:] if len(loc) > 1 else loc) or "__all__"
        fields.setdefault(name, []).append(str(error.get("msg", "")))
    return fields


def install(api: NinjaAPI) -> None:
    def on_api_error(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(cast(ApiError, exc))

    def on_validation(request: HttpRequest, exc: Any) -> HttpResponse:
        exc = cast(ValidationError, exc)
        return error_response(
            ApiError(
                422,
                "validation_error",
                _("Some parameters are not valid."),
                fields=_validation_fields(list(exc.errors)),
            )
        )

    def on_http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        exc = cast(HttpError, exc)
        status = exc.status_code
        if isinstance(exc, AuthenticationError) or status == 401:
            error = not_authenticated()
        elif status == 403 and "CSRF" in str(exc):
            error = ApiError(403, "csrf_failed", _("The CSRF check failed."))
        elif status == 429:
            error = ApiError(429, "rate_limited", _("Too many requests; try again later."))
        else:
            error = ApiError(status, f"http_{status}", str(exc))
        return error_response(error)

    def on_not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(not_found())

    def on_denied(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(ApiError(403, "permission_denied", _("You may not do this.")))

    def on_refused(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(from_service(cast(DjangoValidationError, exc)))

    def on_bad_body(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(ApiError(400, "bad_request", _("The request body cannot be read.")))

    def on_exception(request: HttpRequest, exc: Any) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
        return error_response(ApiError(500, "server_error", _("Something went wrong on our side.")))

    api.add_exception_handler(Exception, on_exception)
    api.add_exception_handler(ApiError, on_api_error)
    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(PermissionDenied, on_denied)
    api.add_exception_handler(DjangoValidationError, on_refused)
    api.add_exception_handler(MultiPartParserError, on_bad_body)
