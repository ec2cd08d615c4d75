"""Roles are Django groups (DESIGN.md, Roles): this names them once and
answers "is this person a moderator / staff?" for every app.

The helpers take the member (or the visitor), never the request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

from django.contrib.auth.models import AnonymousUser

if TYPE_CHECKING:
    from commonroom.accounts.models import Member

MODERATORS = "Moderators"
STAFF = "Staff"
ALL_ROLES = (MODERATORS, STAFF)

# Whoever a permission check is about: a member, or a visitor.
User: TypeAlias = "Member | AnonymousUser"


def is_moderator(user: User) -> bool:
    """A moderator or staff member (staff moderate too)."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    # MemberBackend loads the answer with the member; otherwise ask once.
    cached = getattr(user, "in_moderators", None)
    if cached is None:
        cached = user.groups.filter(name=MODERATORS).exists()
        user.in_moderators = cached  # type: ignore[attr-defined]
    return bool(cached)


def is_staff(user: User) -> bool:
    """Staff (the operator's team, still active): they manage the platform,
    switch maintenance, publish terms and verify members."""
    return bool(user.is_authenticated and user.is_staff and user.is_active)
