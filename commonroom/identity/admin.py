"""Staff register client apps in the Django admin (Applications). Only what
Commonroom offers can be chosen: the authorization code grant (with PKCE, which
the provider requires) and ID tokens signed with RS256."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from oauth2_provider.admin import ApplicationAdmin as ToolkitApplicationAdmin
from oauth2_provider.forms import ApplicationForm as ToolkitApplicationForm
from oauth2_provider.models import Application


class ApplicationForm(ToolkitApplicationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        grant = self.fields.get("authorization_grant_type")
        if grant is not None:
            grant.choices = [
                c for c in grant.choices if c[0] == Application.GRANT_AUTHORIZATION_CODE
            ]
            grant.initial = Application.GRANT_AUTHORIZATION_CODE
        algorithm = self.fields.get("algorithm")
        if algorithm is not None:
            algorithm.choices = [
                c for c in algorithm.choices if c[0] == Application.RS256_ALGORITHM
            ]
            algorithm.initial = Application.RS256_ALGORITHM
        if "redirect_uris" in self.fields:
            self.fields["redirect_uris"].required = True
            self.fields["redirect_uris"].help_text = _(
                "The client app's exact sign-in return addresses, one per line "
                "(https, except for http://127.0.0.1 while testing)."
            )

    def clean_skip_authorization(self) -> bool:
        if self.cleaned_data.get("skip_authorization"):
            raise forms.ValidationError(
                _("Members always see the consent screen: an app cannot skip it."),
                code="consent_required",
            )
        return False


class ApplicationAdmin(ToolkitApplicationAdmin):
    form = ApplicationForm
