"""Thin views: the consent screen (django-oauth-toolkit's authorisation
endpoint with our template) and the member's page of apps they let in."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit
from oauth2_provider.views import AuthorizationView, TokenView

from commonroom.accounts.permissions import acting_member
from commonroom.identity import selectors, services
from commonroom.identity.permissions import can_authorise
from commonroom.identity.scopes import scope_texts


def _token_rate(group: str, request: HttpRequest) -> str:
    return str(settings.OIDC_TOKEN_RATE)


# csrf_exempt again: this dispatch replaces the one TokenView marked so (a
# client's server posts here without a session or a CSRF token).
@method_decorator(csrf_exempt, name="dispatch")
@method_decorator(
    ratelimit(key="ip", rate=_token_rate, method="POST", block=False), name="dispatch"
)
class RateLimitedTokenView(TokenView):
    """The token endpoint with a budget per address: a client guessing
    secrets, codes or refresh tokens is slowed down (R34). Over it, the
    OAuth error body every client understands, a 429 and Retry-After."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request, "limited", False):
            response = JsonResponse(
                {
                    "error": "slow_down",
                    "error_description": _("Too many requests; try again later."),
                },
                status=429,
            )
            response["Retry-After"] = "60"
            response["Cache-Control"] = "no-store"
            return response
        result: HttpResponse = super().dispatch(request, *args, **kwargs)
        return result


class ConsentView(AuthorizationView):
    template_name = "identity/consent.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not can_authorise(request.user):
            return render(request, "identity/refused.html", status=403)
        response: HttpResponse = super().dispatch(request, *args, **kwargs)
        redirect_uri = getattr(self, "oauth2_data", {}).get("redirect_uri") or ""
        if response.status_code == 200 and redirect_uri:
            # The answer to the consent form is a redirect to the client app:
            # the page's CSP lets the form lead there, and only there.
            parts = urlsplit(redirect_uri)
            response._csp_update = {"form-action": [f"{parts.scheme}://{parts.netloc}"]}  # type: ignore[attr-defined]
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context["scope_texts"] = scope_texts(list(context.get("scopes") or []))
        return context


@login_required
def granted_apps(request: HttpRequest) -> HttpResponse:
    member = acting_member(request)
    granted = [
        {"app": g.application, "granted_at": g.granted_at, "scope_texts": scope_texts(g.scopes)}
        for g in selectors.apps_granted_to(member)
    ]
    return render(request, "identity/granted_apps.html", {"granted": granted})


@login_required
@require_POST
def app_revoke(request: HttpRequest, application_id: int) -> HttpResponse:
    member = acting_member(request)
    application = selectors.app_granted_get(member, application_id)
    if application is None:
        raise Http404
    services.app_access_revoke(member=member, application=application)
    messages.success(
        request,
        _("%(app)s can no longer sign you in or read your data.") % {"app": application.name},
    )
    return redirect("identity:granted_apps")
