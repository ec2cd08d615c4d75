"""The kinds of notification moderation sends (notifications.kinds). Their
texts depend on the decision, so each caller writes its own (``text=``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from commonroom.notifications.kinds import NotificationKind

MODERATION_DECISION = "moderation_decision"
OBJECTION_DECISION = "objection_decision"
NOTICE = "notice"
REVIEW_DUE = "review_due"

NOTIFICATION_KINDS = (
    NotificationKind(key=MODERATION_DECISION, label=_("A moderation decision on my resource")),
    NotificationKind(key=OBJECTION_DECISION, label=_("A decision on my objection")),
    NotificationKind(key=NOTICE, label=_("A notice about my resource")),
    NotificationKind(key=REVIEW_DUE, label=_("A resource of mine is due for review")),
)
