"""What the organisations app keeps about a member (R6, R7): organisations
they proposed, the ones they administer, the invitations to administer
one they received, the offers they wrote and the selection guide's answers
they saved. Follows of organisations are
social.Follow rows, exported and erased by the social and people apps."""

from typing import Any

from commonroom.accounts.models import Member
from commonroom.organisations.models import (
    Organisation,
    OrganisationAdmin,
    OrganisationChange,
    OrganisationInvitation,
    SavedGuide,
    TrainingOffer,
)


def export(member: Member) -> dict[str, Any]:
    return {
        "organisations_proposed": [
            {"name": o.name, "state": o.state, "proposed_at": o.created_at.isoformat()}
            for o in Organisation.objects.filter(proposed_by=member).order_by("pk")
        ],
        "organisation_administrator_of": [
            {"organisation": a.organisation.name, "since": a.created_at.isoformat()}
            for a in OrganisationAdmin.objects.filter(member=member)
            .select_related("organisation")
            .order_by("pk")
        ],
        "organisation_invitations_received": [
            {
                "organisation": i.organisation.name,
                "status": i.status,
                "invited_at": i.created_at.isoformat(),
                "expires_at": i.expires_at.isoformat(),
                "answered_at": i.answered_at.isoformat() if i.answered_at else None,
            }
            for i in OrganisationInvitation.objects.filter(member=member)
            .select_related("organisation")
            .order_by("pk")
        ],
        "training_offers_written": [
            {"title": o.title, "organisation": o.organisation.name}
            for o in TrainingOffer.objects.filter(created_by=member)
            .select_related("organisation")
            .order_by("pk")
        ],
        "selection_guides_saved": [
            {"answers": s.query, "saved_at": s.created_at.isoformat()}
            for s in SavedGuide.objects.filter(member=member).order_by("pk")
        ],
    }


def erase(member: Member) -> None:
    """The organisation's page stays (it is the organisation's, not the
    member's); the link to the member goes."""
    OrganisationAdmin.objects.filter(member=member).delete()
    OrganisationAdmin.objects.filter(added_by=member).update(added_by=None)
    OrganisationInvitation.objects.filter(member=member).delete()
    OrganisationInvitation.objects.filter(invited_by=member).update(invited_by=None)
    Organisation.objects.filter(proposed_by=member).update(proposed_by=None)
    OrganisationChange.objects.filter(created_by=member).update(created_by=None)
    TrainingOffer.objects.filter(created_by=member).update(created_by=None)
    SavedGuide.objects.filter(member=member).delete()
