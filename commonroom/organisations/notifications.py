"""The kinds of notification the organisations app sends (notifications.kinds):
a member invited to be an administrator of an organisation, and a new
training offer that matches a saved selection guide."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonroom.notifications.kinds import NotificationKind
from commonroom.notifications.models import EmailFrequency

ADMINISTRATOR_INVITED = "organisation_admin_invitation"
OFFER_MATCH = "training_offer_match"


def _invitation_text(context: Mapping[str, Any]) -> tuple[str, str]:
    """``context``: the organisation's ``name``, who invited the member (``by``)
    and the last day to answer (``until``, an ISO date)."""
    title = _("You are invited to administer “%(name)s”") % {"name": context["name"]}
    body = _(
        "%(by)s invites you to run the organisation's page and its offers with them. "
        "Accept or decline before %(until)s."
    ) % {"by": context["by"], "until": date_format(date.fromisoformat(context["until"]))}
    return title, body


def _match_text(context: Mapping[str, Any]) -> tuple[str, str]:
    """``context``: the offer's ``title`` and its ``organisation``'s name."""
    title = _("A new training offer matches your selection guide: “%(title)s”") % {
        "title": context["title"]
    }
    return title, _("Offered by %(organisation)s.") % {"organisation": context["organisation"]}


NOTIFICATION_KINDS = (
    NotificationKind(
        key=ADMINISTRATOR_INVITED,
        label=gettext_lazy("I am invited to administer an organisation"),
        text=_invitation_text,
    ),
    NotificationKind(
        key=OFFER_MATCH,
        label=gettext_lazy("A new training offer matches my selection guide"),
        default_email=EmailFrequency.DAILY,
        text=_match_text,
    ),
)
