"""Making, using and revoking personal access tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonroom.accounts.models import Member
from commonroom.api.models import AccessToken, Scope

SECRET_PREFIX = "cr_"  # noqa: S105 (a marker, not a secret)
MAX_TOKENS_PER_MEMBER = 20
# Last use is written at most this often per token, not at every request.
LAST_USE_PRECISION = timedelta(minutes=1)


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_create(
    *, member: Member, name: str, scope: str, expires_at: datetime | None = None
) -> tuple[AccessToken, str]:
    """A new token and its secret, which is shown once and never stored."""
    if scope not in Scope.values:
        raise ValidationError({"scope": _("Choose read or read and write.")}, code="invalid")
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("Choose a date in the future.")}, code="past")
    with transaction.atomic(durable=True):
        Member.objects.select_for_update().filter(pk=member.pk).first()
        if AccessToken.objects.filter(member=member).usable().count() >= MAX_TOKENS_PER_MEMBER:
            raise ValidationError(
                _("You have %(n)d tokens; revoke one before making another.")
                % {"n": MAX_TOKENS_PER_MEMBER},
                code="too_many_tokens",
            )
        secret = SECRET_PREFIX + secrets.token_urlsafe(32)
        token = AccessToken.objects.create(
            member=member,
            name=name,
            scope=scope,
            secret_hash=secret_hash(secret),
            prefix=secret[:10],
            expires_at=expires_at,
        )
    return token, secret


def token_revoke(*, token: AccessToken, by: Member) -> AccessToken:
    """The token stops working at once (its next request is refused)."""
    if token.member_id != by.pk:
        raise ValidationError(_("This is not your token."), code="not_owner")
    with transaction.atomic(durable=True):
        AccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    token.refresh_from_db()
    return token


def token_use_record(*, token: AccessToken) -> None:
    """Note when a token was last used, at most once a minute."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USE_PRECISION:
        return
    AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
