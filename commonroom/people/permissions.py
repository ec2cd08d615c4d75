"""Who sees which profile (R16), who uses the directory and the tutor
database (R18), and who marks organisations as verified (R21)."""

from __future__ import annotations

from enum import Enum

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from commonroom.accounts.models import Member, Profile, ProfileVisibility
from commonroom.people import selectors
from commonroom.resources.permissions import User


class Access(Enum):
    SHOW = "show"
    SIGN_IN = "sign_in"
    NOT_FOUND = "not_found"


def _visibility(member: Member) -> str:
    try:
        return member.profile.visibility
    except Profile.DoesNotExist:
        return ProfileVisibility.MEMBERS


def profile_access(user: User, member: Member) -> Access:
    """Hidden profiles and members who left do not exist for others; a
    members-only profile asks visitors to sign in; staff see every profile."""
    if user.is_authenticated and (user.pk == member.pk or user.is_staff):
        return Access.SHOW
    if not member.is_active or member.erased_at is not None:
        return Access.NOT_FOUND
    visibility = _visibility(member)
    if visibility == ProfileVisibility.HIDDEN:
        return Access.NOT_FOUND
    if visibility == ProfileVisibility.MEMBERS and not user.is_authenticated:
        return Access.SIGN_IN
    return Access.SHOW


def can_view_profile(user: User, member: Member) -> bool:
    return profile_access(user, member) is Access.SHOW


def can_use_directory(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_verify(user: User) -> bool:
    return bool(user.is_authenticated and user.is_staff and user.is_active)


def profile_for_view(user: User, member_id: int) -> tuple[Member, Access]:
    """The member behind a profile page and what this user may do with it;
    a profile the user may not see raises 404, so hidden ones cannot be probed."""
    member = selectors.profile_page(member_id)
    if member is None:
        raise Http404
    access = profile_access(user, member)
    if access is Access.NOT_FOUND:
        raise Http404
    return member, access


def member_to_follow(request: HttpRequest, member_id: int) -> Member:
    member = get_object_or_404(Member.objects.select_related("profile"), pk=member_id)
    if not can_view_profile(request.user, member):
        raise Http404
    return member


def member_for_verification(request: HttpRequest, member_id: int) -> Member:
    """Staff only; everyone else is refused before the member is even looked up."""
    if not can_verify(request.user):
        raise PermissionDenied
    return get_object_or_404(Member.objects.filter(erased_at__isnull=True), pk=member_id)
