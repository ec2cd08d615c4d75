"""What authors do on their resources' pages: upload a new one, edit it,
choose its licence with the wizard, submit, withdraw, delete, declare an
adaptation. Reading and downloading live in views.py."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from commonroom.accounts.permissions import acting_member
from commonroom.core.fields import id_from
from commonroom.core.forms import service_error_onto_form
from commonroom.resources import permissions, services
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
from commonroom.resources.models import FileState, Resource


def htmx_request(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _form_error(form: forms.BaseForm, exc: ValidationError) -> None:
    service_error_onto_form(form, exc, dict.fromkeys(FILE_CODES, "files"))


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
                service_error_onto_form(form, exc)
            else:
                messages.success(
                    request, _("Licence %(name)s attached.") % {"name": context["proposal_name"]}
                )
                url = resource.get_absolute_url()
                return HttpResponseClientRedirect(url) if htmx_request(request) else redirect(url)
    return render(request, "resources/licence.html", context, status=400 if form.errors else 200)


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
            service_error_onto_form(form, exc)
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
