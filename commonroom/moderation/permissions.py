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

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from commonroom.accounts.models import Member, Suspension
from commonroom.accounts.roles import User, is_moderator
from commonroom.moderation.models import Decision, Notice, Objection, Report, Review
from commonroom.moderation.protocol import is_moderated, kind_of, moderated_kinds
from commonroom.moderation.report_registry import reportables

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
    objection, the moderator whose decision it contests. A moderated kind
    says who its authors are (``moderation.protocol``); a content app may
    register further types (``authors_of.register``, in its ``moderation``
    module), or is found through the ``REPORTABLE`` of its ``moderation``
    module; an unknown type is a programming error, never a pass."""
    # Loading the kinds imports every app's moderation module, whose
    # registrations may cover ``subject``'s type.
    moderated_kinds()
    found = authors_of.dispatch(type(subject))
    if found is not _authors_unknown:
        return found(subject)
    if is_moderated(subject):
        return kind_of(subject).authors(subject)  # type: ignore[arg-type]
    for reportable in reportables().values():
        if isinstance(subject, reportable.model):
            author = reportable.author(subject)
            return frozenset({author.pk} if author is not None else ())
    raise ImproperlyConfigured(f"No authors known for {type(subject).__name__}")


_authors_unknown = authors_of.dispatch(object)


def _ids(*ids: int | None) -> frozenset[int]:
    return frozenset(pk for pk in ids if pk is not None)


@authors_of.register
def _review(subject: Review) -> frozenset[int]:
    # A proposed change (an edit) is by whoever proposed it, as well as the item's authors.
    change = subject.change
    return authors_of(subject.target) | (authors_of(change) if change is not None else frozenset())


@authors_of.register
def _decision(subject: Decision) -> frozenset[int]:
    return authors_of(subject.target) | _ids(subject.moderator_id)


@authors_of.register
def _objection(subject: Objection) -> frozenset[int]:
    return authors_of(subject.decision) | _ids(subject.author_id)


@authors_of.register
def _notice(subject: Notice) -> frozenset[int]:
    # Whoever filed the notice is a party to it as much as the author.
    return authors_of(subject.target) | _ids(subject.filed_by_id)


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


def _not_about_own(member: Member, prefix: str = "") -> Q:
    """Rows whose target is not one of ``member``'s own items, of any kind."""
    own = Q(pk__in=[])
    for kind in moderated_kinds().values():
        content_type = ContentType.objects.get_for_model(kind.model)
        own |= Q(
            **{
                f"{prefix}content_type": content_type,
                f"{prefix}object_id__in": kind.authored_by(member).values("pk"),
            }
        )
    return ~own


def _no_own_changes(member: Member) -> Q:
    """Reviews of changes ``member`` proposed (a kind's ``changes_by``)."""
    own = Q(pk__in=[])
    for kind in moderated_kinds().values():
        changes_by = getattr(kind, "changes_by", None)
        if changes_by is not None:
            changes = changes_by(member)
            content_type = ContentType.objects.get_for_model(changes.model)
            own |= Q(change_type=content_type, change_id__in=changes.values("pk"))
    return ~own


def open_to(member: Member) -> dict[type[Any], Q]:
    """``authors_of`` as query filters for the lists a moderator works from,
    so a queue never offers what the guard would refuse."""
    return {
        Review: _not_about_own(member) & _no_own_changes(member),
        Objection: _not_about_own(member, "decision__")
        & ~Q(decision__moderator=member)
        & ~Q(author=member),
        Notice: _not_about_own(member) & ~Q(filed_by=member),
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


def moderator(member: Member | User | None) -> Member:
    """The member, when a moderator; views pass ``request.user``."""
    if member is None or not can_moderate(member) or not isinstance(member, Member):
        raise PermissionDenied
    return member


def staff(member: Member | User | None) -> Member:
    if member is None or not can_decide_objections(member) or not isinstance(member, Member):
        raise PermissionDenied
    return member


def review_for_moderator(member: Member | User | None, review_id: int) -> Review:
    moderator(member)
    review: Review = get_object_or_404(Review.objects.select_related("content_type"), pk=review_id)
    if review.target is None:  # its item is gone
        raise Http404
    return review


def objection_for_staff(member: Member | User | None, objection_id: int) -> Objection:
    staff(member)
    return get_object_or_404(Objection.objects.select_related("decision"), pk=objection_id)


def decision_for_author(member: Member | User | None, decision_id: int) -> Decision:
    """Only the author sees the decision on their item; to anyone else it does not exist."""
    decision: Decision = get_object_or_404(
        Decision.objects.select_related("content_type").prefetch_related("criteria"),
        pk=decision_id,
    )
    target = decision.target
    if member is None or target is None or kind_of(target).author(target) != member:
        raise Http404
    return decision


def notice_for_staff(member: Member | User | None, notice_id: int) -> Notice:
    staff(member)
    return get_object_or_404(Notice, pk=notice_id)
