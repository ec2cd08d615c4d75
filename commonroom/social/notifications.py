"""The kinds of notification the social app sends (notifications.kinds):
a reaction on a member's resource, and a new follower."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonroom.notifications.kinds import NotificationKind
from commonroom.notifications.models import EmailFrequency

REACTION = "reaction"
NEW_FOLLOWER = "new_follower"


def _reaction_text(context: Mapping[str, Any]) -> tuple[str, str]:
    """``context``: the reacting member's ``name``, the resource's ``title``
    and an ``excerpt`` of the reaction as plain text."""
    title = _("%(name)s reacted on “%(title)s”") % {
        "name": context["name"],
        "title": context["title"],
    }
    return title, str(context["excerpt"])


def _new_follower_text(context: Mapping[str, Any]) -> tuple[str, str]:
    return _("%(name)s follows you") % {"name": context["name"]}, ""


NOTIFICATION_KINDS = (
    NotificationKind(
        key=REACTION, label=gettext_lazy("A reaction on my resource"), text=_reaction_text
    ),
    NotificationKind(
        key=NEW_FOLLOWER,
        label=gettext_lazy("A new follower"),
        default_email=EmailFrequency.DAILY,
        text=_new_follower_text,
    ),
)
