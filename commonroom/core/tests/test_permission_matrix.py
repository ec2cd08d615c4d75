"""Every page for every role gives the expected answer (DESIGN.md, Roles)."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from commonroom.accounts.roles import MODERATORS
from commonroom.accounts.tests.factories import MemberFactory, StaffFactory

ROLES = ["visitor", "member", "moderator", "staff"]
OK, LOGIN, DENIED = 200, 302, 403

# url: answers for visitor, member, moderator, staff
MATRIX = {
    "/": (OK, OK, OK, OK),
    "/terms/": (OK, OK, OK, OK),
    "/privacy/": (OK, OK, OK, OK),
    "/legal/terms/1.0/": (OK, OK, OK, OK),
    "/contact/": (OK, OK, OK, OK),
    "/accounts/signup/": (OK, LOGIN, LOGIN, LOGIN),
    "/accounts/login/": (OK, LOGIN, LOGIN, LOGIN),
    "/accounts/profile/": (LOGIN, OK, OK, OK),
    "/accounts/my-data/": (LOGIN, OK, OK, OK),
    "/accounts/delete/": (LOGIN, OK, OK, OK),
    "/accounts/email/": (LOGIN, OK, OK, OK),
    "/accounts/2fa/": (LOGIN, OK, OK, OK),
    "/staff/members/": (LOGIN, DENIED, DENIED, OK),
    "/staff/maintenance/": (LOGIN, DENIED, DENIED, OK),
    "/admin/": (LOGIN, LOGIN, LOGIN, OK),
    "/resources/new/": (LOGIN, OK, OK, OK),
    "/resources/mine/": (LOGIN, OK, OK, OK),
    "/notifications/": (LOGIN, OK, OK, OK),
    "/moderation/": (LOGIN, DENIED, OK, OK),
    "/moderation/dashboard/": (LOGIN, DENIED, OK, OK),
    "/reactions/held/": (LOGIN, DENIED, OK, OK),
    "/moderation/objections/": (LOGIN, DENIED, DENIED, OK),
    "/moderation/notices/": (LOGIN, DENIED, DENIED, OK),
    "/moderation/transparency/": (LOGIN, DENIED, DENIED, OK),
    "/moderation/audit/": (LOGIN, DENIED, DENIED, OK),
}


def client_for(role: str) -> Client:
    client = Client()
    if role == "visitor":
        return client
    member = StaffFactory() if role == "staff" else MemberFactory()
    if role == "moderator":
        member.groups.add(Group.objects.get(name=MODERATORS))
    client.force_login(member)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_page_answers_each_role_as_expected(role):
    client = client_for(role)
    answers = {url: client.get(url).status_code for url in MATRIX}
    expected = {url: codes[ROLES.index(role)] for url, codes in MATRIX.items()}
    assert answers == expected
