import secrets

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from commonroom.accounts.models import Member, Profile
from commonroom.accounts.selectors import members_visible_to


def can_suspend(actor: Member | AnonymousUser, member: Member | None = None) -> bool:
    """Staff suspend members; nobody suspends themselves or a superuser."""
    if not (actor.is_authenticated and actor.is_staff):
        return False
    if member is None:
        return True
    return member.pk != actor.pk and not member.is_superuser and member.erased_at is None


def member_for_staff_get(actor: Member | AnonymousUser, member_id: int) -> Member:
    if not can_suspend(actor):
        raise PermissionDenied
    member = get_object_or_404(Member.objects.filter(erased_at__isnull=True), pk=member_id)
    return member


def acting_member(request: HttpRequest) -> Member:
    """The signed-in member behind a request; views call it after their
    permission check, so a visitor reaching it is a programming error."""
    if not isinstance(request.user, Member):
        raise PermissionDenied
    return request.user


def profile_photo_get(viewer: Member | AnonymousUser, member_id: int, token: str) -> Profile:
    """The profile whose photo an address names, when the viewer may see that profile.

    The profile page's own rule (members_visible_to) decides: a hidden profile's
    photo does not exist for others, while its owner and staff still see it.
    A wrong token is a 404 too, so an old photo's address stops working.
    """
    profile = (
        Profile.objects.filter(member_id=member_id, member__in=members_visible_to(viewer))
        .exclude(photo="")
        .first()
    )
    if profile is None or not secrets.compare_digest(profile.photo_token, token):
        raise Http404
    return profile
