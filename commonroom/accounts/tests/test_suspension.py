from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, get_resolver, reverse
from django.utils import timezone

from commonroom.accounts.models import StaffAction, Suspension
from commonroom.accounts.tests.factories import PASSWORD, MemberFactory
from commonroom.core.health import PROBES
from commonroom.moderation import suspensions as services


def every_url_without_arguments() -> list[str]:
    urls = set()
    for name in get_resolver().reverse_dict:
        if not isinstance(name, str):
            continue
        try:
            urls.add(reverse(name))
        except NoReverseMatch:
            continue
    for namespace, (_prefix, resolver) in get_resolver().namespace_dict.items():
        for name in resolver.reverse_dict:
            if isinstance(name, str):
                try:
                    urls.add(reverse(f"{namespace}:{name}"))
                except NoReverseMatch:
                    continue
    return sorted(urls)


@pytest.fixture
def suspended(staff):
    member = MemberFactory()
    services.member_suspend(
        member=member,
        reason="Repeated advertising in reactions.",
        until=timezone.now() + timedelta(days=7),
        by=staff,
    )
    return member


def test_r5_the_url_list_covers_the_site():
    urls = every_url_without_arguments()
    assert {"/", "/accounts/profile/", "/contact/", "/staff/members/", "/admin/"} <= set(urls)
    assert len(urls) > 30


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_r5_suspended_member_gets_the_suspension_page_on_every_url(suspended, method):
    for url in every_url_without_arguments():
        if method == "get" and url in PROBES:
            continue  # answered before any session is read; they show nobody's data
        client = Client()
        client.force_login(suspended)
        response = getattr(client, method)(url)
        assert response.status_code == 403, url
        content = response.content.decode()
        assert "Your account is suspended" in content, url
        assert "Repeated advertising in reactions." in content, url
        # and is signed out
        assert "_auth_user_id" not in client.session, url


@pytest.mark.django_db
def test_r5_the_page_shows_until_when(suspended):
    client = Client()
    client.force_login(suspended)
    end = Suspension.objects.get(member=suspended).ends_at
    content = client.get("/").content.decode()
    assert (
        f"You cannot use the platform until <strong>{timezone.localtime(end):%-d %B %Y, %H:%M}"
        in content
    )


@pytest.mark.django_db
def test_r5_suspended_member_cannot_sign_in_and_sees_the_reason(suspended, client):
    response = client.post("/accounts/login/", {"login": suspended.email, "password": PASSWORD})
    assert response.status_code == 403
    assert "Repeated advertising in reactions." in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_r5_permanent_suspension(staff, client):
    member = MemberFactory()
    services.member_suspend(member=member, reason="Impersonation.", until=None, by=staff)
    response = client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    assert "Your access to the platform has been withdrawn permanently." in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_r5_after_the_end_date_the_member_can_sign_in_again(suspended, client):
    Suspension.objects.filter(member=suspended).update(
        starts_at=timezone.now() - timedelta(days=9), ends_at=timezone.now() - timedelta(days=2)
    )
    response = client.post("/accounts/login/", {"login": suspended.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(suspended.pk)


@pytest.mark.django_db
def test_r5_staff_suspend_from_the_staff_page_with_an_audit_row(staff, staff_client):
    member = MemberFactory()
    until = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = staff_client.post(
        f"/staff/members/{member.pk}/suspend/", {"reason": "Spam.", "ends_at": until}
    )
    assert response.status_code == 302
    suspension = Suspension.objects.get(member=member)
    assert (suspension.reason, suspension.suspended_by) == ("Spam.", staff)
    action = StaffAction.objects.get(member=member)
    assert (action.kind, action.actor, action.reason) == ("suspend", staff, "Spam.")


@pytest.mark.django_db
def test_r5_staff_form_refuses_a_past_end_date(staff_client):
    member = MemberFactory()
    past = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = staff_client.post(
        f"/staff/members/{member.pk}/suspend/", {"reason": "Spam.", "ends_at": past}
    )
    assert response.status_code == 400
    assert "The end date must lie in the future." in response.content.decode()
    assert not Suspension.objects.exists()


@pytest.mark.django_db
def test_r5_staff_lift_a_suspension(suspended, staff, staff_client, client):
    suspension = Suspension.objects.get(member=suspended)
    response = staff_client.post(f"/staff/suspensions/{suspension.pk}/lift/")
    assert response.status_code == 302
    suspension.refresh_from_db()
    assert suspension.lifted_by == staff
    response = client.post("/accounts/login/", {"login": suspended.email, "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_r5_admin_suspension_goes_through_the_service(suspended, staff):
    staff.is_superuser = True
    staff.save()
    client = Client()
    client.force_login(staff)
    other = MemberFactory()
    response = client.post(
        "/admin/accounts/suspension/add/",
        {"member": other.pk, "reason": "Harassment.", "ends_at_0": "", "ends_at_1": ""},
    )
    assert response.status_code == 302
    assert StaffAction.objects.filter(member=other, kind="suspend", actor=staff).count() == 1


@pytest.mark.django_db
def test_r5_members_cannot_use_staff_pages(member_client, suspended):
    suspension = Suspension.objects.get(member=suspended)
    assert member_client.get("/staff/members/").status_code == 403
    assert member_client.post(f"/staff/members/{suspended.pk}/suspend/").status_code == 403
    assert member_client.post(f"/staff/suspensions/{suspension.pk}/lift/").status_code == 403
    suspension.refresh_from_db()
    assert suspension.lifted_at is None


@pytest.mark.django_db
def test_r5_staff_member_list_runs_in_a_fixed_number_of_queries(staff, staff_client):
    def queries_for_list() -> int:
        staff_client.get("/staff/members/")  # warm the session and cache
        with CaptureQueriesContext(connection) as queries:
            response = staff_client.get("/staff/members/")
        assert response.status_code == 200
        return len(queries)

    few = MemberFactory.create_batch(3)
    services.member_suspend(member=few[0], reason="x", until=None, by=staff)
    with_few = queries_for_list()
    for other in MemberFactory.create_batch(30):
        services.member_suspend(member=other, reason="x", until=None, by=staff)
    assert queries_for_list() == with_few == 6
