"""Sign-in through an external OpenID Connect provider (allauth's
socialaccount): a new member fills in the same registration rules as on the
sign-up page and accepts the terms (R1, R3); an address that already has an
account is never connected silently, its member signs in with their password
first and connects the provider from their account settings."""

from __future__ import annotations

import copy
from typing import Any

from allauth.account.internal.flows import manage_email
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter, get_adapter
from allauth.socialaccount.forms import SignupForm as AllauthSocialSignupForm
from django import forms
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from commonroom.accounts import forms as account_forms
from commonroom.legal import signup as legal_signup
from commonroom.legal.selectors import terms_current

_ACCOUNT_FIELDS = ("first_name", "last_name", "birth_year", "not_a_pupil")


class SocialSignupForm(AllauthSocialSignupForm):
    """The sign-up page's questions without a password: names, year of birth,
    not a pupil, the terms of use."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in _ACCOUNT_FIELDS:
            self.fields[name] = copy.deepcopy(account_forms.SignupForm.base_fields[name])
        self.fields["accept_terms"] = copy.deepcopy(
            legal_signup.SignupForm.base_fields["accept_terms"]
        )
        self.terms = terms_current()
        self.fields["accept_terms"].label = format_html(
            gettext('I accept the <a href="{}">terms of use</a> (version {}) and have read the '
              '<a href="{}">privacy statement</a>.'),
            reverse("legal:terms"),
            self.terms.version if self.terms else "",
            reverse("legal:privacy"),
        )  # fmt: skip
        self.order_fields(
            ["first_name", "last_name", "email", "birth_year", "not_a_pupil", "accept_terms"]
        )

    clean_first_name = account_forms.SignupForm.clean_first_name
    clean_last_name = account_forms.SignupForm.clean_last_name
    _clean_name = account_forms.SignupForm._clean_name
    clean_birth_year = account_forms.SignupForm.clean_birth_year

    def validate_unique_email(self, value: str) -> str:
        """An address the provider vouches for that already has an account is
        refused with the way to connect it: sign in with the password first,
        then connect the provider under Account settings (never silently).
        An unverified address falls back to allauth's answer, which tells
        nobody whether the address has an account."""
        vouched = any(
            address.verified and address.email.lower() == value.lower()
            for address in self.sociallogin.email_addresses
        )
        if vouched:
            try:
                return str(manage_email.email_already_exists(value, always_raise=True)[0])
            except forms.ValidationError:
                provider = self.sociallogin.provider
                name = provider.name if provider else self.sociallogin.account.provider
                raise get_adapter().validation_error("email_taken", name) from None
        email: str = super().validate_unique_email(value)
        return email

    def clean(self) -> dict[str, Any]:
        if self.terms is None:
            raise forms.ValidationError(
                _("Sign-up is closed until the operator publishes terms of use."),
                code="no_terms",
            )
        cleaned: dict[str, Any] = super().clean()
        return cleaned


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_auto_signup_allowed(self, request: HttpRequest, sociallogin: Any) -> bool:
        # Always the sign-up form: the terms are accepted by the member.
        return False

    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        return terms_current() is not None
