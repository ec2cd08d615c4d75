"""The API's pages: the docs (rendered here from the OpenAPI schema, no
script), the member's personal access tokens, and the JSON 404 for any
other address under /api/."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from commonroom.accounts.permissions import acting_member
from commonroom.api import selectors, services
from commonroom.api.attribution import add_headers
from commonroom.api.errors import error_body
from commonroom.api.forms import TokenForm
from commonroom.core.forms import service_error_onto_form

METHODS = ("get", "post", "put", "patch", "delete")


@require_GET
def docs(request: HttpRequest) -> HttpResponse:
    from commonroom.api.site import API

    schema: dict[str, Any] = API.get_openapi_schema(path_prefix="/api/v1")
    operations = []
    for path, item in schema["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "tag": (operation.get("tags") or [""])[0],
                    "parameters": operation.get("parameters", []),
                    "writes": "WRITE" in operation.get("description", "") or method != "get",
                    "id": operation.get("operationId", ""),
                }
            )
    # {% regroup %} groups neighbours only: one section per tag needs them together.
    operations.sort(key=lambda operation: operation["tag"])
    return render(
        request,
        "api/docs.html",
        {"info": schema["info"], "operations": operations},
    )


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    member = acting_member(request)
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = services.token_create(
                member=member,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                expires_at=form.expires_at(),
            )
        except ValidationError as exc:
            service_error_onto_form(form, exc)
        else:
            form = TokenForm()
    status = 400 if form.errors else 200
    response = render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": list(selectors.tokens_of(member)), "secret": secret},
        status=status,
    )
    # The secret is shown once: never kept by a cache or the browser's history.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    member = acting_member(request)
    token = selectors.token_of(member, token_id)
    services.token_revoke(token=token, by=member)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api:tokens")


def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    response = JsonResponse(error_body("not_found", _("Not found.")), status=404)
    return add_headers(response)  # type: ignore[return-value]
