"""Reads of organisations, offers, the directory (R23, R25) and the staff's queue."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, OuterRef, QuerySet, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber
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

# A directory card names at most this many offers (first by title) and says
# how many more there are: a provider with forty offers would otherwise fill
# the page, and cost forty rows and links for each.
OFFERS_ON_A_CARD = 5


def directory_page(ids: Sequence[int]) -> list[Organisation]:
    """The organisations of one page of the directory, in its order, each
    with ``offer_total`` (its public offers) and ``card_offers`` (the first
    ``OFFERS_ON_A_CARD`` of them), in two queries."""
    public = TrainingOffer.objects.public()
    found = {
        o.pk: o
        for o in Organisation.objects.filter(pk__in=list(ids))
        .select_related("province")
        .annotate(
            offer_total=Coalesce(
                Subquery(
                    public.filter(organisation=OuterRef("pk"))
                    .values("organisation")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            )
        )
    }
    shown = (
        public.filter(organisation_id__in=list(found))
        .annotate(
            place=Window(
                RowNumber(), partition_by=[F("organisation_id")], order_by=[F("title"), F("pk")]
            )
        )
        .filter(place__lte=OFFERS_ON_A_CARD)
        .only("pk", "title", "organisation_id")
        .order_by("organisation_id", "place")
    )
    for organisation in found.values():
        organisation.card_offers = []  # type: ignore[attr-defined]
    for offer in shown:
        found[offer.organisation_id].card_offers.append(offer)  # type: ignore[attr-defined]
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
