"""The kinds of notification the organisations app sends (notifications.kinds):
a member made administrator of an organisation, and a new training offer
that matches a saved selection guide."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonroom.notifications.kinds import NotificationKind
from commonroom.notifications.models import EmailFrequency

ADMINISTRATOR_ADDED = "organisation_admin"
OFFER_MATCH = "training_offer_match"


def _admin_text(context: Mapping[str, Any]) -> tuple[str, str]:
    """``context``: the organisation's ``name`` and who added the member (``by``)."""
    title = _("You are now an administrator of “%(name)s”") % {"name": context["name"]}
    body = _("%(by)s added you. You can edit the organisation's page and its offers.") % {
        "by": context["by"]
    }
    return title, body


def _match_text(context: Mapping[str, Any]) -> tuple[str, str]:
    """``context``: the offer's ``title`` and its ``organisation``'s name."""
    title = _("A new training offer matches your selection guide: “%(title)s”") % {
        "title": context["title"]
    }
    return title, _("Offered by %(organisation)s.") % {"organisation": context["organisation"]}


NOTIFICATION_KINDS = (
    NotificationKind(
        key=ADMINISTRATOR_ADDED,
        label=gettext_lazy("I am made administrator of an organisation"),
        text=_admin_text,
    ),
    NotificationKind(
        key=OFFER_MATCH,
        label=gettext_lazy("A new training offer matches my selection guide"),
        default_email=EmailFrequency.DAILY,
        text=_match_text,
    ),
)
