"""Who may moderate (R26 to R29); checked in one place."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from commonroom.accounts.models import Member
from commonroom.moderation.models import Objection, Review
from commonroom.resources.permissions import User, is_moderator


def can_moderate(user: User) -> bool:
    return is_moderator(user) and user.is_active


def can_decide_objections(user: User) -> bool:
    """Objections and notices are decided by staff, not by the moderator who refused."""
    return bool(user.is_authenticated and user.is_staff and user.is_active)


def moderator(request: HttpRequest) -> Member:
    if not can_moderate(request.user) or not isinstance(request.user, Member):
        raise PermissionDenied
    return request.user


def staff(request: HttpRequest) -> Member:
    if not can_decide_objections(request.user) or not isinstance(request.user, Member):
        raise PermissionDenied
    return request.user


def review_for_moderator(request: HttpRequest, review_id: int) -> Review:
    moderator(request)
    return get_object_or_404(Review.objects.select_related("resource"), pk=review_id)


def objection_for_staff(request: HttpRequest, objection_id: int) -> Objection:
    staff(request)
    return get_object_or_404(Objection.objects.select_related("decision__resource"),
                             pk=objection_id)  # fmt: skip
