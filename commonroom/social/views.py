from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonroom.accounts.permissions import acting_member
from commonroom.accounts.roles import is_moderator
from commonroom.core.forms import service_error_onto_form
from commonroom.moderation import permissions as moderation_permissions
from commonroom.resources import permissions as resource_permissions
from commonroom.social import selectors, services
from commonroom.social.forms import (
    ClassroomUseForm,
    ModeratorReactionForm,
    RatingForm,
    ReactionForm,
)
from commonroom.social.permissions import reaction_get

HELD_PAGE = 25


def _back(request: HttpRequest, resource_url: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = resource_url
    return redirect(target)


@login_required
@require_POST
def reaction_post(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = resource_permissions.resource_for_view(request.user, resource_id)
    form = ReactionForm(request.POST)
    if form.is_valid():
        try:
            reaction = services.reaction_post(
                resource=resource, author=acting_member(request), body=form.cleaned_data["body"]
            )
        except ValidationError as exc:
            form.add_error("body", exc)
        else:
            if reaction.held:
                messages.info(
                    request,
                    _("Your reaction contains a link; it appears after a moderator has seen it."),
                )
            return redirect(f"{resource.get_absolute_url()}#reaction-{reaction.pk}")
    status = (
        429 if any(e.code == "rate_limited" for e in form.errors.as_data().get("body", [])) else 400
    )
    return render(
        request, "social/reaction_form.html", {"form": form, "resource": resource}, status=status
    )


@login_required
def reaction_edit(request: HttpRequest, reaction_id: int) -> HttpResponse:
    reaction = reaction_get(request.user, reaction_id)
    member = acting_member(request)
    if reaction.author_id != member.pk:
        raise PermissionDenied
    form = ReactionForm(request.POST or None, instance=reaction)
    if request.method == "POST" and form.is_valid():
        try:
            services.reaction_edit(reaction=reaction, by=member, body=form.cleaned_data["body"])
        except ValidationError as exc:
            form.add_error("body", exc)
        else:
            return redirect(f"{reaction.resource.get_absolute_url()}#reaction-{reaction.pk}")
    return render(
        request,
        "social/reaction_form.html",
        {"form": form, "resource": reaction.resource, "reaction": reaction},
        status=400 if form.errors else 200,
    )


@login_required
def reaction_moderate(request: HttpRequest, reaction_id: int) -> HttpResponse:
    """A moderator edits a reaction's text, with a reason for the author."""
    reaction = reaction_get(request.user, reaction_id)
    if not is_moderator(request.user):
        raise PermissionDenied
    form = ModeratorReactionForm(request.POST or None, initial={"body": reaction.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.reaction_edit_by_moderator(
                reaction=reaction, by=acting_member(request), **form.cleaned_data
            )
        except ValidationError as exc:
            service_error_onto_form(form, exc)
        else:
            return redirect(f"{reaction.resource.get_absolute_url()}#reaction-{reaction.pk}")
    return render(
        request,
        "social/reaction_moderate.html",
        {"form": form, "reaction": reaction, "resource": reaction.resource},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def reaction_delete(request: HttpRequest, reaction_id: int) -> HttpResponse:
    reaction = reaction_get(request.user, reaction_id)
    services.reaction_delete(reaction=reaction, by=acting_member(request))
    messages.success(request, _("Your reaction is deleted."))
    return _back(request, reaction.resource.get_absolute_url())


@login_required
@require_POST
def reaction_hide(request: HttpRequest, reaction_id: int) -> HttpResponse:
    reaction = reaction_get(request.user, reaction_id)
    services.reaction_hide(
        reaction=reaction, by=acting_member(request), reason=request.POST.get("reason", "")
    )
    messages.success(request, _("The reaction is hidden."))
    return _back(request, reaction.resource.get_absolute_url())


@login_required
@require_POST
def reaction_release(request: HttpRequest, reaction_id: int) -> HttpResponse:
    reaction = reaction_get(request.user, reaction_id)
    services.reaction_release(reaction=reaction, by=acting_member(request))
    return _back(request, reaction.resource.get_absolute_url())


@login_required
@require_POST
def reaction_reject(request: HttpRequest, reaction_id: int) -> HttpResponse:
    """A moderator refuses a held reaction, saying why; the author is told."""
    reaction = reaction_get(request.user, reaction_id)
    by = moderation_permissions.moderator(request.user)
    try:
        services.reaction_reject(reaction=reaction, by=by, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The reaction is not published; its author has been told."))
    return _back(request, reaction.resource.get_absolute_url())


@login_required
def held_reactions(request: HttpRequest) -> HttpResponse:
    """Reactions held for review (a new account's link), for moderators."""
    moderation_permissions.moderator(request.user)
    paginator = Paginator(selectors.held_reactions(), HELD_PAGE)
    return render(
        request, "social/held_reactions.html", {"page": paginator.get_page(request.GET.get("page"))}
    )


@login_required
@require_POST
def rate(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = resource_permissions.resource_for_view(request.user, resource_id)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.rating_set(
                resource=resource, member=acting_member(request), stars=form.cleaned_data["stars"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Thank you for your rating."))
    else:
        messages.error(request, _("Choose one to five stars."))
    return _back(request, resource.get_absolute_url() + "#rating")


@login_required
def classroom_use(request: HttpRequest, resource_id: int) -> HttpResponse:
    """ "Used it in class": level, subject and a short note, for the author."""
    resource = resource_permissions.resource_for_view(request.user, resource_id)
    form = ClassroomUseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.classroom_use_record(
                resource=resource, member=acting_member(request), **form.cleaned_data
            )
        except ValidationError as exc:
            service_error_onto_form(form, exc)
        else:
            messages.success(
                request, _("Thank you: the author will see that you used it in class.")
            )
            return redirect(resource.get_absolute_url() + "#used-in-class")
    return render(
        request,
        "social/classroom_use.html",
        {"form": form, "resource": resource},
        status=400 if form.errors else 200,
    )


@login_required
def feed(request: HttpRequest) -> HttpResponse:
    return render(request, "social/feed.html", {"feed": selectors.feed_for(acting_member(request))})
