"""Organisation pages (R17): proposing, the page, editing, administrators
and their invitations, following and the logo. Each view parses input, fetches through a
permission check, calls one service and renders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from commonroom.accounts.permissions import acting_member
from commonroom.core.forms import form_status, service_error_onto_form
from commonroom.organisations import permissions, resources_under, selectors, services
from commonroom.organisations.changes import EDITABLE_FIELDS
from commonroom.organisations.forms import AdministratorForm, OrganisationForm
from commonroom.resources.models import Resource

LOGO_MAX_AGE = 3600


@login_required
def propose(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "logo"}
        try:
            organisation = services.organisation_propose(
                by=acting_member(request), logo=form.cleaned_data.get("logo"), **fields
            )
        except ValidationError as exc:
            service_error_onto_form(form, exc, {"not_an_image": "logo", "too_large": "logo"})
        else:
            messages.success(
                request,
                _(
                    "Thank you. Staff will verify the organisation and tell you when "
                    "its page is public."
                ),
            )
            return redirect(organisation.get_absolute_url())
    return render(request, "organisations/propose.html", {"form": form}, status=form_status(form))


def detail(request: HttpRequest, organisation_id: int, slug: str = "") -> HttpResponse:
    organisation = permissions.organisation_for_view(request.user, organisation_id)
    if slug != organisation.slug:
        return redirect(organisation.get_absolute_url(), permanent=bool(slug))
    is_admin = permissions.can_administer(request.user, organisation)
    return render(
        request,
        "organisations/detail.html",
        {
            "organisation": organisation,
            "is_admin": is_admin,
            "can_manage_offers": is_admin and organisation.offers_training,
            "can_verify": permissions.can_verify(request.user),
            "pending_change": selectors.pending_change(organisation) if is_admin else None,
            "resources": resources_under.resources_of(organisation),
            "linkable": resources_under.linkable_resources(organisation, acting_member(request))
            if is_admin and organisation.is_public
            else [],
            **selectors.organisation_page(organisation, viewer=request.user),
        },
    )


@login_required
def edit(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = permissions.organisation_for_admin(request.user, organisation_id)
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        fields = {k: form.cleaned_data[k] for k in EDITABLE_FIELDS}
        # The form changed the instance in memory; the service reads it from the database.
        organisation.refresh_from_db()
        try:
            change = services.organisation_edit(
                organisation=organisation,
                by=acting_member(request),
                logo=form.cleaned_data.get("logo"),
                **fields,
            )
        except ValidationError as exc:
            service_error_onto_form(form, exc, {"not_an_image": "logo", "too_large": "logo"})
        else:
            if change is not None:
                messages.success(
                    request,
                    _("Your changes are sent to a moderator; the page shows them once approved."),
                )
            else:
                messages.success(request, _("The organisation is saved."))
            return redirect(organisation.get_absolute_url())
    return render(
        request,
        "organisations/edit.html",
        {"form": form, "organisation": organisation},
        status=form_status(form),
    )


@login_required
def administrators(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = permissions.organisation_for_admin(request.user, organisation_id)
    form = AdministratorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_send(
                organisation=organisation,
                by=acting_member(request),
                email=form.cleaned_data["email"],
            )
        except ValidationError as exc:
            service_error_onto_form(
                form, exc, {"no_member": "email", "already": "email", "already_invited": "email"}
            )
        else:
            messages.success(
                request,
                _(
                    "The member is invited and has been told; they become an administrator "
                    "when they accept."
                ),
            )
            return redirect("organisations:administrators", organisation.pk)
    page = selectors.organisation_page(organisation, viewer=request.user)
    return render(
        request,
        "organisations/administrators.html",
        {
            "form": form,
            "organisation": organisation,
            "administrators": page["administrators"],
            "invitations": selectors.pending_invitations(organisation),
        },
        status=form_status(form),
    )


@login_required
@require_POST
def administrator_remove(
    request: HttpRequest, organisation_id: int, member_id: int
) -> HttpResponse:
    organisation = permissions.organisation_for_admin(request.user, organisation_id)
    try:
        services.administrator_remove(
            organisation=organisation, by=acting_member(request), member_id=member_id
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("The administrator is removed."))
    if permissions.can_administer(request.user, organisation):
        return redirect("organisations:administrators", organisation.pk)
    return redirect(organisation.get_absolute_url())


@login_required
@require_POST
def invitation_withdraw(
    request: HttpRequest, organisation_id: int, invitation_id: int
) -> HttpResponse:
    invitation = permissions.invitation_for_admin(request.user, organisation_id, invitation_id)
    try:
        services.invitation_withdraw(invitation=invitation, by=acting_member(request))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("The invitation is withdrawn."))
    return redirect("organisations:administrators", organisation_id)


@login_required
def invitation(request: HttpRequest, invitation_id: int) -> HttpResponse:
    """The invited member's page: accept or decline (R17)."""
    invitation = permissions.invitation_for_member(request.user, invitation_id)
    if request.method == "POST":
        answer = request.POST.get("answer")
        by = acting_member(request)
        try:
            if answer == "accept":
                services.invitation_accept(invitation=invitation, by=by)
            elif answer == "decline":
                services.invitation_decline(invitation=invitation, by=by)
            else:
                return HttpResponseBadRequest()
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect(invitation.get_absolute_url())
        if answer == "accept":
            messages.success(
                request,
                _("You are now an administrator of %(name)s.")
                % {"name": invitation.organisation.name},
            )
            return redirect(invitation.organisation.get_absolute_url())
        messages.success(request, _("You declined the invitation."))
        return redirect("organisations:mine")
    return render(request, "organisations/invitation.html", {"invitation": invitation})


@login_required
@require_POST
def follow(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = permissions.organisation_for_view(request.user, organisation_id)
    try:
        services.organisation_follow(organisation=organisation, by=acting_member(request))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("You follow %(name)s.") % {"name": organisation.name})
    return redirect(organisation.get_absolute_url())


@login_required
@require_POST
def unfollow(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = permissions.organisation_for_view(request.user, organisation_id)
    services.organisation_unfollow(organisation=organisation, by=acting_member(request))
    messages.success(request, _("You no longer follow %(name)s.") % {"name": organisation.name})
    return redirect(organisation.get_absolute_url())


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    member = acting_member(request)
    return render(
        request,
        "organisations/mine.html",
        {
            "organisations": selectors.organisations_of(member),
            "invitations": selectors.invitations_for(member),
        },
    )


@require_GET
def logo(request: HttpRequest, organisation_id: int, token: str) -> FileResponse:
    """The logo of an organisation the visitor may see; gone with the page."""
    organisation = permissions.organisation_for_view(request.user, organisation_id)
    if not organisation.logo or organisation.logo_token != token:
        raise Http404
    try:
        content = organisation.logo.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(content, content_type="image/jpeg")
    scope = "public" if organisation.is_public else "private"
    response["Cache-Control"] = f"{scope}, max-age={LOGO_MAX_AGE}"
    return response


@login_required
@require_POST
def resource_link(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """Publish one of one's own resources under the organisation."""
    organisation = permissions.organisation_for_admin(request.user, organisation_id)
    resource = Resource.objects.filter(
        pk=_id(request.POST.get("resource")), author_id=request.user.pk
    ).first()
    if resource is None:
        messages.error(request, _("Choose one of your resources."))
        return redirect(organisation.get_absolute_url())
    try:
        resources_under.resource_publish_under(
            organisation=organisation, resource=resource, by=acting_member(request)
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            _("“%(title)s” is now published under %(name)s.")
            % {"title": resource.title, "name": organisation.name},
        )
    return redirect(organisation.get_absolute_url())


@login_required
@require_POST
def resource_unlink(request: HttpRequest, organisation_id: int, resource_id: int) -> HttpResponse:
    organisation = permissions.organisation_for_view(request.user, organisation_id)
    resource = Resource.objects.filter(
        pk=resource_id, organisation_link__organisation=organisation
    ).first()
    if resource is None:
        raise Http404
    resources_under.resource_unlink(
        organisation=organisation, resource=resource, by=acting_member(request)
    )
    messages.success(request, _("The organisation's name is taken off the resource."))
    return redirect(organisation.get_absolute_url())


@login_required
@require_POST
def resource_release(request: HttpRequest, resource_id: int) -> HttpResponse:
    """The author takes an organisation's name off their own resource, also
    when that organisation was excluded and its page is gone (R24)."""
    link = permissions.own_resource_link(request.user, resource_id)
    resources_under.resource_unlink(
        organisation=link.organisation, resource=link.resource, by=acting_member(request)
    )
    messages.success(request, _("The organisation's name is taken off the resource."))
    return redirect(link.resource.get_absolute_url())


def _id(value: str | None) -> int:
    return int(value) if value and value.isdigit() and len(value) < 12 else 0
