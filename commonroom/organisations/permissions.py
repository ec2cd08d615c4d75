"""Who may see and do what with organisations and training offers (R17, R24).

Anyone sees a verified organisation that is not excluded, and its active
offers (R2). Its administrators run its page and offers; staff verify,
reject and exclude. A page the user may not see does not exist (404); a page
the user may see but not change answers 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from commonroom.accounts.roles import User, is_moderator, is_staff
from commonroom.moderation.lifecycle import State
from commonroom.organisations.models import (
    Organisation,
    OrganisationAdmin,
    OrganisationInvitation,
    OrganisationResource,
    SavedGuide,
    TrainingOffer,
)


def is_administrator(user: User, organisation: Organisation) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return OrganisationAdmin.objects.filter(organisation=organisation, member_id=user.pk).exists()


def can_view(user: User, organisation: Organisation) -> bool:
    """Public pages for all; a proposal or an excluded page for its
    administrators and the moderation team only."""
    if organisation.is_public:
        return True
    return is_moderator(user) or is_administrator(user, organisation)


def can_administer(user: User, organisation: Organisation) -> bool:
    """Administrators edit the page and offers, unless staff excluded it."""
    return organisation.state != State.REMOVED and is_administrator(user, organisation)


def can_manage_offers(user: User, organisation: Organisation) -> bool:
    return organisation.offers_training and can_administer(user, organisation)


def can_verify(user: User) -> bool:
    """Staff do the limited verification and exclude organisations (R24)."""
    return is_staff(user)


def can_propose(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def organisation_for_view(user: User, organisation_id: int) -> Organisation:
    organisation = (
        Organisation.objects.select_related("province").filter(pk=organisation_id).first()
    )
    if organisation is None or not can_view(user, organisation):
        raise Http404
    return organisation


def organisation_for_admin(user: User, organisation_id: int) -> Organisation:
    organisation = organisation_for_view(user, organisation_id)
    if not can_administer(user, organisation):
        raise PermissionDenied
    return organisation


def organisation_for_offers(user: User, organisation_id: int) -> Organisation:
    organisation = organisation_for_admin(user, organisation_id)
    if not organisation.offers_training:
        raise PermissionDenied
    return organisation


def organisation_for_staff(user: User, organisation_id: int) -> Organisation:
    if not can_verify(user):
        raise PermissionDenied
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        raise Http404
    return organisation


def own_resource_link(user: User, resource_id: int) -> OrganisationResource:
    """The organisation a resource of the user's own is published under,
    whatever that organisation's state: its author may always take the
    name off (R24). Anyone else's resource does not exist here (404)."""
    link = (
        OrganisationResource.objects.select_related("organisation", "resource")
        .filter(resource_id=resource_id, resource__author_id=user.pk)
        .first()
        if user.is_authenticated
        else None
    )
    if link is None:
        raise Http404
    return link


def offer_for_view(user: User, offer_id: int) -> TrainingOffer:
    offer = (
        TrainingOffer.objects.select_related("organisation", "organisation__province")
        .filter(pk=offer_id)
        .first()
    )
    if offer is None:
        raise Http404
    if offer.is_shown and offer.organisation.is_public and offer.organisation.offers_training:
        return offer
    if can_view(user, offer.organisation) and is_administrator(user, offer.organisation):
        return offer
    if is_moderator(user):
        return offer
    raise Http404


def offer_for_edit(user: User, offer_id: int) -> TrainingOffer:
    offer = offer_for_view(user, offer_id)
    if not can_manage_offers(user, offer.organisation):
        raise PermissionDenied
    return offer


def saved_guide_for_member(user: User, saved_id: int) -> SavedGuide:
    saved = SavedGuide.objects.filter(pk=saved_id).first()
    if saved is None or saved.member_id != user.pk:
        raise Http404
    return saved


def invitation_for_member(user: User, invitation_id: int) -> OrganisationInvitation:
    """An invitation exists only for the member it invites (R17): anyone
    else, its organisation's administrators included, gets 404."""
    invitation = (
        OrganisationInvitation.objects.select_related("organisation", "invited_by")
        .filter(pk=invitation_id, member_id=user.pk)
        .first()
        if user.is_authenticated
        else None
    )
    if invitation is None:
        raise Http404
    return invitation


def invitation_for_admin(
    user: User, organisation_id: int, invitation_id: int
) -> OrganisationInvitation:
    """One of the organisation's invitations, for its administrators."""
    organisation = organisation_for_admin(user, organisation_id)
    invitation = (
        OrganisationInvitation.objects.select_related("organisation")
        .filter(pk=invitation_id, organisation=organisation)
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation
