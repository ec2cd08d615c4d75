from collections.abc import Callable

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from commonroom.accounts.selectors import suspension_active_for
from commonroom.accounts.views import suspension_response


class SuspensionMiddleware:
    """A suspended member is signed out and sees why and until when (R5).

    Runs for every method and path, so neither pages, forms nor the API can
    be used with a session that was open when the suspension began.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        # MemberBackend has already asked; other loaders (tests) have not.
        if user.is_authenticated and getattr(user, "has_active_suspension", True):
            suspension = suspension_active_for(user)
            if suspension is not None:
                logout(request)
                return suspension_response(request, suspension)
        return self.get_response(request)
