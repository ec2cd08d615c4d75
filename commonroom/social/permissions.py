"""Who may act on reactions (R19, R21)."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from commonroom.social.models import Reaction


def reaction_get(request: HttpRequest, reaction_id: int) -> Reaction:
    """A reaction the signed-in member can see: its own, or a visible one."""
    reaction = get_object_or_404(
        Reaction.objects.select_related("resource__author", "author"), pk=reaction_id
    )
    return reaction
