"""Staff erase a member in the admin the way the terms say (R6): through
member_erase, recorded with who did it; the admin never deletes the row, which
would take the member's contributions (and their name on them) along."""

import pytest
from django.urls import reverse

from commonroom.accounts.models import Member, StaffAction
from commonroom.accounts.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_r6_staff_erase_a_member_through_the_admin_action(staff, staff_client) -> None:
    staff.is_superuser = True
    staff.save()
    member = MemberFactory(first_name="Ann", last_name="Peeters", email="ann@example.org")

    response = staff_client.post(
        reverse("admin:accounts_member_changelist"),
        {"action": "erase_personal_data", "_selected_action": [member.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert "1 member erased: their name stays on their contributions." in response.content.decode()
    member.refresh_from_db()
    assert (member.first_name, member.last_name, member.email) == ("Ann", "Peeters", None)
    assert member.erased_at is not None
    assert member.is_active is False
    action = StaffAction.objects.get(member=member)
    assert (action.kind, action.actor) == (StaffAction.Kind.ERASE, staff)


def test_r6_the_admin_cannot_delete_a_member(staff, staff_client) -> None:
    staff.is_superuser = True
    staff.save()
    member = MemberFactory()

    page = staff_client.get(reverse("admin:accounts_member_delete", args=[member.pk]))
    bulk = staff_client.post(
        reverse("admin:accounts_member_changelist"),
        {"action": "delete_selected", "_selected_action": [member.pk], "post": "yes"},
    )

    assert page.status_code == 403
    assert bulk.status_code == 302  # back to the list: no such action
    assert Member.objects.filter(pk=member.pk).exists()
