"""What sign-in both ways stores about a member (R6, R7).

Export: the client apps the member let sign them in (name, scopes, since
when) and the external providers connected to their account (provider and
the provider's identifier for them).

Erase (leaving the platform): every token and pending code of every client
app is deleted, so no app can read anything of the member any more, and the
connections to external providers go (their stored profile holds the
member's name and address).
"""

from __future__ import annotations

from typing import Any

from allauth.socialaccount.models import SocialAccount

from commonroom.accounts.models import Member
from commonroom.identity.selectors import apps_granted_to
from commonroom.identity.services import member_tokens_revoke


def export(member: Member) -> dict[str, Any]:
    return {
        "connected_apps": [
            {
                "app": granted.application.name,
                "scopes": granted.scopes,
                "since": granted.granted_at.isoformat(),
            }
            for granted in apps_granted_to(member)
        ],
        "external_sign_ins": [
            {"provider": account.provider, "uid": account.uid}
            for account in SocialAccount.objects.filter(user=member).order_by("pk")
        ],
    }


def erase(member: Member) -> None:
    member_tokens_revoke(member=member)
    SocialAccount.objects.filter(user=member).delete()
