"""Reads: the client apps a member let sign them in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application, RefreshToken

from commonroom.accounts.models import Member


@dataclass(frozen=True)
class GrantedApp:
    application: Application
    scopes: list[str]
    granted_at: datetime


def apps_granted_to(member: Member) -> list[GrantedApp]:
    """Every app holding a token of the member that still works or can be
    renewed, with the scopes of all those tokens together."""
    now = timezone.now()
    found: dict[int, GrantedApp] = {}
    access = AccessToken.objects.filter(user=member, application__isnull=False).filter(
        Q(expires__gt=now) | Q(refresh_token__isnull=False, refresh_token__revoked__isnull=True)
    )
    refresh = RefreshToken.objects.filter(user=member, revoked__isnull=True)

    def add(app: Application, scopes: list[str], created: datetime) -> None:
        previous = found.get(app.pk)
        if previous is not None:
            scopes = [*previous.scopes, *scopes]
            created = min(created, previous.granted_at)
        found[app.pk] = GrantedApp(application=app, scopes=sorted(set(scopes)), granted_at=created)

    for token in access.select_related("application"):
        add(token.application, token.scope.split(), token.created)
    for refresh_token in refresh.select_related("application", "access_token"):
        scope = refresh_token.access_token.scope if refresh_token.access_token else ""
        add(refresh_token.application, scope.split(), refresh_token.created)
    return sorted(found.values(), key=lambda g: g.application.name.lower())


def app_granted_get(member: Member, application_id: int) -> Application | None:
    return next(
        (g.application for g in apps_granted_to(member) if g.application.pk == application_id),
        None,
    )
