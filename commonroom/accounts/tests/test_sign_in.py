import re

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail

from commonroom.accounts.tests.factories import PASSWORD


@pytest.mark.django_db
def test_r3_sign_in_is_throttled_after_repeated_failures(member, client):
    for _ in range(5):
        response = client.post("/accounts/login/", {"login": member.email, "password": "wrong"})
        assert response.status_code == 200
    # Even the right password is refused while the throttle holds.
    response = client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_r3_password_reset_by_email(member, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": member.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[0].body)
    assert link is not None
    response = client.get(link.group(1), follow=True)
    new_password = "sunflower-atlas-2029-river"
    response = client.post(
        response.redirect_chain[-1][0],
        {"password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(new_password)


@pytest.mark.django_db
def test_r3_two_factor_sign_in_asks_for_the_code(member, client):
    Authenticator.objects.create(
        user=member, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    response = client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_r3_members_can_set_up_two_factor(member_client):
    response = member_client.get("/accounts/2fa/totp/activate/")
    # Setting up a second factor first asks for the password again.
    assert response.status_code == 302
    assert response["Location"] == (
        "/accounts/reauthenticate/?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F"
    )
    response = member_client.post(
        "/accounts/reauthenticate/?next=/accounts/2fa/totp/activate/", {"password": PASSWORD}
    )
    response = member_client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 200
    assert "data:image/svg+xml" in response.content.decode()  # the QR code, allowed by the CSP
