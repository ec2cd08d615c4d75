"""Issue 12 item 7: sign-up and password reset tell nobody whether an
address has an account, and mail nobody who has none."""

from typing import TYPE_CHECKING, ClassVar

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.test import Client

from commonroom.accounts.models import Member
from commonroom.accounts.tests.factories import PASSWORD, MemberFactory
from commonroom.accounts.tests.test_signup import SIGNUP, signup_data

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

RESET = "/accounts/password/reset/"


class CountingHasher(MD5PasswordHasher):
    """Counts the passwords hashed, the expensive step of a sign-up."""

    algorithm = "counting_md5"
    calls: ClassVar[list[str]] = []

    def encode(self, password: str, salt: str) -> str:
        type(self).calls.append(password)
        return super().encode(password, salt)


@pytest.fixture
def hashes(settings) -> list[str]:
    settings.PASSWORD_HASHERS = [
        "commonroom.accounts.tests.test_enumeration.CountingHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    CountingHasher.calls = []
    return CountingHasher.calls


def signup(email: str, capture) -> "Response":
    with capture(execute=True):
        return Client().post(SIGNUP, signup_data(email=email))


@pytest.mark.django_db
def test_item7_signup_with_existing_address_hashes_the_password_like_a_new_one(
    hashes, django_capture_on_commit_callbacks
):
    existing = MemberFactory(email="taken@school.example")
    stored = existing.password
    mail.outbox.clear()
    hashes.clear()

    new_response = signup("fresh@school.example", django_capture_on_commit_callbacks)
    new_hashes = list(hashes)
    hashes.clear()
    taken_response = signup("taken@school.example", django_capture_on_commit_callbacks)

    assert new_hashes == [signup_data()["password1"]]
    assert hashes == [signup_data()["password1"]]
    # Both answer the same page, and each address gets exactly one mail.
    assert new_response.status_code == taken_response.status_code == 302
    assert new_response["Location"] == taken_response["Location"] == "/accounts/confirm-email/"
    assert sorted(m.to[0] for m in mail.outbox) == ["fresh@school.example", "taken@school.example"]
    # The existing account is untouched: no second member, same password.
    assert Member.objects.filter(email="taken@school.example").count() == 1
    existing.refresh_from_db()
    assert existing.password == stored


@pytest.mark.django_db
def test_item7_password_reset_mails_no_unknown_address(client, django_capture_on_commit_callbacks):
    MemberFactory(email="known@school.example")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        unknown = client.post(RESET, {"email": "nobody@school.example"})
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        known = Client().post(RESET, {"email": "known@school.example"})
    assert [m.to for m in mail.outbox] == [["known@school.example"]]
    # The page says the same whether or not the address has an account.
    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"] == "/accounts/password/reset/done/"


@pytest.mark.django_db
def test_item7_existing_member_can_still_sign_in_after_a_signup_attempt(
    client, django_capture_on_commit_callbacks
):
    MemberFactory(email="taken@school.example")
    signup("taken@school.example", django_capture_on_commit_callbacks)
    response = client.post(
        "/accounts/login/", {"login": "taken@school.example", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
