"""Reads of organisations, offers, the directory (R23, R25) and the staff's queue."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet

from commonroom.accounts.models import Member
from commonroom.moderation.lifecycle import State
from commonroom.moderation.models import Decision
from commonroom.organisations import guide
from commonroom.organisations.models import (
    Organisation,
    OrganisationAdmin,
    OrganisationChange,
    SavedGuide,
    TrainingOffer,
)
from commonroom.social.models import Follow
from commonroom.taxonomy.models import Province, TrainingTheme


@dataclass
class Directory:
    organisations: QuerySet[Organisation]
    theme_counts: dict[int, int] = field(default_factory=dict)
    province_counts: dict[int, int] = field(default_factory=dict)


def _offer_facets() -> Prefetch[Any]:
    return Prefetch(
        "offers",
        queryset=TrainingOffer.objects.public().prefetch_related("themes", "provinces"),
        to_attr="public_offers",
    )


def directory(
    *,
    name: str = "",
    theme: TrainingTheme | None = None,
    province: Province | None = None,
    sort: str = "name",
) -> Directory:
    """Public training providers by name, theme (of an offer) and province
    (where it is, or an offer goes), with how many each theme and province
    would give among those the other filters leave."""
    base = Organisation.objects.training_providers()
    if name:
        base = base.filter(name__icontains=name)
    by_theme = Q(offers__in=TrainingOffer.objects.public().filter(themes=theme)) if theme else Q()
    by_province = (
        Q(province=province)
        | Q(offers__in=TrainingOffer.objects.public().filter(provinces=province))
        if province
        else Q()
    )
    matching = base.filter(pk__in=base.filter(by_theme).filter(by_province).values("pk"))
    result = Directory(
        organisations=_sorted(matching, sort)
        .select_related("province")
        .prefetch_related(_offer_facets())
    )
    for_themes = base.filter(pk__in=base.filter(by_province).values("pk"))
    result.theme_counts = {
        row["trainingtheme_id"]: row["n"]
        for row in TrainingOffer.themes.through.objects.filter(
            trainingoffer__in=TrainingOffer.objects.public().filter(organisation__in=for_themes)
        )
        .values("trainingtheme_id")
        .annotate(n=Count("trainingoffer__organisation_id", distinct=True))
    }
    for_provinces = base.filter(pk__in=base.filter(by_theme).values("pk"))
    # An organisation counts once per province, where it is or where an offer goes.
    result.province_counts = _province_counts(for_provinces)
    return result


def _province_counts(organisations: QuerySet[Organisation]) -> dict[int, int]:
    pairs = set(organisations.values_list("pk", "province_id"))
    pairs |= set(
        TrainingOffer.provinces.through.objects.filter(
            trainingoffer__in=TrainingOffer.objects.public().filter(organisation__in=organisations)
        ).values_list("trainingoffer__organisation_id", "province_id")
    )
    counts: dict[int, int] = {}
    for _org, province_id in pairs:
        counts[province_id] = counts.get(province_id, 0) + 1
    return counts


def _sorted(organisations: QuerySet[Organisation], sort: str) -> QuerySet[Organisation]:
    if sort == "newest":
        return organisations.order_by("-published_at", "-pk")
    if sort == "offers":
        return organisations.annotate(
            n_offers=Count("offers", filter=Q(offers__is_active=True))
        ).order_by("-n_offers", "name", "pk")
    return organisations.order_by("name", "pk")


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


def guide_offers() -> list[TrainingOffer]:
    """Every public offer with what ranking reads, in fixed queries."""
    return list(
        TrainingOffer.objects.public()
        .select_related("organisation")
        .prefetch_related("themes", "provinces", "levels")
    )


def guide_result(answers: guide.Answers) -> list[guide.Match]:
    return guide.rank(answers, guide_offers()) if not answers.empty else []


def saved_guides(member: Member) -> QuerySet[SavedGuide]:
    return SavedGuide.objects.filter(member=member)


def themes_and_provinces() -> tuple[Sequence[TrainingTheme], Sequence[Province]]:
    return list(TrainingTheme.objects.all()), list(Province.objects.all())
