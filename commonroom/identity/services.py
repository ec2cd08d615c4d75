"""Writes: a member takes back what they let a client app do."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from oauth2_provider.models import AccessToken, Application, Grant, IDToken, RefreshToken

from commonroom.accounts.models import Member


@transaction.atomic(durable=True)
def app_access_revoke(*, member: Member, application: Application) -> int:
    """Delete every token and pending code the app holds for the member: its
    access tokens stop working at once (userinfo answers 401). Returns how
    many access and refresh tokens were taken back."""
    return _revoke(member=member, applications=Application.objects.filter(pk=application.pk))


def member_tokens_revoke(*, member: Member) -> int:
    """Every app's tokens of the member (suspension, erasure); inside the
    caller's transaction."""
    return _revoke(member=member, applications=Application.objects.all())


def _revoke(*, member: Member, applications: QuerySet[Application]) -> int:
    refresh = RefreshToken.objects.filter(user=member, application__in=applications)
    access = AccessToken.objects.filter(user=member, application__in=applications)
    count: int = refresh.count() + access.count()
    # A refresh token points at its access token and back; unlink, then delete.
    refresh.update(access_token=None)
    access.update(source_refresh_token=None, id_token=None)
    refresh.delete()
    access.delete()
    IDToken.objects.filter(user=member, application__in=applications).delete()
    Grant.objects.filter(user=member, application__in=applications).delete()
    return count
