"""Organisations (R17, R24): proposing, staff's verification, rejection and
exclusion with reasons, reviewed edits (administrators: test_invitations.py)."""

from __future__ import annotations

from typing import Any, cast

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commonroom.accounts.models import Member
from commonroom.accounts.tests import factories as account_factories
from commonroom.moderation.lifecycle import State
from commonroom.moderation.models import AuditEntry, Decision, Review
from commonroom.moderation.notifications import MODERATION_DECISION
from commonroom.moderation.permissions import OwnWorkRefused
from commonroom.moderation.tests.factories import moderator
from commonroom.notifications.models import Notification
from commonroom.organisations import services
from commonroom.organisations.models import Organisation, OrganisationChange
from commonroom.organisations.tests.factories import organisation, proposal_fields


def _make(factory: Any, **kwargs: Any) -> Any:
    return factory(**kwargs)


pytestmark = pytest.mark.django_db


def _member() -> Member:
    return cast(
        Member,
        _make(
            account_factories.MemberFactory,
        ),
    )


def _staff() -> Member:
    return cast(Member, _make(account_factories.StaffFactory))


def _proposed() -> tuple[Organisation, Member]:
    proposer = _member()
    return services.organisation_propose(by=proposer, **proposal_fields()), proposer


def test_r24_a_proposal_waits_for_staff_with_its_proposer_as_administrator() -> None:
    proposed, proposer = _proposed()

    proposed.refresh_from_db()
    assert proposed.state == State.SUBMITTED
    assert list(proposed.administrators.values_list("member_id", flat=True)) == [proposer.pk]
    assert Review.objects.about(proposed).filter(kind=Review.Kind.SUBMISSION).count() == 1
    assert list(Organisation.objects.public()) == []


def test_r24_staff_verify_and_the_proposer_is_told() -> None:
    proposed, proposer = _proposed()

    services.organisation_verify(organisation=proposed, by=_staff())

    proposed.refresh_from_db()
    assert proposed.state == State.PUBLISHED
    assert proposed.published_at is not None
    note = Notification.objects.get(recipient=proposer, kind=MODERATION_DECISION)
    assert note.title == "“Vormingshuis Gent” is verified"


def test_r24_staff_reject_with_reasons_told_to_the_proposer() -> None:
    proposed, proposer = _proposed()

    decision = services.organisation_reject(
        organisation=proposed, by=_staff(), reason="No link with education."
    )

    proposed.refresh_from_db()
    assert proposed.state == State.REJECTED
    assert (decision.action, decision.reason) == (Decision.Action.REJECT, "No link with education.")
    note = Notification.objects.get(recipient=proposer, kind=MODERATION_DECISION)
    assert note.title == "“Vormingshuis Gent” was not verified"
    assert "No link with education." in note.body


def test_r24_a_rejection_needs_a_reason_and_changes_nothing_without_one() -> None:
    proposed, _proposer = _proposed()

    with pytest.raises(ValidationError):
        services.organisation_reject(organisation=proposed, by=_staff(), reason="  ")

    proposed.refresh_from_db()
    assert proposed.state == State.SUBMITTED
    assert Decision.objects.about(proposed).count() == 0


def test_r24_members_and_moderators_cannot_take_staff_decisions() -> None:
    proposed, proposer = _proposed()

    for someone in (_member(), proposer, moderator()):
        with pytest.raises(PermissionDenied):
            services.organisation_verify(organisation=proposed, by=someone)
        with pytest.raises(PermissionDenied):
            services.organisation_exclude(organisation=proposed, by=someone, reason="Spam")

    proposed.refresh_from_db()
    assert proposed.state == State.SUBMITTED
    assert Decision.objects.about(proposed).count() == 0


def test_r24_staff_exclude_later_with_the_reason_recorded() -> None:
    admin = _member()
    verified = organisation(admin=admin)

    services.organisation_exclude(
        organisation=verified, by=_staff(), reason="Activities against the rights of the child."
    )

    verified.refresh_from_db()
    assert verified.state == State.REMOVED
    assert verified.excluded_reason == "Activities against the rights of the child."
    assert verified.excluded_at is not None
    assert list(Organisation.objects.public()) == []
    entry = AuditEntry.objects.about(verified).get(action="decision_remove")
    assert entry.reason == "Activities against the rights of the child."
    assert Notification.objects.get(recipient=admin).title == "“Leerpunt Vorming” was excluded"


def test_r17_an_edit_of_a_verified_page_waits_for_a_moderator() -> None:
    admin = _member()
    verified = organisation(admin=admin)

    change = services.organisation_edit(
        organisation=verified, by=admin, name="Leerpunt", description="We train teachers."
    )

    assert change is not None
    verified.refresh_from_db()
    assert verified.name == "Leerpunt Vorming"
    assert change.data == {"name": "Leerpunt"}
    review = Review.objects.about(verified).get(kind=Review.Kind.REVISION)
    from commonroom.moderation.services import review_decide

    review_decide(review=review, by=moderator(), action=Decision.Action.PUBLISH)
    verified.refresh_from_db()
    change.refresh_from_db()
    assert (verified.name, change.status) == ("Leerpunt", OrganisationChange.Status.APPLIED)


def test_r17_a_non_administrator_cannot_edit_and_nothing_changes() -> None:
    verified = organisation()
    for someone in (_member(), _staff()):
        with pytest.raises(PermissionDenied):
            services.organisation_edit(organisation=verified, by=someone, name="Hacked")

    verified.refresh_from_db()
    assert verified.name == "Leerpunt Vorming"
    assert OrganisationChange.objects.count() == 0


def test_r24_an_excluded_organisation_cannot_be_edited_by_its_administrators() -> None:
    admin = _member()
    verified = organisation(admin=admin)
    services.organisation_exclude(organisation=verified, by=_staff(), reason="Illegal.")

    with pytest.raises(PermissionDenied):
        services.organisation_edit(organisation=verified, by=admin, name="Back again")


def test_r24_staff_cannot_verify_or_exclude_an_organisation_they_administer() -> None:
    staff = _staff()
    own = organisation(admin=staff, state=State.SUBMITTED)
    from commonroom.moderation.services import review_open

    review_open(item=own, kind=Review.Kind.SUBMISSION)

    with pytest.raises(OwnWorkRefused):
        services.organisation_verify(organisation=own, by=staff)
    with pytest.raises(OwnWorkRefused):
        services.organisation_exclude(organisation=own, by=staff, reason="Spam")

    own.refresh_from_db()
    assert own.state == State.SUBMITTED
    assert Decision.objects.about(own).count() == 0
