"""Reactions can be reported (R21); moderators hide or remove them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from commonroom.accounts.models import Member
from commonroom.moderation import audit
from commonroom.moderation.report_registry import Reportable
from commonroom.resources.permissions import can_view
from commonroom.social import services
from commonroom.social.models import Reaction


def _remove(reaction: Reaction, by: Member, reason: str) -> None:
    audit.record(
        actor=by,
        action="reaction_remove",
        resource=reaction.resource,
        target=f"reaction:{reaction.pk}",
        reason=reason,
    )
    reaction.delete()


def _hide(reaction: Reaction, by: Member, reason: str) -> None:
    services.reaction_hide(reaction=reaction, by=by, reason=reason)


def _visible(reaction: Reaction, user: Any) -> bool:
    return reaction.hidden_at is None and not reaction.held and can_view(user, reaction.resource)


def _reactions() -> QuerySet[Reaction]:
    return Reaction.objects.select_related("author", "resource")


REPORTABLE = {
    "reaction": Reportable(
        model=Reaction,
        label=_("Reaction"),
        author=lambda reaction: reaction.author,
        excerpt=lambda reaction: Truncator(reaction.body).chars(300),
        url=lambda reaction: f"{reaction.resource.get_absolute_url()}#reaction-{reaction.pk}",
        hide=_hide,
        remove=_remove,
        visible_to=_visible,
        queryset=_reactions,
    )
}
