from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from commonroom.legal.selectors import terms_current


def home(request: HttpRequest) -> HttpResponse:
    context: dict[str, object] = {"terms": terms_current()}
    if request.user.is_authenticated:
        from commonroom.search.inspire import inspire_for
        from commonroom.social.selectors import feed_for

        context["feed"] = feed_for(request.user, limit=10)
        context["inspire"] = inspire_for(request.user)
    return render(request, "core/home.html", context)


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "core/error.html", {"status": 429}, status=429)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/error.html", {"status": 403}, status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/error.html", {"status": 404}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "core/error.html", {"status": 500}, status=500)
