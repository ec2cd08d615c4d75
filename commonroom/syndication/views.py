"""robots.txt, the sitemap and oEmbed: public, the same for everyone."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from commonroom.syndication import registry

# Paths that are nobody's business in a search engine: one's own account,
# the staff's and moderators' pages, and search results (endless and thin).
ROBOTS_DISALLOW = (
    "/accounts/",
    "/admin/",
    "/staff/",
    "/moderation/",
    "/messages/",
    "/notifications/",
    "/library/saved/",
    "/search/?",
    "/search/saved/",
    "/search/suggest/",
    "/api/",
    "/oai",
    "/i18n/",
)
OEMBED_MAX_WIDTH = 640
OEMBED_DEFAULT_HEIGHT = 400


@require_safe
@cache_control(public=True, max_age=3600)
def robots(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", "Allow: /"]
    lines += [f"Disallow: {path}" for path in ROBOTS_DISALLOW]
    lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('syndication:sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
def sitemap_index(request: HttpRequest) -> HttpResponse:
    response: HttpResponse = sitemap_views.index(
        request, registry.sitemaps(), sitemap_url_name="syndication:sitemap_section"
    )
    return response


@require_safe
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    if section not in registry.sitemaps():
        raise Http404
    response: HttpResponse = sitemap_views.sitemap(request, registry.sitemaps(), section=section)
    return response


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"code": code, "message": message}, status=status)


def _dimension(value: str | None, default: int) -> int:
    try:
        number = int(value or "")
    except ValueError:
        return default
    return max(80, min(number, default))


def _own_path(url: str, request: HttpRequest) -> str | None:
    """The path of a URL of this site, or None for another site's."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    own_hosts = {request.get_host().lower(), urlsplit(settings.SITE_URL).netloc.lower()}
    return parts.path if parts.netloc.lower() in own_hosts else None


@require_safe
def oembed(request: HttpRequest) -> JsonResponse:
    """oEmbed 1.0 for resources and collections (https://oembed.com)."""
    url = request.GET.get("url", "")
    if not url:
        return _error(400, "invalid", _("Give the address of a page as url."))
    if request.GET.get("format", "json") != "json":
        return _error(501, "format_not_supported", _("Only the json format is offered."))
    path = _own_path(url, request)
    not_found = _error(404, "not_found", _("No public resource or collection has this address."))
    if path is None:
        return not_found
    try:
        match = resolve(path)
    except Resolver404:
        return not_found
    builder = registry.oembed_builders().get(match.view_name)
    if builder is None:
        return not_found
    width = _dimension(request.GET.get("maxwidth"), OEMBED_MAX_WIDTH)
    height = _dimension(request.GET.get("maxheight"), OEMBED_DEFAULT_HEIGHT)
    answer = builder(dict(match.kwargs), request, width, height)
    if answer is None:
        return not_found
    body: dict[str, Any] = {
        "version": "1.0",
        "provider_name": settings.PLATFORM_NAME,
        "provider_url": request.build_absolute_uri("/"),
        **answer,
    }
    response = JsonResponse(body)
    response["Access-Control-Allow-Origin"] = "*"
    return response
