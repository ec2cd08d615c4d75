"""Sign-in through an external OpenID Connect provider (issue 18, item 4):
configuration from the environment, the terms for new members, and no silent
connection of an existing account by e-mail."""

from __future__ import annotations

import json

import pytest
from allauth.socialaccount.models import SocialAccount, SocialLogin
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory

from commonroom.accounts.models import Member
from commonroom.accounts.tests.factories import MemberFactory
from commonroom.identity.config import (
    ProviderConfigError,
    external_providers,
    provider_origins,
)
from commonroom.identity.external import SocialAccountAdapter, SocialSignupForm
from commonroom.legal.models import TermsAcceptance

PARTNER = {
    "provider_id": "partner",
    "name": "Partner",
    "client_id": "commonroom",
    "secret": "s3cret",
    "settings": {
        "server_url": "https://id.partner.example",
        "oauth_pkce_enabled": True,
        "fetch_userinfo": True,
    },
}


def test_issue18_no_provider_configured_no_app():
    assert external_providers({}) == []


def test_issue18_providers_from_json_and_from_variables():
    json_env = {
        "OIDC_PROVIDERS": json.dumps(
            [{"id": "partner", "name": "Partner", "server_url": "https://id.partner.example",
              "client_id": "commonroom", "secret": "s3cret"}]
        )
    }  # fmt: skip
    assert external_providers(json_env) == [PARTNER]
    var_env = {
        "OIDC_KLAS_CEMENT_SERVER_URL": "https://id.klascement.example/",
        "OIDC_KLAS_CEMENT_CLIENT_ID": "cr",
        "OIDC_KLAS_CEMENT_SECRET": "x",
        "OIDC_KLAS_CEMENT_NAME": "KlasCement",
    }
    [app] = external_providers(var_env)
    assert app["provider_id"] == "klas-cement"
    assert app["name"] == "KlasCement"
    assert app["settings"]["server_url"] == "https://id.klascement.example/"
    assert provider_origins([PARTNER, app]) == [
        "https://id.klascement.example",
        "https://id.partner.example",
    ]


def test_issue18_a_provider_without_client_id_stops_the_start():
    with pytest.raises(ProviderConfigError, match="lacks \\['client_id'\\]"):
        external_providers({"OIDC_X_SERVER_URL": "https://x.example"})
    with pytest.raises(ProviderConfigError, match="not valid JSON"):
        external_providers({"OIDC_PROVIDERS": "[{"})


@pytest.mark.django_db
def test_issue18_no_button_without_provider():
    page = Client().get("/accounts/login/").content.decode()
    assert "/accounts/oidc/" not in page


@pytest.mark.django_db
def test_issue18_button_with_a_configured_provider(settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": [PARTNER]}}
    page = Client().get("/accounts/login/").content.decode()
    assert "/accounts/oidc/partner/login/" in page
    assert "Partner" in page


def _sociallogin(email: str, *, verified: bool = True) -> SocialLogin:
    from allauth.account.models import EmailAddress

    user = Member(email=email, first_name="Mira", last_name="Desmet")
    account = SocialAccount(provider="partner", uid="sub-42")
    return SocialLogin(
        user=user,
        account=account,
        email_addresses=[EmailAddress(email=email, verified=verified, primary=True)],
    )


def _form(sociallogin: SocialLogin, **data: object) -> SocialSignupForm:
    values = {
        "first_name": "Mira",
        "last_name": "Desmet",
        "email": sociallogin.user.email,
        "birth_year": "1988",
        "not_a_pupil": "on",
        "accept_terms": "on",
    } | data
    return SocialSignupForm(data=values, sociallogin=sociallogin)


@pytest.mark.django_db
def test_issue18_r1_new_member_from_a_provider_must_accept_the_terms(settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": [PARTNER]}}
    form = _form(_sociallogin("mira@school.example"), accept_terms="")
    assert not form.is_valid()
    assert form.errors["accept_terms"] == ["You can only sign up if you accept the terms of use."]
    assert list(form.fields)[-1] == "accept_terms"
    assert "password1" not in form.fields


@pytest.mark.django_db
def test_issue18_r3_the_age_rule_holds_for_a_provider_sign_up(settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": [PARTNER]}}
    form = _form(_sociallogin("mira@school.example"), birth_year="2020", not_a_pupil="")
    assert not form.is_valid()
    assert "birth_year" in form.errors
    assert form.errors["not_a_pupil"] == ["The platform is for teachers and adults, not pupils."]


@pytest.mark.django_db
def test_issue18_r1_sign_up_through_a_provider_records_the_terms(settings, rf: RequestFactory):
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": [PARTNER]}}
    from allauth.core import context as allauth_context

    sociallogin = _sociallogin("mira@school.example")
    form = _form(sociallogin)
    assert form.is_valid(), form.errors
    request = rf.post("/accounts/3rdparty/signup/")
    request.user = AnonymousUser()
    request.session = {}  # type: ignore[assignment]
    with allauth_context.request_context(request):
        member = form.save(request)
    member.refresh_from_db()
    assert member.birth_year == 1988
    assert member.declared_not_pupil_at is not None
    assert not member.has_usable_password()
    assert TermsAcceptance.objects.filter(member=member).count() == 1
    assert SocialAccount.objects.get(user=member).uid == "sub-42"


@pytest.mark.django_db
def test_issue18_an_existing_address_is_never_connected_silently(settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": [PARTNER]}}
    existing = MemberFactory(email="mira@school.example")
    form = _form(_sociallogin("mira@school.example", verified=True))
    assert not form.is_valid()
    assert form.errors["email"] == [
        "An account already exists with this email address. Please sign in to that "
        "account first, then connect your partner account."
    ]
    assert not SocialAccount.objects.filter(user=existing).exists()


def test_issue18_adapter_never_signs_up_or_connects_by_itself(rf: RequestFactory):
    adapter = SocialAccountAdapter()
    assert adapter.is_auto_signup_allowed(rf.get("/"), _sociallogin("a@b.example")) is False


def test_issue18_email_authentication_is_off(settings):
    assert settings.SOCIALACCOUNT_EMAIL_AUTHENTICATION is False
    assert settings.SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT is False
    assert settings.SOCIALACCOUNT_AUTO_SIGNUP is False


@pytest.mark.django_db
def test_issue18_an_unverified_existing_address_tells_nothing_and_connects_nothing(settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": [PARTNER]}}
    existing = MemberFactory(email="mira@school.example")
    form = _form(_sociallogin("mira@school.example", verified=False))
    assert form.is_valid(), form.errors
    assert form.account_already_exists is True  # allauth mails the owner instead
    assert not SocialAccount.objects.filter(user=existing).exists()
