"""Who sees which profile (R16), who uses the directory and the tutor
database (R18), and who marks organisations as verified (R21)."""

from __future__ import annotations

from enum import Enum

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from commonroom.accounts.models import Member
from commonroom.accounts.roles import User, is_staff
from commonroom.accounts.selectors import members_visible_to
from commonroom.people import selectors


class Access(Enum):
    SHOW = "show"
    SIGN_IN = "sign_in"
    NOT_FOUND = "not_found"


def profile_access(user: User, member: Member) -> Access:
    """Hidden, suspended and unverified members and members who left do not
    exist for others; a members-only profile asks visitors to sign in; staff
    see every profile (accounts.selectors.members_visible_to decides)."""
    if members_visible_to(user).filter(pk=member.pk).exists():
        return Access.SHOW
    if (
        not user.is_authenticated
        and members_visible_to(user, signed_in=True).filter(pk=member.pk).exists()
    ):
        return Access.SIGN_IN
    return Access.NOT_FOUND


def can_view_profile(user: User, member: Member) -> bool:
    return profile_access(user, member) is Access.SHOW


def can_use_directory(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_verify(user: User) -> bool:
    return is_staff(user)


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


def member_to_follow(viewer: User, member_id: int) -> Member:
    return get_object_or_404(members_visible_to(viewer), pk=member_id)


def member_to_unfollow(member: Member, member_id: int) -> Member:
    """A member one may see, or one already followed: the list of what one
    follows names them, so unfollowing reveals nothing new."""
    followed = Q(pk__in=selectors.followed_members(member).values("pk"))
    return get_object_or_404(members_visible_to(member, known=followed), pk=member_id)


def member_for_verification(user: User, member_id: int) -> Member:
    """Staff only; everyone else is refused before the member is even looked up."""
    if not can_verify(user):
        raise PermissionDenied
    return get_object_or_404(Member.objects.filter(erased_at__isnull=True), pk=member_id)
