"""Who may moderate (R26 to R29); checked in one place."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from commonroom.accounts.models import Member
from commonroom.moderation.models import Decision, Notice, Objection, Review
from commonroom.resources.models import Resource, ResourceFile
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


def resource_for_moderator(request: HttpRequest, resource_id: int) -> Resource:
    moderator(request)
    return get_object_or_404(Resource.objects.select_related("author"), pk=resource_id)


def file_for_moderator(request: HttpRequest, file_id: int) -> ResourceFile:
    moderator(request)
    return get_object_or_404(
        ResourceFile.objects.exclude(state="removed").select_related("resource"), pk=file_id
    )


def decision_for_author(request: HttpRequest, decision_id: int) -> Decision:
    """Only the author sees the decision on their resource; to anyone else it does not exist."""
    decision = get_object_or_404(
        Decision.objects.select_related("resource", "file").prefetch_related("criteria"),
        pk=decision_id,
    )
    if decision.resource.author_id != request.user.pk:
        raise Http404
    return decision


def notice_for_staff(request: HttpRequest, notice_id: int) -> Notice:
    staff(request)
    return get_object_or_404(Notice.objects.select_related("resource__author"), pk=notice_id)
