"""Sign-up asks for the terms of use (R1): legal adds its step to the
accounts sign-up form and adapter (settings ACCOUNT_FORMS, ACCOUNT_ADAPTER),
so accounts itself needs nothing of legal."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from commonroom.accounts import adapter
from commonroom.accounts import forms as account_forms
from commonroom.accounts.models import Member
from commonroom.legal.selectors import terms_current
from commonroom.legal.services import member_register_accepting_terms


class SignupForm(account_forms.SignupForm):
    accept_terms = forms.BooleanField(
        error_messages={"required": _("You can only sign up if you accept the terms of use.")},
    )

    field_order = [*account_forms.SignupForm.field_order, "accept_terms"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.terms = terms_current()
        version = self.terms.version if self.terms else ""
        self.fields["accept_terms"].label = format_html(
            gettext('I accept the <a href="{}">terms of use</a> (version {}) and have read the '
              '<a href="{}">privacy statement</a>.'),
            reverse("legal:terms"), version, reverse("legal:privacy"),
        )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        if self.terms is None:
            # allauth's own checks still run (as before this step moved here);
            # the password rules wait until sign-up opens.
            super(account_forms.SignupForm, self).clean()
            raise forms.ValidationError(
                _("Sign-up is closed until the operator publishes terms of use."),
                code="no_terms",
            )
        return super().clean()


class AccountAdapter(adapter.AccountAdapter):
    def register(self, *, member: Member, form: Any, language: str) -> Member:
        return member_register_accepting_terms(
            member=member,
            birth_year=form.cleaned_data["birth_year"],
            terms=form.terms,
            language=language,
        )
