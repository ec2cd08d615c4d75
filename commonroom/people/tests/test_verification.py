"""R21: staff mark a profile as a verified organisation, against
impersonation; nobody else can, and every change is audited."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from commonroom.accounts.models import ProfileVisibility
from commonroom.accounts.roles import MODERATORS
from commonroom.accounts.tests.factories import MemberFactory
from commonroom.moderation.models import AuditEntry
from commonroom.people.models import VerifiedProfile
from commonroom.people.tests.factories import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return person(first_name="Klasse", last_name="Vzw", visibility=ProfileVisibility.PUBLIC)


def test_r21_staff_verify_a_profile_and_the_badge_shows(staff, staff_client, organisation):
    response = staff_client.post(
        f"/people/{organisation.pk}/verify/", {"organisation_name": " Klasse   vzw "}
    )
    assert response.status_code == 302
    verification = VerifiedProfile.objects.get(member=organisation)
    assert (verification.organisation_name, verification.verified_by) == ("Klasse vzw", staff)
    entry = AuditEntry.objects.get(action="profile_verify")
    assert (entry.actor, entry.target, entry.reason) == (
        staff,
        f"profile:{organisation.pk}",
        "Klasse vzw",
    )
    html = Client().get(f"/people/{organisation.pk}/").content.decode()
    assert "Verified organisation: Klasse vzw" in html
    assert "Mark as verified" not in html  # the staff form is for staff only


def test_r21_the_badge_shows_in_the_directory(member_client, staff, organisation):
    from commonroom.people.services import profile_verify

    profile_verify(member=organisation, organisation_name="Klasse vzw", by=staff)
    assert "Verified organisation: Klasse vzw" in member_client.get("/people/").content.decode()


def moderator():
    member = MemberFactory()
    member.groups.add(Group.objects.get(name=MODERATORS))
    return member


@pytest.mark.parametrize("role", ["member", "moderator", "self"])
def test_r21_only_staff_verify_everyone_else_gets_403_and_nothing_changes(role, organisation):
    client = Client()
    client.force_login({"member": MemberFactory, "moderator": moderator,
                        "self": lambda: organisation}[role]())  # fmt: skip
    response = client.post(f"/people/{organisation.pk}/verify/", {"organisation_name": "Fake"})
    assert response.status_code == 403
    assert not VerifiedProfile.objects.exists()
    assert not AuditEntry.objects.exists()


def test_r21_a_visitor_is_sent_to_sign_in(client, organisation):
    response = client.post(f"/people/{organisation.pk}/verify/", {"organisation_name": "Fake"})
    assert response.status_code == 302
    assert not VerifiedProfile.objects.exists()


def test_r21_staff_remove_a_verification_and_members_cannot(
    staff, staff_client, member_client, organisation
):
    staff_client.post(f"/people/{organisation.pk}/verify/", {"organisation_name": "Klasse vzw"})
    assert member_client.post(f"/people/{organisation.pk}/unverify/").status_code == 403
    assert VerifiedProfile.objects.filter(member=organisation).exists()
    assert staff_client.post(f"/people/{organisation.pk}/unverify/").status_code == 302
    assert not VerifiedProfile.objects.filter(member=organisation).exists()
    assert list(AuditEntry.objects.order_by("pk").values_list("action", "target")) == [
        ("profile_verify", f"profile:{organisation.pk}"),
        ("profile_unverify", f"profile:{organisation.pk}"),
    ]


def test_r21_an_empty_organisation_name_is_refused(staff_client, organisation):
    response = staff_client.post(
        f"/people/{organisation.pk}/verify/", {"organisation_name": ""}, follow=True
    )
    assert "Enter the name of the organisation." in response.content.decode()
    assert not VerifiedProfile.objects.exists()


def test_r21_staff_verify_in_the_admin_with_an_audit_row(staff, organisation):
    staff.is_superuser = True
    staff.save()
    client = Client()
    client.force_login(staff)
    response = client.post(
        "/admin/people/verifiedprofile/add/",
        {"member": organisation.pk, "organisation_name": "Klasse vzw"},
    )
    assert response.status_code == 302
    assert VerifiedProfile.objects.get(member=organisation).verified_by == staff
    assert AuditEntry.objects.filter(action="profile_verify").count() == 1
