"""Calling the API in tests: a client that sends a token, and tokens."""

from __future__ import annotations

from typing import Any

from django.test import Client

from commonroom.accounts.models import Member
from commonroom.api.models import AccessToken, Scope
from commonroom.api.services import token_create


def token_for(member: Member, scope: str = Scope.WRITE, **kwargs: Any) -> tuple[AccessToken, str]:
    return token_create(member=member, name="test", scope=scope, **kwargs)


class TokenClient(Client):
    """Every request carries ``Authorization: Bearer <secret>``."""

    def __init__(self, secret: str, **defaults: Any) -> None:
        super().__init__(HTTP_AUTHORIZATION=f"Bearer {secret}", **defaults)


def client_of(member: Member, scope: str = Scope.WRITE) -> TokenClient:
    _token, secret = token_for(member, scope)
    return TokenClient(secret)
