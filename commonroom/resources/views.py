"""Reading resources: the list, a resource's page, its files, thumbnails
and zip, the author's own list, statistics and history. Uploading and
editing live in authoring_views.py."""

import hashlib

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from commonroom.accounts.roles import is_moderator
from commonroom.core import counters
from commonroom.core.charts import Series, chart_table, line_chart
from commonroom.core.fragments import kept_get, kept_put
from commonroom.resources import page_cache, permissions, selectors, services
from commonroom.resources.attribution import Attribution, attribution_for
from commonroom.resources.downloads import (
    carries_credits_inside,
    download_response,
    thumbnail_response,
    zip_response,
)
from commonroom.resources.models import EDITABLE_STATES, FileState, Resource, ResourceFile
from commonroom.resources.page_cache import visitor_panels_key
from commonroom.resources.video import EMBED_HOSTS, parse_video_url
from commonroom.resources.withholding import withholdings
from commonroom.taxonomy.models import ResourceKind

# A session viewing a resource again within a day is not counted again.
VIEW_ONCE_SECONDS = 24 * 3600


def resource_list(request: HttpRequest) -> HttpResponse:
    """Newest published resources for everyone (R2); search comes with #5."""
    kinds = ResourceKind.objects.all()
    kind = request.GET.get("kind", "")
    page = Paginator(selectors.resources_for_listing(kind=kind), 24).get_page(
        request.GET.get("page")
    )
    return render(request, "resources/list.html", {"page": page, "kinds": kinds, "kind": kind})


def resource_detail(request: HttpRequest, resource_id: int, slug: str = "") -> HttpResponse:
    key = page_cache.visitor_page_key(request, resource_id, slug)
    miss = None
    if key is not None:  # a visitor: the page kept rendered, if nothing on it changed
        kept, miss = kept_get(key, page_cache.page_scopes(resource_id))
        if kept is not None:
            if kept.is_public:
                _count_view(request, resource_id)
            return _with_video(page_cache.visitor_response(request, kept), kept.video)
    resource = selectors.resource_page(resource_id, request.user)
    if resource is None or not permissions.can_view(request.user, resource):
        raise Http404
    if slug != resource.slug:
        return redirect(resource.get_absolute_url(), permanent=True)
    is_author = request.user.is_authenticated and resource.author_id == request.user.pk
    if resource.is_public and not is_author:
        _count_view(request, resource.pk)
    can_download = permissions.can_download(request.user, resource)
    video = parse_video_url(resource.video_url) if resource.video_url else None
    context = {
        "resource": resource,
        # Worked out only when a panel is rendered, not when it is kept.
        "files": SimpleLazyObject(lambda: _active_files(resource)),
        "attribution": SimpleLazyObject(lambda: _attribution(request, resource)),
        "source_attribution": SimpleLazyObject(lambda: _source_attribution(request, resource)),
        "video": video,
        "can_download": can_download,
        "is_author": is_author,
        "is_moderator": is_moderator(request.user),
        "panels_key": visitor_panels_key(request, resource, can_download=can_download),
    }
    if is_author:
        context.update(
            decision=selectors.latest_decision(resource),
            pending=selectors.pending_revision(resource),
            similar=selectors.similar_resources(resource) if not resource.is_public else [],
            can_submit=resource.state in EDITABLE_STATES,
            withholdings=withholdings(resource.pk) if resource.is_public else [],
        )
    if miss is None:
        return _with_video(render(request, "resources/detail.html", context), bool(video))
    context["csrf_token"] = page_cache.CSRF_PLACEHOLDER  # the request's own goes in below
    page = page_cache.VisitorPage(
        content=render(request, "resources/detail.html", context).content,
        is_public=resource.is_public,
        video=bool(video),
    )
    kept_put(miss, page_cache.shown_scopes(resource), page, page_cache.page_seconds())
    return _with_video(page_cache.visitor_response(request, page), page.video)


def _with_video(response: HttpResponse, video: bool) -> HttpResponse:
    if video:
        # The player may load only after the viewer chooses to play it.
        response._csp_replace = {"frame-src": list(EMBED_HOSTS)}  # type: ignore[attr-defined]
    return response


def _active_files(resource: Resource) -> list[ResourceFile]:
    files = [f for f in resource.visible_files if f.state == FileState.ACTIVE]  # type: ignore[attr-defined]
    for file in files:  # what its download button hands out (R33)
        file.carries_credits_inside = carries_credits_inside(file)
    return files


def _attribution(request: HttpRequest, resource: Resource) -> Attribution:
    return attribution_for(
        resource, absolute_url=request.build_absolute_uri(resource.get_absolute_url())
    )


def _source_attribution(request: HttpRequest, resource: Resource) -> Attribution | None:
    source = resource.adapted_from
    if source is None or not source.is_public:
        return None
    return _attribution(request, source)


def _count_view(request: HttpRequest, resource_id: int) -> None:
    """One view per session and resource a day (a reload is not a view);
    remembered in the counter buffer, not the session, so a page view
    writes nothing (issue 15 item 4). Visitors without a session count
    each time."""
    session_key = request.session.session_key if hasattr(request, "session") else None
    if session_key:
        token = hashlib.sha256(f"{session_key}:{resource_id}".encode()).hexdigest()[:32]
        if not counters.first_time(f"resource-view:{token}", seconds=VIEW_ONCE_SECONDS):
            return
    services.stat_record(resource_id=resource_id, views=1)


def resource_file(
    request: HttpRequest, resource_id: int, file_id: int, name: str = ""
) -> HttpResponseBase:
    if not request.user.is_authenticated and settings.DOWNLOAD_REQUIRES_ACCOUNT:
        permissions.resource_for_view(request.user, resource_id)  # 404 when not visible
        return redirect(f"{reverse('account_login')}?next={request.path}")
    file = permissions.file_for_download(request.user, resource_id, file_id)
    resource = file.resource
    if resource.is_public and resource.author_id != request.user.pk:
        services.stat_record(resource=resource, downloads=1)
    attribution = attribution_for(
        resource, absolute_url=request.build_absolute_uri(resource.get_absolute_url())
    )
    return download_response(file, attribution, inline_preview=request.GET.get("preview") == "1")


def resource_thumbnail(
    request: HttpRequest, resource_id: int, file_id: int, width: int = 0
) -> HttpResponseBase:
    resource = permissions.resource_for_view(request.user, resource_id)
    if resource.files_withheld:
        raise Http404
    file = get_object_or_404(resource.files.filter(state=FileState.ACTIVE), pk=file_id)
    return thumbnail_response(file, width=width)


@login_required
def resource_zip(request: HttpRequest, resource_id: int) -> HttpResponseBase:
    resource = permissions.resource_for_view(request.user, resource_id)
    if not permissions.can_download(request.user, resource):
        raise PermissionDenied
    files = list(resource.files.filter(state=FileState.ACTIVE))
    if not files:
        raise Http404
    if resource.is_public and resource.author_id != request.user.pk:
        services.stat_record(resource=resource, downloads=1)
    attribution = attribution_for(
        resource, absolute_url=request.build_absolute_uri(resource.get_absolute_url())
    )
    return zip_response(resource, files, attribution)


@login_required
def my_resources(request: HttpRequest) -> HttpResponse:
    resources = selectors.resources_by_author(request.user)
    return render(request, "resources/mine.html", {"resources": resources})


@login_required
def resource_stats(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = permissions.resource_for_edit(request.user, resource_id)
    dates, views, downloads = selectors.daily_stats(resource, days=90)
    # Month names in the reader's language (strftime would give the C locale's English).
    labels = [date_format(d, "j M") for d in dates]
    series = [
        Series(_("Views"), [float(v) for v in views]),
        Series(_("Downloads"), [float(d) for d in downloads]),
    ]
    return render(
        request,
        "resources/stats.html",
        {
            "resource": resource,
            "chart": line_chart(
                title=_("Views and downloads, last 90 days"), x_labels=labels, series=series
            ),
            "table": chart_table(
                caption=_("Views and downloads per day"), x_labels=labels, series=series
            ),
            "total_views": sum(views),
            "total_downloads": sum(downloads),
        },
    )


@login_required  # only its author and the moderators: a visitor is asked to sign in
def resource_history(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = permissions.resource_for_view(request.user, resource_id)
    if not (permissions.can_edit(request.user, resource) or is_moderator(request.user)):
        raise PermissionDenied
    return render(
        request,
        "resources/history.html",
        {
            "resource": resource,
            "revisions": selectors.revision_history(resource),
        },
    )
