"""The kind of notification private messaging sends (notifications.kinds)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from commonroom.notifications.kinds import NotificationKind

NEW_MESSAGE = "new_message"

NOTIFICATION_KINDS = (NotificationKind(key=NEW_MESSAGE, label=_("A new private message")),)
