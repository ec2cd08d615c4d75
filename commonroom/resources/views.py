from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from commonroom.accounts.permissions import acting_member
from commonroom.accounts.roles import is_moderator
from commonroom.core.charts import Series, chart_table, line_chart
from commonroom.core.fields import id_from
from commonroom.resources import permissions, selectors, services
from commonroom.resources.attribution import attribution_for
from commonroom.resources.downloads import (
    carries_credits_inside,
    download_response,
    thumbnail_response,
    zip_response,
)
from commonroom.resources.forms import (
    DeleteForm,
    LicenceWizardForm,
    ResourceCreateForm,
    ResourceForm,
)
from commonroom.resources.licensing import (
    EXPLANATIONS,
    LICENCE_NAMES,
    adaptation_problem,
    licence_for,
)
from commonroom.resources.models import EDITABLE_STATES, FileState, Resource, State
from commonroom.resources.video import EMBED_HOSTS, parse_video_url
from commonroom.taxonomy.models import ResourceKind

VIEWED_KEY = "viewed_resources"


def htmx_request(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _form_error(form: forms.BaseForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error("files" if exc.code in FILE_CODES else None, exc)


FILE_CODES = {
    "too_large",
    "empty",
    "type_not_allowed",
    "too_many_pixels",
    "unreadable",
    "archive_unsafe",
    "too_many_files",
    "resource_too_large",
}


def _redirect_after_upload(request: HttpRequest, url: str) -> HttpResponse:
    """The progress bar of site.js posts the form itself. A redirect would make
    it load the next page in the background, consuming the flash message, and
    then load it again; asked for JSON, it gets the address to go to once."""
    if request.get_preferred_type(["text/html", "application/json"]) == "application/json":
        return JsonResponse({"redirect": url})
    return redirect(url)


def resource_list(request: HttpRequest) -> HttpResponse:
    """Newest published resources for everyone (R2); search comes with #5."""
    kinds = ResourceKind.objects.all()
    kind = request.GET.get("kind", "")
    page = Paginator(selectors.resources_for_listing(kind=kind), 24).get_page(
        request.GET.get("page")
    )
    return render(request, "resources/list.html", {"page": page, "kinds": kinds, "kind": kind})


@login_required
def resource_create(request: HttpRequest) -> HttpResponse:
    member = acting_member(request)
    form = ResourceCreateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            resource = services.resource_create(
                author=member,
                fields=form.service_fields(),
                uploads=form.cleaned_data["files"],
                rights_confirmed=form.cleaned_data["rights_confirmed"],
            )
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Your draft is saved. Now choose a licence."))
            return _redirect_after_upload(request, reverse("resources:licence", args=[resource.pk]))
    status = 400 if form.errors else 200
    return render(request, "resources/form.html", {"form": form, "creating": True}, status=status)


@login_required
def resource_edit(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = permissions.resource_for_edit(request.user, resource_id)
    form = ResourceForm(request.POST or None, request.FILES or None, instance=resource)
    files = list(resource.files.exclude(state=FileState.REMOVED))
    if request.method == "POST" and form.is_valid():
        remove_ids = [i for i in map(id_from, request.POST.getlist("remove_files")) if i]
        try:
            revision = services.resource_update(
                resource=resource,
                by=acting_member(request),
                fields=form.service_fields(),
                uploads=form.cleaned_data["files"],
                remove_file_ids=[f.pk for f in files if f.pk in remove_ids],
            )
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            if revision.status == revision.Status.PENDING:
                messages.success(
                    request,
                    _(
                        "Your changes wait for a moderator. "
                        "Until then the published version stays online."
                    ),
                )
            else:
                messages.success(request, _("Your changes are saved."))
            return _redirect_after_upload(request, resource.get_absolute_url())
    status = 400 if form.errors else 200
    return render(
        request,
        "resources/form.html",
        {"form": form, "resource": resource, "files": files},
        status=status,
    )


def _wizard_context(resource: Resource, form: LicenceWizardForm) -> dict[str, object]:
    proposal = problem = None
    if form.is_bound and form.is_valid():
        proposal = licence_for(form.answers())
        source = resource.adapted_from
        if source is not None and source.licence is not None:
            problem = adaptation_problem(source=source.licence.slug, chosen=proposal)
    return {
        "resource": resource,
        "form": form,
        "proposal": proposal,
        "proposal_name": LICENCE_NAMES.get(proposal or ""),
        "explanation": EXPLANATIONS.get(proposal or ""),
        "problem": problem,
    }


@login_required
def resource_licence(request: HttpRequest, resource_id: int) -> HttpResponse:
    """The licence wizard (R32): answer, see the proposal explained, confirm."""
    resource = permissions.resource_for_edit(request.user, resource_id)
    data: Any
    if request.method == "POST":
        data = request.POST
    elif "waive" in request.GET:
        data = request.GET
    else:
        # The proposal shows at once, from the current licence or the defaults.
        data = LicenceWizardForm.answers_for(resource.licence)
    form = LicenceWizardForm(data)
    context = _wizard_context(resource, form)
    if htmx_request(request) and request.method == "GET":
        return render(request, "resources/_licence_proposal.html", context)
    if request.method == "POST" and "confirm" in request.POST and context["proposal"]:
        if context["problem"]:
            form.add_error(None, str(context["problem"]))
        else:
            try:
                services.resource_licence_set(
                    resource=resource,
                    by=acting_member(request),
                    licence_slug=str(context["proposal"]),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, _("Licence %(name)s attached.") % {"name": context["proposal_name"]}
                )
                url = resource.get_absolute_url()
                return HttpResponseClientRedirect(url) if htmx_request(request) else redirect(url)
    return render(request, "resources/licence.html", context, status=400 if form.errors else 200)


def resource_detail(request: HttpRequest, resource_id: int, slug: str = "") -> HttpResponse:
    resource = selectors.resource_page(resource_id, request.user)
    if resource is None or not permissions.can_view(request.user, resource):
        raise Http404
    if slug != resource.slug:
        return redirect(resource.get_absolute_url(), permanent=True)
    is_author = request.user.is_authenticated and resource.author_id == request.user.pk
    if resource.is_public and not is_author:
        _count_view(request, resource)
    attribution = attribution_for(
        resource, absolute_url=request.build_absolute_uri(resource.get_absolute_url())
    )
    source_attribution = None
    if resource.adapted_from is not None and resource.adapted_from.is_public:
        source = resource.adapted_from
        source_attribution = attribution_for(
            source, absolute_url=request.build_absolute_uri(source.get_absolute_url())
        )
    files = [f for f in resource.visible_files if f.state == FileState.ACTIVE]  # type: ignore[attr-defined]
    for file in files:  # what its download button hands out (R33)
        file.carries_credits_inside = carries_credits_inside(file)
    context = {
        "resource": resource,
        "files": files,
        "attribution": attribution,
        "source_attribution": source_attribution,
        "video": parse_video_url(resource.video_url) if resource.video_url else None,
        "can_download": permissions.can_download(request.user, resource),
        "is_author": is_author,
        "is_moderator": is_moderator(request.user),
    }
    if is_author:
        context.update(
            decision=selectors.latest_decision(resource),
            pending=selectors.pending_revision(resource),
            similar=selectors.similar_resources(resource) if not resource.is_public else [],
            can_submit=resource.state in EDITABLE_STATES,
        )
    response = render(request, "resources/detail.html", context)
    if context["video"]:
        # The player may load only after the viewer chooses to play it.
        response._csp_replace = {"frame-src": list(EMBED_HOSTS)}  # type: ignore[attr-defined]
    return response


def _count_view(request: HttpRequest, resource: Resource) -> None:
    if hasattr(request, "session") and request.session.session_key:
        seen = request.session.get(VIEWED_KEY, [])
        if resource.pk in seen:
            return
        request.session[VIEWED_KEY] = [*seen, resource.pk][-200:]
    services.stat_record(resource=resource, views=1)


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
@require_POST
def resource_submit(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = permissions.resource_for_edit(request.user, resource_id)
    try:
        services.resource_submit(resource=resource, by=acting_member(request))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("Submitted. A moderator will review it; you will get a message.")
        )
    return redirect(resource.get_absolute_url())


@login_required
@require_POST
def resource_withdraw(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = permissions.resource_for_edit(request.user, resource_id)
    try:
        services.resource_withdraw(resource=resource, by=acting_member(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The resource is offline. You can submit it again later."))
    return redirect(resource.get_absolute_url())


@login_required
def resource_delete(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = permissions.resource_for_edit(request.user, resource_id)
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_delete(resource=resource, by=acting_member(request))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("“%(title)s” is deleted.") % {"title": resource.title})
            return redirect("resources:mine")
    return render(
        request,
        "resources/delete.html",
        {"resource": resource, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def resource_declare_adaptation(
    request: HttpRequest, resource_id: int, source_id: int
) -> HttpResponse:
    resource = permissions.resource_for_edit(request.user, resource_id)
    source = get_object_or_404(Resource.objects.published(), pk=source_id)
    try:
        services.resource_declare_adaptation(
            resource=resource, by=acting_member(request), source=source
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(resource.get_absolute_url())
    messages.success(request, _("Declared as an adaptation. Check that the licence fits."))
    return redirect("resources:licence", resource.pk)


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


__all__ = ["State"]
