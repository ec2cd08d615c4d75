"""Every messaging page for every role (DESIGN.md, Roles)."""

import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from commonroom.accounts.roles import MODERATORS
from commonroom.accounts.tests.factories import MemberFactory, StaffFactory
from commonroom.messaging.tests.factories import colleague, conversation_with

ROLES = ["visitor", "member", "moderator", "staff"]
OK, LOGIN, DENIED = 200, 302, 403

MATRIX = {
    "/messages/": (LOGIN, OK, OK, OK),
    "/messages/new/": (LOGIN, OK, OK, OK),
    "/messages/blocked/": (LOGIN, OK, OK, OK),
    "/messages/reports/": (LOGIN, DENIED, OK, OK),
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
def test_r18_every_messaging_page_answers_each_role_as_expected(role):
    client = client_for(role)
    answers = {url: client.get(url).status_code for url in MATRIX}
    assert answers == {url: codes[ROLES.index(role)] for url, codes in MATRIX.items()}


@pytest.mark.django_db
def test_r18_pages_carry_no_inline_script_or_style():
    member = colleague()
    conversation = conversation_with(colleague(), member, messages=2)
    client = Client()
    client.force_login(member)
    for url in (
        "/messages/",
        "/messages/new/",
        "/messages/blocked/",
        f"/messages/{conversation.pk}/",
    ):
        html = client.get(url).content.decode()
        assert "style=" not in html, url
        assert re.findall(r"<script(?![^>]*\bsrc=)", html) == [], url
