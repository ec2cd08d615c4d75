"""django-oauth-toolkit's validator and oauthlib's server as Commonroom wants
them: the claims of the three scopes, PKCE with S256 only, and no token that
works for a suspended or erased member."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from allauth.account.models import EmailAddress
from django.utils.translation import gettext as _
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauthlib.oauth2.rfc6749.grant_types.authorization_code import code_challenge_method_s256
from oauthlib.openid import Server as OpenIDServer

from commonroom.identity.permissions import can_authorise

S256_ONLY = {"S256": code_challenge_method_s256}


class Server(OpenIDServer):
    """oauthlib's server refusing the "plain" PKCE method when the client asks
    (so before the consent screen, not after it)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.auth_grant._code_challenge_methods = S256_ONLY
        self.openid_connect_auth.proxy_target._code_challenge_methods = S256_ONLY


def _email_verified(member: Any) -> bool:
    verified = EmailAddress.objects.filter(user=member, email__iexact=member.email, verified=True)
    return bool(verified.exists())


class Validator(OAuth2Validator):
    # Claims of each scope (OpenID Connect Core 5.4); anything else is never sent.
    oidc_claim_scope = {
        "sub": "openid",
        "name": "profile",
        "given_name": "profile",
        "family_name": "profile",
        "locale": "profile",
        "email": "email",
        "email_verified": "email",
    }

    def get_additional_claims(self) -> dict[str, Callable[[Any], Any]]:
        return {
            "name": lambda request: request.user.display_name,
            "given_name": lambda request: request.user.first_name,
            "family_name": lambda request: request.user.last_name,
            "locale": lambda request: request.user.language,
            "email": lambda request: request.user.email,
            "email_verified": lambda request: _email_verified(request.user),
        }

    def validate_bearer_token(self, token: str, scopes: list[str], request: Any) -> bool:
        if not super().validate_bearer_token(token, scopes, request):
            return False
        if not can_authorise(request.user):
            request.oauth2_error = OrderedDict(
                [("error", "invalid_token"), ("error_description", _("The account is not active."))]
            )
            return False
        return True

    def validate_code(
        self, client_id: str, code: str, client: Any, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        return bool(
            super().validate_code(client_id, code, client, request, *args, **kwargs)
        ) and can_authorise(request.user)

    def validate_refresh_token(
        self, refresh_token: str, client: Any, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        return bool(
            super().validate_refresh_token(refresh_token, client, request, *args, **kwargs)
        ) and can_authorise(request.user)
