"""Reads of organisations, offers, the directory (R23, R25) and the staff's queue."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from commonroom.accounts.models import Member
from commonroom.moderation.lifecycle import State
from commonroom.moderation.models import Decision
from commonroom.organisations import directory, guide
from commonroom.organisations.models import (
    Organisation,
    OrganisationAdmin,
    OrganisationChange,
    OrganisationInvitation,
    SavedGuide,
    TrainingOffer,
)
from commonroom.social.models import Follow
from commonroom.taxonomy.models import Province, TrainingTheme


def directory_page(ids: Sequence[int]) -> list[Organisation]:
    """The organisations of one page of the directory, in its order, with
    their public offers, in fixed queries."""
    found = {
        o.pk: o
        for o in Organisation.objects.filter(pk__in=list(ids))
        .select_related("province")
        .prefetch_related(
            Prefetch(
                "offers",
                queryset=TrainingOffer.objects.public().order_by("title", "pk"),
                to_attr="public_offers",
            )
        )
    }
    return [found[pk] for pk in ids if pk in found]


def organisation_page(organisation: Organisation, *, viewer: Any) -> dict[str, Any]:
    offers = TrainingOffer.objects.filter(organisation=organisation).prefetch_related(
        "themes", "provinces"
    )
    admins = OrganisationAdmin.objects.filter(organisation=organisation).select_related("member")
    following = bool(
        viewer.is_authenticated
        and Follow.objects.filter(
            follower_id=viewer.pk,
            content_type=ContentType.objects.get_for_model(Organisation),
            object_id=organisation.pk,
        ).exists()
    )
    return {"offers": offers, "administrators": admins, "following": following}


def pending_change(organisation: Organisation) -> OrganisationChange | None:
    return organisation.changes.filter(status=OrganisationChange.Status.PENDING).first()


def pending_invitations(organisation: Organisation) -> QuerySet[OrganisationInvitation]:
    """Invitations not answered yet, expired ones included (shown as such)."""
    return organisation.invitations.filter(
        status=OrganisationInvitation.Status.PENDING
    ).select_related("member", "invited_by")


def invitations_for(member: Member) -> QuerySet[OrganisationInvitation]:
    """The member's invitations they may still answer."""
    return OrganisationInvitation.objects.filter(
        member=member,
        status=OrganisationInvitation.Status.PENDING,
        expires_at__gt=timezone.now(),
    ).select_related("organisation")


def staff_queue() -> QuerySet[Organisation]:
    """Proposals waiting for staff's verification, oldest first."""
    return (
        Organisation.objects.filter(state__in=(State.SUBMITTED, State.IN_REVIEW))
        .select_related("province", "proposed_by")
        .order_by("created_at", "pk")
    )


def excluded() -> QuerySet[Organisation]:
    return Organisation.objects.filter(state=State.REMOVED).order_by("-excluded_at", "-pk")


def decisions_about(organisation: Organisation) -> QuerySet[Decision]:
    return Decision.objects.about(organisation).select_related("moderator").order_by("-created_at")


def organisations_of(member: Member) -> QuerySet[Organisation]:
    return (
        Organisation.objects.administered_by(member.pk).select_related("province").order_by("name")
    )


def guide_result(answers: guide.Answers) -> list[guide.Match]:
    return guide.rank(answers, directory.guide_offers()) if not answers.empty else []


def saved_guides(member: Member) -> QuerySet[SavedGuide]:
    return SavedGuide.objects.filter(member=member)


def themes_and_provinces() -> tuple[Sequence[TrainingTheme], Sequence[Province]]:
    return list(TrainingTheme.objects.all()), list(Province.objects.all())
