"""Commonroom as an OpenID Connect provider (issue 18, item 4)."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from jwcrypto import jwk, jwt
from oauth2_provider.models import AccessToken, Grant, RefreshToken

from commonroom.accounts.services import member_erase
from commonroom.accounts.tests.factories import MemberFactory, StaffFactory
from commonroom.identity.tests.oidc import (
    REDIRECT_URI,
    SECRET,
    application_create,
    authorize_params,
    consent,
    pkce_pair,
    query_of,
    sign_in,
    userinfo,
)
from commonroom.moderation.suspensions import member_suspend

pytestmark = pytest.mark.django_db


def test_issue18_discovery_names_the_endpoints_and_s256_only():
    data = Client().get("/.well-known/openid-configuration").json()
    assert data["issuer"] == "http://testserver"
    assert data["authorization_endpoint"] == "http://testserver/o/authorize/"
    assert data["token_endpoint"] == "http://testserver/o/token/"
    assert data["userinfo_endpoint"] == "http://testserver/o/userinfo/"
    assert data["jwks_uri"] == "http://testserver/.well-known/jwks.json"
    assert sorted(data["scopes_supported"]) == ["email", "openid", "profile"]
    assert data["code_challenge_methods_supported"] == ["S256"]
    assert data["response_types_supported"] == ["code"]
    assert "RS256" in data["id_token_signing_alg_values_supported"]
    assert set(data["claims_supported"]) == {
        "sub", "name", "given_name", "family_name", "locale", "email", "email_verified",
    }  # fmt: skip


def test_issue18_jwks_publishes_the_public_key_only():
    keys = Client().get("/.well-known/jwks.json").json()["keys"]
    assert len(keys) == 1
    assert keys[0]["kty"] == "RSA"
    assert keys[0]["alg"] == "RS256"
    assert "d" not in keys[0]


def test_issue18_code_flow_with_pkce_gives_a_signed_id_token_and_userinfo(member_client, member):
    app = application_create()
    tokens = sign_in(member_client, app)
    key = jwk.JWKSet.from_json(Client().get("/.well-known/jwks.json").content)
    claims = json.loads(jwt.JWT(jwt=tokens.id_token, key=key, algs=["RS256"]).claims)
    assert claims["sub"] == str(member.pk)
    assert claims["aud"] == app.client_id
    assert claims["iss"] == "http://testserver"
    assert claims["nonce"] == "nonce-42"
    assert claims["email"] == member.email
    assert claims["email_verified"] is True
    assert claims["given_name"] == member.first_name
    info = userinfo(tokens.access_token)
    assert info.status_code == 200
    assert info.json() == {
        "sub": str(member.pk),
        "name": member.display_name,
        "given_name": member.first_name,
        "family_name": member.last_name,
        "locale": "en",
        "email": member.email,
        "email_verified": True,
    }


def test_issue18_email_only_with_the_email_scope(member_client, member):
    tokens = sign_in(member_client, application_create(), scope="openid profile")
    info = userinfo(tokens.access_token).json()
    assert "email" not in info
    assert "email_verified" not in info
    assert info["family_name"] == member.last_name
    key = jwk.JWKSet.from_json(Client().get("/.well-known/jwks.json").content)
    claims = json.loads(jwt.JWT(jwt=tokens.id_token, key=key).claims)
    assert "email" not in claims
    only_openid = userinfo(
        sign_in(member_client, application_create("B"), scope="openid").access_token
    )
    assert only_openid.json() == {"sub": str(member.pk)}


def test_issue18_email_verified_false_for_an_unconfirmed_address(member_client, member):
    member.emailaddress_set.update(verified=False)
    info = userinfo(sign_in(member_client, application_create()).access_token).json()
    assert info["email_verified"] is False


def test_issue18_pkce_missing_is_refused(member_client):
    app = application_create()
    answer = member_client.get("/o/authorize/?" + urlencode(authorize_params(app, None)))
    assert answer.status_code == 302
    error = query_of(answer["Location"])
    assert answer["Location"].startswith(REDIRECT_URI)
    assert error["error"] == "invalid_request"
    assert error["error_description"] == "Code challenge required."
    assert error["state"] == "state-42"


def test_issue18_pkce_plain_is_refused_before_consent(member_client):
    app = application_create()
    params = authorize_params(app, "x" * 43, code_challenge_method="plain")
    answer = member_client.get("/o/authorize/?" + urlencode(params))
    assert answer.status_code == 302
    assert query_of(answer["Location"])["error"] == "invalid_request"
    # Nor can the form be posted with it.
    assert consent(member_client, params).status_code in (302, 400)
    assert not Grant.objects.exists()


def test_issue18_wrong_code_verifier_gets_no_token(member_client):
    app = application_create()
    _verifier, challenge = pkce_pair()
    params = authorize_params(app, challenge)
    code = query_of(consent(member_client, params)["Location"])["code"]
    token = Client().post(
        "/o/token/",
        {
            "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI,
            "client_id": app.client_id, "client_secret": SECRET, "code_verifier": "x" * 64,
        },
    )  # fmt: skip
    assert token.status_code == 400
    assert token.json()["error"] == "invalid_grant"
    assert not AccessToken.objects.exists()


def test_issue18_wrong_redirect_uri_is_refused_on_our_page(member_client):
    app = application_create()
    _verifier, challenge = pkce_pair()
    params = authorize_params(app, challenge, redirect_uri="http://127.0.0.1:9/elsewhere")
    answer = member_client.get("/o/authorize/?" + urlencode(params))
    assert answer.status_code == 400
    assert "Location" not in answer
    assert b"This app cannot sign you in" in answer.content


def test_issue18_consent_page_names_app_and_scopes_and_lets_the_form_lead_back(member_client):
    app = application_create("Klasplanner")
    _verifier, challenge = pkce_pair()
    page = member_client.get("/o/authorize/?" + urlencode(authorize_params(app, challenge)))
    text = page.content.decode()
    assert "Sign in to Klasplanner with your Commonroom account?" in text
    assert "Your e-mail address, and whether you confirmed it" in text
    assert "Your first name, surname and language" in text
    assert "form-action 'self' http://127.0.0.1:9" in page["Content-Security-Policy"]


def test_issue18_consent_page_in_dutch(member_client):
    app = application_create("Klasplanner")
    _verifier, challenge = pkce_pair()
    member_client.cookies["django_language"] = "nl"
    page = member_client.get("/o/authorize/?" + urlencode(authorize_params(app, challenge)))
    assert page.status_code == 200
    assert page["Content-Language"] == "nl"


def test_issue18_consent_refused_sends_access_denied_to_the_client(member_client):
    app = application_create()
    _verifier, challenge = pkce_pair()
    answer = consent(member_client, authorize_params(app, challenge), allow=False)
    assert answer.status_code == 302
    assert answer["Location"].startswith(REDIRECT_URI)
    assert query_of(answer["Location"])["error"] == "access_denied"
    assert not Grant.objects.exists()


def test_issue18_visitor_is_sent_to_sign_in_first():
    app = application_create()
    _verifier, challenge = pkce_pair()
    answer = Client().get("/o/authorize/?" + urlencode(authorize_params(app, challenge)))
    assert answer.status_code == 302
    assert answer["Location"].startswith("/accounts/login/?next=/o/authorize/")


def test_issue18_member_revokes_and_the_token_stops_at_once(member_client, member):
    app = application_create("Klasplanner")
    tokens = sign_in(member_client, app)
    page = member_client.get("/accounts/apps/")
    assert "Klasplanner" in page.content.decode()
    assert userinfo(tokens.access_token).status_code == 200
    answer = member_client.post(f"/accounts/apps/{app.pk}/revoke/")
    assert answer.status_code == 302
    assert userinfo(tokens.access_token).status_code == 401
    assert not AccessToken.objects.filter(user=member).exists()
    assert not RefreshToken.objects.filter(user=member).exists()
    refreshed = Client().post(
        "/o/token/",
        {"grant_type": "refresh_token", "refresh_token": tokens.refresh_token,
         "client_id": app.client_id, "client_secret": SECRET},
    )  # fmt: skip
    assert refreshed.status_code == 400
    after = member_client.get("/accounts/apps/").content.decode()
    assert "Take back access from Klasplanner" not in after
    assert "You have not let any app sign you in." in after


def test_issue18_another_member_cannot_revoke_an_app_they_never_allowed(member_client, member):
    app = application_create()
    tokens = sign_in(member_client, app)
    other = Client()
    other.force_login(MemberFactory())
    assert other.post(f"/accounts/apps/{app.pk}/revoke/").status_code == 404
    assert userinfo(tokens.access_token).status_code == 200


def test_issue18_r5_suspended_member_token_stops_and_cannot_authorise(member_client, member):
    app = application_create()
    tokens = sign_in(member_client, app)
    member_suspend(member=member, reason="Spam", until=None, by=StaffFactory())
    assert userinfo(tokens.access_token).status_code == 401
    refreshed = Client().post(
        "/o/token/",
        {"grant_type": "refresh_token", "refresh_token": tokens.refresh_token,
         "client_id": app.client_id, "client_secret": SECRET},
    )  # fmt: skip
    assert refreshed.status_code == 400
    _verifier, challenge = pkce_pair()
    page = member_client.get("/o/authorize/?" + urlencode(authorize_params(app, challenge)))
    assert page.status_code == 403


def test_issue18_erased_member_token_stops(member_client, member):
    tokens = sign_in(member_client, application_create())
    member_erase(member=member)
    assert userinfo(tokens.access_token).status_code == 401


def test_issue18_expired_token_is_refused(member_client, member):
    tokens = sign_in(member_client, application_create())
    AccessToken.objects.filter(user=member).update(expires=timezone.now())
    assert userinfo(tokens.access_token).status_code == 401


def test_issue18_r6_r7_export_and_erasure_of_connected_apps(member_client, member):
    from allauth.socialaccount.models import SocialAccount

    from commonroom.identity import personal_data

    sign_in(member_client, application_create("Klasplanner"), scope="openid email")
    SocialAccount.objects.create(user=member, provider="partner", uid="sub-42")
    exported = personal_data.export(member)
    assert [a["app"] for a in exported["connected_apps"]] == ["Klasplanner"]
    assert exported["connected_apps"][0]["scopes"] == ["email", "openid"]
    assert exported["external_sign_ins"] == [{"provider": "partner", "uid": "sub-42"}]
    member_erase(member=member)
    assert not AccessToken.objects.filter(user=member).exists()
    assert not RefreshToken.objects.filter(user=member).exists()
    assert not SocialAccount.objects.filter(user=member).exists()


@override_settings(OIDC_TOKEN_RATE="3/m")
def test_issue18_r34_the_token_endpoint_slows_down_a_guessing_client(start_of_a_minute):
    app = application_create()
    guess = {
        "grant_type": "authorization_code", "code": "guess", "redirect_uri": REDIRECT_URI,
        "client_id": app.client_id, "client_secret": "wrong", "code_verifier": "x" * 64,
    }  # fmt: skip
    # As a client's server posts: no session, no CSRF token, and checked.
    answers = [Client(enforce_csrf_checks=True).post("/o/token/", guess) for _ in range(4)]
    assert [a.status_code for a in answers] == [401, 401, 401, 429]
    assert answers[3].json() == {
        "error": "slow_down",
        "error_description": "Too many requests; try again later.",
    }
    assert answers[3]["Retry-After"] == "60"
    assert not AccessToken.objects.exists()
