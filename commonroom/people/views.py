"""Profile pages, the member directory, the tutor database and following
(R16, R18, R21). Each view parses input, fetches through a permission check,
calls one service and renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonroom.accounts.models import Member, Profile, ProfileVisibility
from commonroom.accounts.permissions import acting_member
from commonroom.accounts.selectors import members_visible_to
from commonroom.core.forms import service_error_onto_form
from commonroom.people import permissions, selectors, services
from commonroom.people.forms import DirectoryForm, TutorListingForm, TutorSearchForm, VerifyForm
from commonroom.people.permissions import Access
from commonroom.social import services as social_services
from commonroom.taxonomy.models import Subject

PAGE_SIZE = 24
# The messaging app's "new conversation" page; contact goes only through it (R18).
MESSAGE_TO = "/messages/new/?to="


def _page(request: HttpRequest, items: Any) -> dict[str, Any]:
    query = request.GET.copy()
    query.pop("page", None)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return {"page": page, "query": query.urlencode()}


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and safe else default


def _profile_of(member: Member) -> Profile | None:
    try:
        return member.profile
    except Profile.DoesNotExist:
        return None


# --- profile pages (R16) ------------------------------------------------------------------------


def profile(request: HttpRequest, member_id: int) -> HttpResponse:
    member, access = permissions.profile_for_view(request.user, member_id)
    if access is Access.SIGN_IN:
        return redirect_to_login(request.get_full_path())
    member_profile = _profile_of(member)
    verification = getattr(member, "verification", None)
    initial_name = verification.organisation_name if verification else ""
    if not initial_name and member_profile is not None:
        initial_name = member_profile.school
    return render(
        request,
        "people/profile.html",
        {
            "member": member,
            "profile": member_profile,
            "verification": verification,
            "hidden": member_profile is not None
            and member_profile.visibility == ProfileVisibility.HIDDEN,
            "resources": selectors.resources_of(member),
            "is_self": request.user.pk == member.pk,
            "following": selectors.is_following(request.user, member),
            "message_url": f"{MESSAGE_TO}{member.pk}",
            "can_verify": permissions.can_verify(request.user),
            "verify_form": VerifyForm(initial={"organisation_name": initial_name}),
        },
    )


@login_required
@require_POST
def verify(request: HttpRequest, member_id: int) -> HttpResponse:
    member = permissions.member_for_verification(request.user, member_id)
    form = VerifyForm(request.POST)
    if form.is_valid():
        services.profile_verify(
            member=member,
            organisation_name=form.cleaned_data["organisation_name"],
            by=acting_member(request),
        )
        messages.success(request, _("The profile is marked as a verified organisation."))
    else:
        messages.error(request, _("Enter the name of the organisation."))
    return redirect("people:profile", member.pk)


@login_required
@require_POST
def unverify(request: HttpRequest, member_id: int) -> HttpResponse:
    member = permissions.member_for_verification(request.user, member_id)
    services.profile_unverify(member=member, by=acting_member(request))
    messages.success(request, _("The profile is no longer marked as verified."))
    return redirect("people:profile", member.pk)


# --- following (R12, R18) -------------------------------------------------------------------------


def _follow(request: HttpRequest, target: Model, default: str, done: str) -> HttpResponse:
    try:
        social_services.follow(follower=acting_member(request), target=target)
    except ValidationError as exc:
        if exc.code == "rate_limited":
            return render(
                request,
                "people/rate_limited.html",
                {"message": " ".join(exc.messages), "back": default},
                status=429,
            )
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect(_next_url(request, default))


@login_required
@require_POST
def member_follow(request: HttpRequest, member_id: int) -> HttpResponse:
    target = permissions.member_to_follow(request.user, member_id)
    done = _("You now follow %(name)s.") % {"name": target.display_name}
    return _follow(request, target, reverse("people:profile", args=[target.pk]), done)


@login_required
@require_POST
def member_unfollow(request: HttpRequest, member_id: int) -> HttpResponse:
    target = permissions.member_to_unfollow(acting_member(request), member_id)
    social_services.unfollow(follower=acting_member(request), target=target)
    messages.success(request, _("You no longer follow %(name)s.") % {"name": target.display_name})
    return redirect(_next_url(request, reverse("people:following")))


@login_required
@require_POST
def subject_follow(request: HttpRequest, slug: str) -> HttpResponse:
    subject = get_object_or_404(Subject, slug=slug)
    done = _("You now follow %(subject)s.") % {"subject": subject.label}
    return _follow(request, subject, reverse("people:subjects"), done)


@login_required
@require_POST
def subject_unfollow(request: HttpRequest, slug: str) -> HttpResponse:
    subject = get_object_or_404(Subject, slug=slug)
    social_services.unfollow(follower=acting_member(request), target=subject)
    messages.success(request, _("You no longer follow %(subject)s.") % {"subject": subject.label})
    return redirect(_next_url(request, reverse("people:subjects")))


@login_required
def following(request: HttpRequest) -> HttpResponse:
    member = acting_member(request)
    followed = list(selectors.followed_members(member))
    shown = set(
        members_visible_to(member)
        .filter(pk__in=[other.pk for other in followed])
        .values_list("pk", flat=True)
    )
    members = [(other, other.pk in shown) for other in followed]
    subjects = Subject.objects.filter(pk__in=selectors.followed_subject_ids(member))
    return render(
        request,
        "people/following.html",
        {"members": members, "subjects": subjects.select_related("parent")},
    )


@login_required
def subjects(request: HttpRequest) -> HttpResponse:
    member = acting_member(request)
    return render(
        request,
        "people/subjects.html",
        {"tree": selectors.subject_tree(), "followed": selectors.followed_subject_ids(member)},
    )


# --- the member directory and the tutor database (R18) -------------------------------------------


@login_required
def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryForm(request.GET or None)
    members = selectors.directory(**form.filters())
    return render(request, "people/directory.html", {"form": form, **_page(request, members)})


@login_required
def tutors(request: HttpRequest) -> HttpResponse:
    member = acting_member(request)
    form = TutorSearchForm(request.GET or None)
    search = selectors.tutor_search(**form.filters())
    form.show_counts(
        subjects=search.subject_counts,
        levels=search.level_counts,
        provinces=search.province_counts,
    )
    return render(
        request,
        "people/tutors.html",
        {
            "form": form,
            "own_listing": selectors.tutor_listing_of(member) is not None,
            "message_to": MESSAGE_TO,
            **_page(request, search.listings),
        },
    )


@login_required
def tutor_me(request: HttpRequest) -> HttpResponse:
    member = acting_member(request)
    listing = selectors.tutor_listing_of(member)
    if request.method == "POST" and "remove" in request.POST:
        services.tutor_listing_remove(member=member)
        messages.success(request, _("You are no longer listed in the tutor database."))
        return redirect("people:tutors")
    form = TutorListingForm(request.POST or None, instance=listing)
    if request.method == "POST" and form.is_valid():
        try:
            services.tutor_listing_save(member=member, **form.cleaned_data)
        except ValidationError as exc:
            service_error_onto_form(form, exc)
        else:
            messages.success(request, _("Your tutor listing is saved."))
            return redirect("people:tutor_me")
    member_profile = _profile_of(member)
    return render(
        request,
        "people/tutor_me.html",
        {
            "form": form,
            "listing": listing,
            "profile_hidden": member_profile is None
            or member_profile.visibility == ProfileVisibility.HIDDEN,
        },
        status=400 if form.errors else 200,
    )
