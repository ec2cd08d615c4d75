"""Administrators invite and remove other administrators (R17): an
invitation waits for the invited member's answer; only accepting makes them
an administrator. Refusals answer 403 or 404 and change nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commonroom.accounts.models import Member
from commonroom.accounts.services import member_erase, member_export
from commonroom.accounts.tests import factories as account_factories
from commonroom.moderation.lifecycle import State
from commonroom.notifications.models import Notification
from commonroom.organisations import services
from commonroom.organisations.models import (
    INVITATION_DAYS,
    Organisation,
    OrganisationAdmin,
    OrganisationInvitation,
)
from commonroom.organisations.notifications import ADMINISTRATOR_INVITED
from commonroom.organisations.tests.factories import organisation

pytestmark = pytest.mark.django_db
Status = OrganisationInvitation.Status
COLLEAGUE = "colleague@school.example"


def _member(**kwargs: Any) -> Member:
    return cast(Member, account_factories.MemberFactory(**kwargs))


def _signed_in(member: Member) -> Client:
    client = Client()
    client.force_login(member)
    return client


def _admins(org: Organisation) -> set[int]:
    return set(org.administrators.values_list("member_id", flat=True))


def _invited() -> tuple[Organisation, Member, Member, OrganisationInvitation]:
    """A verified organisation, its administrator, and their invitation to a colleague."""
    admin = _member()
    colleague = _member(email=COLLEAGUE)
    org = organisation(admin=admin)
    invitation = services.invitation_send(organisation=org, by=admin, email=COLLEAGUE)
    return org, admin, colleague, invitation


def _rows() -> list[dict[str, Any]]:
    return list(OrganisationInvitation.objects.order_by("pk").values())


# --- services -------------------------------------------------------------------------------


def test_r17_an_invitation_waits_for_the_answer_and_tells_the_member(time_machine) -> None:
    sent = timezone.now()
    time_machine.move_to(sent, tick=False)
    org, admin, colleague, invitation = _invited()

    assert (invitation.organisation, invitation.member, invitation.invited_by) == (
        org,
        colleague,
        admin,
    )
    assert invitation.status == Status.PENDING
    assert invitation.expires_at == sent + timedelta(days=INVITATION_DAYS)
    assert _admins(org) == {admin.pk}
    told = Notification.objects.get(recipient=colleague)
    assert (told.kind, told.url) == (
        ADMINISTRATOR_INVITED,
        reverse("organisations:invitation", args=[invitation.pk]),
    )
    assert told.texts["en"]["title"] == "You are invited to administer “Leerpunt Vorming”"


def test_r17_accepting_makes_the_member_an_administrator() -> None:
    org, admin, colleague, invitation = _invited()

    added = services.invitation_accept(invitation=invitation, by=colleague)

    assert (added.member, added.added_by) == (colleague, admin)
    assert _admins(org) == {admin.pk, colleague.pk}
    invitation.refresh_from_db()
    assert invitation.status == Status.ACCEPTED
    assert invitation.answered_at is not None


def test_r17_declining_leaves_nothing_but_the_answer() -> None:
    org, admin, colleague, invitation = _invited()

    services.invitation_decline(invitation=invitation, by=colleague)

    assert _admins(org) == {admin.pk}
    invitation.refresh_from_db()
    assert invitation.status == Status.DECLINED
    with pytest.raises(ValidationError) as refused:
        services.invitation_accept(invitation=invitation, by=colleague)
    assert refused.value.code == "answered"
    assert _admins(org) == {admin.pk}


def test_r17_a_third_member_cannot_accept_or_decline_someone_elses_invitation() -> None:
    org, admin, _colleague, invitation = _invited()
    third = _member()
    before = _rows()

    for answer in (services.invitation_accept, services.invitation_decline):
        with pytest.raises(PermissionDenied):
            answer(invitation=invitation, by=third)
    # Not even the administrator who sent it answers for the member.
    with pytest.raises(PermissionDenied):
        services.invitation_accept(invitation=invitation, by=admin)

    assert _rows() == before
    assert _admins(org) == {admin.pk}


def test_r17_an_expired_invitation_cannot_be_accepted() -> None:
    org, admin, colleague, invitation = _invited()
    OrganisationInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    before = _rows()

    with pytest.raises(ValidationError) as refused:
        services.invitation_accept(invitation=invitation, by=colleague)

    assert refused.value.code == "expired"
    assert refused.value.messages == [
        "This invitation has expired. Ask an administrator to invite you again."
    ]
    assert _rows() == before
    assert _admins(org) == {admin.pk}


def test_r17_an_expired_invitation_is_renewed_by_inviting_again(time_machine) -> None:
    org, admin, colleague, invitation = _invited()
    OrganisationInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    again = timezone.now() + timedelta(days=20)
    time_machine.move_to(again, tick=False)

    renewed = services.invitation_send(organisation=org, by=admin, email=COLLEAGUE)

    assert renewed.pk == invitation.pk
    assert renewed.expires_at == again + timedelta(days=INVITATION_DAYS)
    assert Notification.objects.filter(recipient=colleague).count() == 2
    services.invitation_accept(invitation=renewed, by=colleague)
    assert _admins(org) == {admin.pk, colleague.pk}


def test_r17_inviting_an_administrator_or_someone_invited_is_refused() -> None:
    org, admin, colleague, _invitation = _invited()
    before = _rows()

    with pytest.raises(ValidationError) as invited:
        services.invitation_send(organisation=org, by=admin, email=COLLEAGUE.upper())
    with pytest.raises(ValidationError) as already:
        services.invitation_send(organisation=org, by=admin, email=admin.email)

    assert invited.value.code == "already_invited"
    assert invited.value.messages == ["This member is already invited and has not answered yet."]
    assert already.value.code == "already"
    assert already.value.messages == ["This member is already an administrator."]
    assert _rows() == before
    assert Notification.objects.filter(recipient=colleague).count() == 1


@pytest.mark.parametrize("account", ["unknown", "closed"])
def test_r17_only_an_existing_active_account_is_invited_and_the_answer_is_the_same(
    account: str,
) -> None:
    admin = _member()
    org = organisation(admin=admin)
    if account == "closed":
        _member(email=COLLEAGUE, is_active=False)

    with pytest.raises(ValidationError) as refused:
        services.invitation_send(organisation=org, by=admin, email=COLLEAGUE)

    assert refused.value.code == "no_member"
    assert refused.value.messages == ["No member with a verified account uses this e-mail address."]
    assert _rows() == []


def test_r17_a_non_administrator_cannot_invite_or_withdraw() -> None:
    org, admin, colleague, invitation = _invited()
    outsider = _member(email="outsider@school.example")
    before = _rows()

    with pytest.raises(PermissionDenied):
        services.invitation_send(organisation=org, by=outsider, email="outsider@school.example")
    with pytest.raises(PermissionDenied):
        services.invitation_withdraw(invitation=invitation, by=outsider)
    # The invited member cannot withdraw it either: they decline.
    with pytest.raises(PermissionDenied):
        services.invitation_withdraw(invitation=invitation, by=colleague)

    assert _rows() == before
    assert _admins(org) == {admin.pk}


def test_r17_an_administrator_withdraws_an_invitation_and_it_cannot_be_accepted() -> None:
    org, admin, colleague, invitation = _invited()

    services.invitation_withdraw(invitation=invitation, by=admin)

    invitation.refresh_from_db()
    assert invitation.status == Status.WITHDRAWN
    with pytest.raises(ValidationError) as refused:
        services.invitation_accept(invitation=invitation, by=colleague)
    assert refused.value.code == "answered"
    assert _admins(org) == {admin.pk}


def test_r24_an_invitation_to_an_excluded_organisation_cannot_be_accepted() -> None:
    org, admin, colleague, invitation = _invited()
    Organisation.objects.filter(pk=org.pk).update(state=State.REMOVED)

    with pytest.raises(ValidationError) as refused:
        services.invitation_accept(invitation=invitation, by=colleague)

    assert refused.value.code == "excluded"
    assert _admins(org) == {admin.pk}


def test_r17_administrators_remove_administrators_but_keep_the_last() -> None:
    org, admin, colleague, invitation = _invited()
    services.invitation_accept(invitation=invitation, by=colleague)

    services.administrator_remove(organisation=org, by=colleague, member_id=admin.pk)

    assert _admins(org) == {colleague.pk}
    with pytest.raises(ValidationError) as refused:
        services.administrator_remove(organisation=org, by=colleague, member_id=colleague.pk)
    assert refused.value.code == "last_admin"


# --- pages ----------------------------------------------------------------------------------


def test_r17_the_administrators_page_invites_and_lists_pending_invitations() -> None:
    admin = _member()
    colleague = _member(email=COLLEAGUE, first_name="Colleague", last_name="Claes")
    org = organisation(admin=admin)
    client = _signed_in(admin)
    url = reverse("organisations:administrators", args=[org.pk])

    response = client.post(url, {"email": COLLEAGUE})

    assert response.status_code == 302
    invitation = OrganisationInvitation.objects.get()
    assert (invitation.member, invitation.status) == (colleague, Status.PENDING)
    page = client.get(url)
    assert list(page.context["invitations"]) == [invitation]
    assert "Colleague Claes" in page.content.decode()
    again = client.post(url, {"email": COLLEAGUE})
    assert again.status_code == 400
    assert again.context["form"].errors == {
        "email": ["This member is already invited and has not answered yet."]
    }
    assert OrganisationInvitation.objects.count() == 1


def test_r17_a_non_administrator_gets_403_on_invite_and_withdraw_and_nothing_changes() -> None:
    org, _admin, _colleague, invitation = _invited()
    outsider = _signed_in(_member(email="outsider@school.example"))
    before = _rows()

    invite = outsider.post(
        reverse("organisations:administrators", args=[org.pk]),
        {"email": "outsider@school.example"},
    )
    withdraw = outsider.post(
        reverse("organisations:invitation_withdraw", args=[org.pk, invitation.pk])
    )

    assert (invite.status_code, withdraw.status_code) == (403, 403)
    assert _rows() == before


def test_r17_an_administrator_withdraws_through_the_page() -> None:
    org, admin, _colleague, invitation = _invited()

    response = _signed_in(admin).post(
        reverse("organisations:invitation_withdraw", args=[org.pk, invitation.pk])
    )

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == Status.WITHDRAWN


def test_r17_an_invitation_is_withdrawn_only_through_its_own_organisation() -> None:
    org, _admin, _colleague, invitation = _invited()
    other_admin = _member()
    other = organisation(name="Ander Huis", admin=other_admin)
    before = _rows()

    response = _signed_in(other_admin).post(
        reverse("organisations:invitation_withdraw", args=[other.pk, invitation.pk])
    )

    assert response.status_code == 404
    assert _rows() == before
    assert org.pk != other.pk


def test_r17_the_invited_member_accepts_on_the_page_and_can_then_edit() -> None:
    org, admin, colleague, invitation = _invited()
    client = _signed_in(colleague)
    url = reverse("organisations:invitation", args=[invitation.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["invitation"] == invitation
    assert 'value="accept"' in page.content.decode()
    assert client.get(reverse("organisations:edit", args=[org.pk])).status_code == 403

    response = client.post(url, {"answer": "accept"})

    assert (response.status_code, response["Location"]) == (302, org.get_absolute_url())
    assert _admins(org) == {admin.pk, colleague.pk}
    assert client.get(reverse("organisations:edit", args=[org.pk])).status_code == 200
    edited = client.post(
        reverse("organisations:edit", args=[org.pk]),
        {
            "name": org.name,
            "kind": org.kind,
            "address": org.address,
            "province": org.province_id,
            "website": org.website,
            "email": org.email,
            "description": "We train teachers, now with a colleague.",
        },
    )
    assert edited.status_code == 302
    # A verified page's edit waits for a moderator, proposed by the new administrator.
    assert org.changes.get().created_by == colleague


def test_r17_the_invited_member_declines_on_the_page() -> None:
    org, admin, colleague, invitation = _invited()

    response = _signed_in(colleague).post(
        reverse("organisations:invitation", args=[invitation.pk]), {"answer": "decline"}
    )

    assert (response.status_code, response["Location"]) == (302, reverse("organisations:mine"))
    invitation.refresh_from_db()
    assert invitation.status == Status.DECLINED
    assert _admins(org) == {admin.pk}


def test_r17_a_third_member_and_the_inviter_get_404_and_nothing_changes() -> None:
    org, admin, _colleague, invitation = _invited()
    url = reverse("organisations:invitation", args=[invitation.pk])
    before = _rows()

    for member in (_member(), admin):
        client = _signed_in(member)
        assert client.get(url).status_code == 404
        assert client.post(url, {"answer": "accept"}).status_code == 404

    assert _rows() == before
    assert _admins(org) == {admin.pk}


def test_r17_an_expired_invitation_page_says_so_and_accepting_is_refused() -> None:
    org, admin, colleague, invitation = _invited()
    OrganisationInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    client = _signed_in(colleague)
    url = reverse("organisations:invitation", args=[invitation.pk])

    page = client.get(url).content.decode()
    response = client.post(url, {"answer": "accept"}, follow=True)

    assert "This invitation has expired." in page
    assert 'value="accept"' not in page
    assert [str(m) for m in response.context["messages"]] == [
        "This invitation has expired. Ask an administrator to invite you again."
    ]
    assert _admins(org) == {admin.pk}
    invitation.refresh_from_db()
    assert invitation.status == Status.PENDING


def test_r17_my_organisations_lists_the_invitations_still_open() -> None:
    _org, _admin, colleague, invitation = _invited()

    response = _signed_in(colleague).get(reverse("organisations:mine"))

    assert list(response.context["invitations"]) == [invitation]


# --- personal data (R6, R7) -----------------------------------------------------------------


def test_r7_invitations_are_in_the_members_export() -> None:
    _org, _admin, colleague, invitation = _invited()

    data = member_export(member=colleague)

    assert data["organisation_invitations_received"] == [
        {
            "organisation": "Leerpunt Vorming",
            "status": "pending",
            "invited_at": invitation.created_at.isoformat(),
            "expires_at": invitation.expires_at.isoformat(),
            "answered_at": None,
        }
    ]


def test_r6_erasure_deletes_the_members_invitations_and_forgets_the_inviter() -> None:
    org, admin, colleague, invitation = _invited()
    other = _member(email="other@school.example")
    sent = services.invitation_send(organisation=org, by=admin, email="other@school.example")

    member_erase(member=colleague)
    member_erase(member=admin)

    assert not OrganisationInvitation.objects.filter(pk=invitation.pk).exists()
    sent.refresh_from_db()
    assert (sent.member, sent.invited_by) == (other, None)
    assert not OrganisationAdmin.objects.filter(member=admin).exists()
