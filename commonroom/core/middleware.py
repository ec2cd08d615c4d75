"""Request-path middleware of the platform as a whole (not of one app)."""

from collections.abc import Callable

from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, except that an error answer leaves the session cookie alone.

    When a dependency fails, the session may look empty only because it could
    not be read; Django would then delete the member's cookie and sign them
    out although the session is intact. A 5xx answer is never saved either
    (Django skips that too), so it neither sets nor deletes the cookie.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if response.status_code >= 500:
            if getattr(getattr(request, "session", None), "accessed", False):
                patch_vary_headers(response, ("Cookie",))
            return response
        return super().process_response(request, response)


class PrivateCacheMiddleware:
    """Nothing shown to a signed-in member is kept by a browser or a proxy cache.

    Pages, downloads and the data export of a member carry personal data; on
    a shared school computer the back button or the disk cache would show
    them to the next pupil. The header replaces whatever the view chose (a
    thumbnail's hour in the private cache included): no-store is the point.
    Anonymous answers keep what the view chose.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store, private"
        return response
