"""Who may moderate (R26 to R29); checked in one place.

Nobody decides on their own work: every moderation service is marked with
``@moderation_action(subject=...)``, which runs ``refuse_own_work`` before
the service body, so an action added later gets the rule by being marked
(tests/test_own_work.py fails for a ``by=`` service that is not).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from commonroom.accounts.models import Member, Suspension
from commonroom.moderation.models import Decision, Notice, Objection, Report, Review
from commonroom.moderation.report_registry import reportables
from commonroom.resources.models import Resource, ResourceFile
from commonroom.resources.permissions import User, is_moderator

P = ParamSpec("P")
R = TypeVar("R")


class OwnWorkRefused(PermissionDenied):
    """A moderator or staff member acted on their own work, or judged an
    objection to their own decision; views answer 403 and nothing changed."""

    def __init__(self) -> None:
        super().__init__(
            _("You cannot decide on your own work or on your own decision; another moderator does.")
        )


# --- who is behind a moderated subject -----------------------------------------------------


@functools.singledispatch
def authors_of(subject: object) -> frozenset[int]:
    """The members who may not decide on ``subject``: its authors and, for an
    objection, the moderator whose decision it contests. A content app
    registers its own kinds (``authors_of.register``) or is found through the
    ``REPORTABLE`` of its ``moderation`` module; an unknown kind is a
    programming error, never a pass."""
    for reportable in reportables().values():
        if isinstance(subject, reportable.model):
            author = reportable.author(subject)
            return frozenset({author.pk} if author is not None else ())
    raise ImproperlyConfigured(f"No authors known for {type(subject).__name__}")


def _ids(*ids: int | None) -> frozenset[int]:
    return frozenset(pk for pk in ids if pk is not None)


@authors_of.register
def _resource(subject: Resource) -> frozenset[int]:
    return _ids(subject.author_id)


@authors_of.register
def _file(subject: ResourceFile) -> frozenset[int]:
    return authors_of(subject.resource)


@authors_of.register
def _review(subject: Review) -> frozenset[int]:
    # A revision is proposed by whoever edited; that is the resource's author today.
    edited_by = subject.revision.created_by_id if subject.revision is not None else None
    return authors_of(subject.resource) | _ids(edited_by)


@authors_of.register
def _decision(subject: Decision) -> frozenset[int]:
    return authors_of(subject.resource) | _ids(subject.moderator_id)


@authors_of.register
def _objection(subject: Objection) -> frozenset[int]:
    return authors_of(subject.decision) | _ids(subject.author_id)


@authors_of.register
def _notice(subject: Notice) -> frozenset[int]:
    # Whoever filed the notice is a party to it as much as the author.
    return authors_of(subject.resource) | _ids(subject.filed_by_id)


@authors_of.register
def _report(subject: Report) -> frozenset[int]:
    target = subject.target_object()
    return authors_of(target) if target is not None else frozenset()


@authors_of.register
def _member(subject: Member) -> frozenset[int]:
    return _ids(subject.pk)


@authors_of.register
def _suspension(subject: Suspension) -> frozenset[int]:
    return _ids(subject.member_id)


# --- the one check --------------------------------------------------------------------------


def may_decide_on(member: Member | User, subject: object) -> bool:
    """False when ``member`` authored ``subject`` or took the decision it contests."""
    return member.pk not in authors_of(subject)


def refuse_own_work(*, by: Member, subject: object) -> None:
    if not may_decide_on(by, subject):
        raise OwnWorkRefused


def open_to(member: Member) -> dict[type[Any], Q]:
    """``authors_of`` as query filters for the lists a moderator works from,
    so a queue never offers what the guard would refuse."""
    return {
        Review: ~Q(resource__author=member) & ~Q(revision__created_by=member),
        Objection: ~Q(decision__resource__author=member)
        & ~Q(decision__moderator=member)
        & ~Q(author=member),
        Notice: ~Q(resource__author=member) & ~Q(filed_by=member),
    }


# Every service marked below, by dotted name: the tests prove each refuses own work.
MODERATION_ACTIONS: dict[str, Callable[..., Any]] = {}


def moderation_action(*, subject: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Mark a service as a moderation action on its keyword argument
    ``subject``, acted on by its keyword argument ``by``."""

    def mark(service: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(service)
        def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
            by = kwargs["by"]
            if not isinstance(by, Member):
                raise PermissionDenied
            refuse_own_work(by=by, subject=kwargs[subject])
            return service(*args, **kwargs)

        guarded.moderation_subject = subject  # type: ignore[attr-defined]
        MODERATION_ACTIONS[f"{service.__module__}.{service.__qualname__}"] = guarded
        return guarded

    return mark


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
