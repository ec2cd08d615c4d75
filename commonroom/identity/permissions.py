"""Who may authorise a client app, and whose tokens still work."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from commonroom.accounts.models import Member
from commonroom.accounts.selectors import suspension_active_for


def can_authorise(member: Member | AnonymousUser | None) -> bool:
    """A member may let a client app sign them in, and that app's tokens work,
    only while their account is active: not erased, not suspended (R5)."""
    if member is None or not member.is_authenticated or not isinstance(member, Member):
        return False
    if not member.is_active or member.erased_at is not None:
        return False
    return suspension_active_for(member) is None
