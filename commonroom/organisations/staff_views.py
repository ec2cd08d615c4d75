"""Staff's queue of proposed organisations: verify, reject with reasons, and
exclude an organisation at any time with the reason recorded (R24)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonroom.accounts.permissions import acting_member
from commonroom.core.forms import service_error_onto_form
from commonroom.organisations import permissions, selectors, services
from commonroom.organisations.forms import ReasonForm


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    if not permissions.can_verify(request.user):
        raise PermissionDenied
    return render(
        request,
        "organisations/staff_queue.html",
        {"proposals": selectors.staff_queue(), "excluded": selectors.excluded()[:50]},
    )


def _review_page(request: HttpRequest, organisation_id: int, **forms: ReasonForm) -> HttpResponse:
    organisation = permissions.organisation_for_staff(request.user, organisation_id)
    context = {
        "organisation": organisation,
        "decisions": selectors.decisions_about(organisation),
        "reject_form": forms.get("reject_form") or ReasonForm(prefix="reject"),
        "exclude_form": forms.get("exclude_form") or ReasonForm(prefix="exclude"),
    }
    status = 400 if any(f.errors for f in forms.values()) else 200
    return render(request, "organisations/staff_review.html", context, status=status)


@login_required
def review(request: HttpRequest, organisation_id: int) -> HttpResponse:
    return _review_page(request, organisation_id)


@login_required
@require_POST
def verify(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = permissions.organisation_for_staff(request.user, organisation_id)
    try:
        services.organisation_verify(organisation=organisation, by=acting_member(request))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("organisations:staff_review", organisation.pk)
    messages.success(
        request, _("%(name)s is verified; its page is public.") % {"name": organisation.name}
    )
    return redirect("organisations:staff_queue")


@login_required
@require_POST
def reject(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = permissions.organisation_for_staff(request.user, organisation_id)
    form = ReasonForm(request.POST, prefix="reject")
    if form.is_valid():
        try:
            services.organisation_reject(
                organisation=organisation,
                by=acting_member(request),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            service_error_onto_form(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is rejected; the proposer is told why.") % {"name": organisation.name},
            )
            return redirect("organisations:staff_queue")
    return _review_page(request, organisation_id, reject_form=form)


@login_required
@require_POST
def exclude(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = permissions.organisation_for_staff(request.user, organisation_id)
    form = ReasonForm(request.POST, prefix="exclude")
    if form.is_valid():
        try:
            services.organisation_exclude(
                organisation=organisation,
                by=acting_member(request),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            service_error_onto_form(form, exc)
        else:
            messages.success(
                request,
                _(
                    "%(name)s is excluded; its page and offers are gone from the "
                    "directory and search."
                )
                % {"name": organisation.name},
            )
            return redirect("organisations:staff_queue")
    return _review_page(request, organisation_id, exclude_form=form)
