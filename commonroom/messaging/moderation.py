"""How moderation handles private messages.

Reports (R21): a participant reports a message of someone else; a report
is read only on messaging's report page, with the conversation around the
message (the one place moderators read a private conversation), so the
queue shows no excerpt. Removing a message tells its sender and the
reporters; dismissing the reports tells the reporters."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from commonroom.accounts.models import Member
from commonroom.messaging import selectors, services
from commonroom.messaging.models import Message
from commonroom.moderation.models import Report
from commonroom.moderation.report_registry import Reportable


def _hide(message: Message, by: Member, reason: str) -> None:
    services.message_hide(message=message, by=by, reason=reason)


def _dismissed(reports: Sequence[Report]) -> None:
    # Dismissed together, the reports are all on one message.
    message = _messages().filter(pk=reports[0].object_id).first() if reports else None
    if message is not None:
        url = message.conversation.get_absolute_url()
        services.tell_reporters(reports, url=url, acted=False)


def _visible(message: Message, user: Any) -> bool:
    return bool(
        user.is_authenticated and selectors.reportable_messages(user).filter(pk=message.pk).exists()
    )


def _messages() -> QuerySet[Message]:
    return Message.objects.select_related("sender", "conversation")


REPORTABLE = {
    "message": Reportable(
        model=Message,
        label=_("Message"),
        author=lambda message: message.sender,
        excerpt=lambda message: Truncator(message.body).chars(300),
        url=lambda message: message.conversation.get_absolute_url(),
        hide=_hide,
        remove=_hide,
        visible_to=_visible,
        queryset=_messages,
        hooks_tell_author=True,
        reports_dismissed=_dismissed,
        moderation_url=lambda report: reverse("messaging:report", args=[report.pk]),
    )
}
