"""Who is calling: a personal access token (``Authorization: Bearer``),
the site's own session (with its CSRF check on writes), or a visitor.

Operations take one of three lists as ``auth``: ``PUBLIC`` (visitors too),
``READ`` (a member, any token) and ``WRITE`` (a member; a token must have
the write scope). A bearer token that is wrong, revoked or expired is
refused with 401 even where visitors are welcome, never read as a visitor.
With a token, ``request.user`` is its member, so the apps' permission
helpers and selectors decide as on the site."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth

from commonroom.accounts.models import Member
from commonroom.accounts.selectors import suspension_active_for
from commonroom.api import budget, services
from commonroom.api.errors import ApiError
from commonroom.api.models import AccessToken
from commonroom.api.selectors import token_for_secret


class TokenAuth(HttpBearer):
    """A personal access token. ``write``: refused (403) to a read token."""

    def __init__(self, *, write: bool = False) -> None:
        super().__init__()
        self.write = write

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        if header and not header.lower().startswith("bearer "):
            raise ApiError(401, "not_authenticated", _("Send the token as “Bearer <token>”."))
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> AccessToken:
        found = token_for_secret(token.strip())
        if found is None:
            raise ApiError(401, "invalid_token", _("This token is unknown, revoked or expired."))
        member = found.member
        if not member.is_active or member.erased_at is not None:
            raise ApiError(401, "invalid_token", _("This token's account is closed."))
        if suspension_active_for(member) is not None:
            raise ApiError(403, "suspended", _("Your account is suspended."))
        budget.token_budget_check(request, found)
        if self.write and not found.can_write:
            raise ApiError(
                403, "insufficient_scope", _("This token may only read; make one that may write.")
            )
        services.token_use_record(token=found)
        request.user = member
        request.api_token = found  # type: ignore[attr-defined]
        return found


class Session(SessionAuth):
    """The site's own calls: the signed-in session, CSRF-checked on writes
    (ninja's cookie check asks Django's CSRF middleware). The suspension
    middleware has already signed a suspended member out."""

    def _get_key(self, request: HttpRequest) -> str | None:
        # Nobody signed in: a visitor's write is "not authenticated", not a CSRF failure.
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Member | None:
        user = request.user
        return user if isinstance(user, Member) and user.is_authenticated else None


class _Visitor:
    """Truthy stand-in for ``request.auth`` when nobody signed in."""

    def __bool__(self) -> bool:
        return True


def visitor(request: HttpRequest) -> _Visitor:
    if not hasattr(request, "user"):
        request.user = AnonymousUser()
    return _Visitor()


SESSION = Session()
PUBLIC: list[Any] = [TokenAuth(), SESSION, visitor]
READ: list[Any] = [TokenAuth(), SESSION]
WRITE: list[Any] = [TokenAuth(write=True), SESSION]


def token_of(request: HttpRequest) -> AccessToken | None:
    return getattr(request, "api_token", None)
