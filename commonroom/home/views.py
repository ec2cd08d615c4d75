"""The home page: what several apps offer, shown together."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from commonroom.home.inspire import inspire_for

# Through the module, so a test can stand in for the showcase.
from commonroom.resources import selectors as resource_selectors
from commonroom.social.selectors import feed_for


def home(request: HttpRequest) -> HttpResponse:
    context: dict[str, object] = {"showcase": resource_selectors.home_showcase()}
    if request.user.is_authenticated:
        context["feed"] = feed_for(request.user, limit=10)
        context["inspire"] = inspire_for(request.user)
    return render(request, "home/home.html", context)
