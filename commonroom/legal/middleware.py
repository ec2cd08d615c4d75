from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from commonroom.legal.selectors import maintenance_state, member_has_accepted, terms_current_id
from commonroom.taxonomy.languages import text_in

# Staff must be able to sign in to switch maintenance off again.
MAINTENANCE_OPEN_PREFIXES = ("/static/", "/accounts/login/", "/healthz", "/admin/login/")


class MaintenanceModeMiddleware:
    """While maintenance is on, everyone but staff gets a 503 with the message (R37)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        state = maintenance_state(request)
        if (
            state["enabled"]
            and not request.user.is_staff
            and not request.path.startswith(MAINTENANCE_OPEN_PREFIXES)
        ):
            message = text_in(state["message_nl"], state["message_en"])
            response = render(request, "legal/maintenance.html", {"message": message}, status=503)
            response["Retry-After"] = "600"
            return response
        return self.get_response(request)


class TermsNoticeMiddleware:
    """Marks requests of members who have not yet accepted the current terms (R8).

    The template shows the summary of changes with a "continue" button; the
    accepted version is remembered in the session so that the check costs
    one query per session, not per page.
    """

    SESSION_KEY = "terms_accepted_id"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.terms_notice_id = None  # type: ignore[attr-defined]
        if request.user.is_authenticated:
            current = terms_current_id(request)
            if current and request.session.get(self.SESSION_KEY) != current:
                if member_has_accepted(request.user.pk, current):
                    request.session[self.SESSION_KEY] = current
                else:
                    request.terms_notice_id = current  # type: ignore[attr-defined]
        return self.get_response(request)
