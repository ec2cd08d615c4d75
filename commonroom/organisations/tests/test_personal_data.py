"""What the organisations app keeps about a member, in the data download
(R7) and gone with the account (R6); the organisation's page stays."""

from __future__ import annotations

from typing import Any, cast

import pytest

from commonroom.accounts.models import Member
from commonroom.accounts.services import member_erase, member_export
from commonroom.accounts.tests import factories as account_factories
from commonroom.organisations.models import Organisation, OrganisationAdmin, SavedGuide
from commonroom.organisations.tests.factories import offer, organisation

pytestmark = pytest.mark.django_db


def _make(factory: Any, **kwargs: Any) -> Any:
    return factory(**kwargs)


def _busy() -> tuple[Member, Organisation]:
    member = cast(Member, _make(account_factories.MemberFactory))
    run = organisation(admin=member)
    offer(run, created_by=member)
    SavedGuide.objects.create(member=member, query="themes=stem")
    return member, run


def test_r7_export_has_proposals_administrator_roles_offers_and_saved_guides() -> None:
    member, _run = _busy()

    data = member_export(member=member)

    assert [o["name"] for o in data["organisations_proposed"]] == ["Leerpunt Vorming"]
    assert [a["organisation"] for a in data["organisation_administrator_of"]] == [
        "Leerpunt Vorming"
    ]
    assert data["training_offers_written"] == [
        {"title": "Coaching STEM", "organisation": "Leerpunt Vorming"}
    ]
    assert [s["answers"] for s in data["selection_guides_saved"]] == ["themes=stem"]


def test_r6_erasure_removes_the_member_but_leaves_the_organisation() -> None:
    member, run = _busy()

    member_erase(member=member)

    run.refresh_from_db()
    assert run.proposed_by is None
    assert not OrganisationAdmin.objects.filter(member=member).exists()
    assert not SavedGuide.objects.filter(member=member).exists()
    assert run.offers.get().created_by is None
