"""Issue 13 item 11 (b): a member signing in for the first time is welcomed,
not welcomed back."""

import pytest
from django.test import Client
from django.utils import timezone

from commonroom.accounts.tests.factories import PASSWORD, MemberFactory


def _sign_in(member) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.mark.django_db
def test_item11_b_first_sign_in_is_greeted_welcome_not_welcome_back():
    member = MemberFactory(first_name="Noor", last_login=None)
    html = _sign_in(member).get("/").content.decode()
    assert "Welcome to Commonroom, Noor." in html
    assert "Welcome back" not in html


@pytest.mark.django_db
def test_item11_b_a_returning_member_is_welcomed_back():
    member = MemberFactory(first_name="Noor", last_login=timezone.now())
    html = _sign_in(member).get("/").content.decode()
    assert "Welcome back, Noor." in html
    assert "Welcome to Commonroom" not in html


@pytest.mark.django_db
def test_item11_b_the_second_sign_in_is_a_welcome_back():
    member = MemberFactory(first_name="Noor", last_login=None)
    _sign_in(member)
    html = _sign_in(member).get("/").content.decode()
    assert "Welcome back, Noor." in html
