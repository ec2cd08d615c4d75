"""The site's URLs plus ``/bench/trivial``: a view that returns two bytes
through the whole middleware stack (sessions, locale, CSRF, auth, the legal
middleware), the baseline a resource page is compared with. /healthz is
measured too; it is answered before any other middleware."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from commonroom.urls import handler403, handler404, handler500  # noqa: F401


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/trivial", trivial),
    path("", include("commonroom.urls")),
]
