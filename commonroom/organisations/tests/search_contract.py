"""How the search contract (tests/test_search_contract.py) makes, hides and
deletes an organisation and a training offer the way the services leave
them; the two kinds of this app are told apart by ``BY_KIND``."""

from __future__ import annotations

from types import SimpleNamespace

from django.utils import timezone

from commonroom.moderation.lifecycle import State
from commonroom.organisations.models import Organisation, TrainingOffer
from commonroom.organisations.tests.factories import offer, organisation


def _organisation_public(*, title: str, body: str) -> int:
    return organisation(name=title, description=body).pk


def _organisation_hide(object_id: int) -> None:
    # Excluded by staff (R24).
    Organisation.objects.filter(pk=object_id).update(
        state=State.REMOVED, excluded_at=timezone.now()
    )


def _organisation_delete(object_id: int) -> None:
    Organisation.objects.filter(pk=object_id).delete()


def _offer_public(*, title: str, body: str) -> int:
    return offer(organisation(name="Aanbieder"), title=title, description=body).pk


def _offer_hide(object_id: int) -> None:
    TrainingOffer.objects.filter(pk=object_id).update(is_active=False)


def _offer_delete(object_id: int) -> None:
    TrainingOffer.objects.filter(pk=object_id).delete()


BY_KIND = {
    "organisation": SimpleNamespace(
        make_public=_organisation_public, hide=_organisation_hide, delete=_organisation_delete
    ),
    "training_offer": SimpleNamespace(
        make_public=_offer_public, hide=_offer_hide, delete=_offer_delete
    ),
}
