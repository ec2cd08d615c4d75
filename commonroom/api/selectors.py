from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from commonroom.accounts.models import Member
from commonroom.api.models import AccessToken
from commonroom.api.services import SECRET_PREFIX, secret_hash


def tokens_of(member: Member) -> QuerySet[AccessToken]:
    """A member's tokens that are not revoked, newest first."""
    return AccessToken.objects.filter(member=member, revoked_at__isnull=True)


def token_of(member: Member, token_id: int) -> AccessToken:
    token = tokens_of(member).filter(pk=token_id).first()
    if token is None:
        raise Http404
    return token


def token_for_secret(secret: str) -> AccessToken | None:
    """The usable token with this secret, with its member."""
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 100:
        return None
    return (
        AccessToken.objects.usable()
        .select_related("member")
        .filter(secret_hash=secret_hash(secret))
        .first()
    )
