"""The kind of notification the resources app sends (notifications.kinds)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from commonroom.notifications.kinds import NotificationKind

LINK_BROKEN = "link_broken"

NOTIFICATION_KINDS = (NotificationKind(key=LINK_BROKEN, label=_("A broken link in my resource")),)
