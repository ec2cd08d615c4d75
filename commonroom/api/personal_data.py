"""The member's personal access tokens to the API (R6, R7).

Export: each token's name, scope and dates, never its secret (only a hash
is kept). Erase (leaving the platform): every token goes, so no program
acts as the member any more.
"""

from __future__ import annotations

from typing import Any

from commonroom.accounts.models import Member
from commonroom.api.models import AccessToken


def _date(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def export(member: Member) -> dict[str, Any]:
    return {
        "api_tokens": [
            {
                "name": token.name,
                "scope": token.scope,
                "created_at": token.created_at.isoformat(),
                "expires_at": _date(token.expires_at),
                "last_used_at": _date(token.last_used_at),
                "revoked_at": _date(token.revoked_at),
            }
            for token in AccessToken.objects.filter(member=member).order_by("created_at")
        ]
    }


def erase(member: Member) -> None:
    AccessToken.objects.filter(member=member).delete()
