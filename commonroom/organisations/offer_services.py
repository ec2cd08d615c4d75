"""Writes on training offers (R23) and the selection guide's saved answers
(R25): administrators of a training provider keep its offers; a member who
saved the guide's answers hears of new offers that match them."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonroom.accounts.models import Member
from commonroom.core import antispam
from commonroom.moderation import audit
from commonroom.notifications.services import notify
from commonroom.organisations import guide, permissions
from commonroom.organisations.models import Organisation, SavedGuide, TrainingOffer
from commonroom.organisations.notifications import OFFER_MATCH
from commonroom.organisations.search import index_offer
from commonroom.taxonomy.models import EducationLevel, Province, TrainingTheme

# How many saved guides one offer is checked against after it is added.
MAX_SAVED_GUIDES = 10_000


@transaction.atomic(durable=True)
def offer_save(
    *,
    organisation: Organisation,
    by: Member,
    offer: TrainingOffer | None = None,
    themes: Sequence[TrainingTheme],
    provinces: Sequence[Province],
    levels: Sequence[EducationLevel] = (),
    **fields: Any,
) -> TrainingOffer:
    """Add an offer, or change one of the organisation's. A new public offer
    is announced to members whose saved guide it matches."""
    if not permissions.can_manage_offers(by, organisation):
        raise PermissionDenied
    if offer is not None and offer.organisation_id != organisation.pk:
        raise PermissionDenied
    if not themes:
        raise ValidationError({"themes": _("Choose at least one theme.")}, code="required")
    if not provinces:
        raise ValidationError({"provinces": _("Choose at least one province.")}, code="required")
    created = offer is None
    if created and antispam.rate_limit_hit(member=by, kind="training_offer"):
        raise ValidationError(
            _("You added many offers in a short time. Please wait a while."), code="rate_limited"
        )
    offer = offer or TrainingOffer(organisation=organisation, created_by=by)
    for name, value in fields.items():
        setattr(offer, name, value)
    offer.full_clean()
    offer.save()
    offer.themes.set(themes)
    offer.provinces.set(provinces)
    offer.levels.set(levels)
    transaction.on_commit(partial(index_offer, offer.pk))
    if created and offer.is_shown and organisation.is_public:
        transaction.on_commit(partial(guide_alerts_send, offer_id=offer.pk))
    return offer


@transaction.atomic(durable=True)
def offer_delete(*, offer: TrainingOffer, by: Member) -> None:
    if not permissions.can_manage_offers(by, offer.organisation):
        raise PermissionDenied
    offer_id = offer.pk
    organisation_id = offer.organisation_id
    offer.delete()
    from commonroom.organisations.search import index_organisation

    transaction.on_commit(partial(index_offer, offer_id))
    transaction.on_commit(partial(index_organisation, organisation_id))


@transaction.atomic
def offer_withdraw_reported(*, offer: TrainingOffer, by: Member, reason: str) -> TrainingOffer:
    """Moderators withdraw a reported offer (R21), inside their action on the
    report, which checks who may act: it leaves the directory, the guide and
    search, and its administrators cannot show it again."""
    offer = TrainingOffer.objects.select_for_update(of=("self",)).get(pk=offer.pk)
    if offer.withdrawn_at is None:
        offer.withdrawn_at = timezone.now()
    offer.withdrawn_reason = reason.strip()
    offer.save(update_fields=["withdrawn_at", "withdrawn_reason", "updated_at"])
    audit.record(actor=by, action="training_offer_withdraw", target=f"training_offer:{offer.pk}",
                 reason=reason)  # fmt: skip
    transaction.on_commit(partial(index_offer, offer.pk))
    return offer


@transaction.atomic(durable=True)
def guide_save(*, member: Member, query: str) -> SavedGuide:
    """Keep the guide's answers (the page's query) to hear of new matches."""
    if not query.strip():
        raise ValidationError(_("Answer at least one question first."), code="empty")
    saved, _created = SavedGuide.objects.get_or_create(member=member, query=query[:1000])
    return saved


@transaction.atomic(durable=True)
def guide_forget(*, saved: SavedGuide, member: Member) -> None:
    if saved.member_id != member.pk:
        raise PermissionDenied
    saved.delete()


def guide_alerts_send(*, offer_id: int) -> int:
    """Tell each member whose saved answers the new offer matches; returns
    how many were told. Run after the offer is committed."""
    from commonroom.organisations.forms import answers_from_query

    offer = (
        TrainingOffer.objects.public()
        .select_related("organisation")
        .prefetch_related("themes", "provinces", "levels")
        .filter(pk=offer_id)
        .first()
    )
    if offer is None:
        return 0
    told: set[int] = set()
    saved_guides = SavedGuide.objects.select_related("member").exclude(
        member__in=offer.organisation.administrators.values("member")
    )
    for saved in saved_guides[:MAX_SAVED_GUIDES]:
        answers = answers_from_query(saved.query)
        if saved.member_id in told or answers.empty:
            continue
        found = guide.match(answers, offer)
        if found is None or found.score == 0:
            continue
        told.add(saved.member_id)
        notify(
            recipient=saved.member,
            kind=OFFER_MATCH,
            context={"title": offer.title, "organisation": offer.organisation.name},
            url=offer.get_absolute_url(),
        )
    return len(told)
