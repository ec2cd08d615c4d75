"""Who may act on reactions (R19, R21)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from commonroom.accounts.roles import User
from commonroom.social.models import Reaction


def reaction_get(viewer: User, reaction_id: int) -> Reaction:
    """The reaction an address names; each view then asks what ``viewer``
    may do with it (its author, the resource's author, a moderator)."""
    reaction = get_object_or_404(
        Reaction.objects.select_related("resource__author", "author"), pk=reaction_id
    )
    return reaction
