"""The kind of notification search sends (notifications.kinds): new results
for a saved search, in the daily digest unless the member chose otherwise."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from commonroom.notifications.kinds import NotificationKind
from commonroom.notifications.models import EmailFrequency

SAVED_SEARCH = "saved_search"

NOTIFICATION_KINDS = (
    NotificationKind(
        key=SAVED_SEARCH,
        label=_("New results for a saved search"),
        default_email=EmailFrequency.DAILY,
    ),
)
