"""Private messages as a moderated kind (moderation/protocol.py): a new
account's message with a link is held and waits in the one moderation
queue (R20); moderators read a conversation only through a report or a held
message (messaging/permissions.py).

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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonroom.accounts.models import Member
from commonroom.messaging import selectors, services
from commonroom.messaging.models import Message
from commonroom.moderation.kinds import HeldPostKind
from commonroom.moderation.lifecycle import Event
from commonroom.moderation.models import Decision, Report
from commonroom.moderation.report_registry import Reportable

Action = Decision.Action


class ModeratedMessages(HeldPostKind):
    model = Message
    label = gettext_lazy("Message")

    def title(self, item: Message) -> str:
        return _("Message %(number)s") % {"number": item.pk}

    def authors(self, item: Message) -> frozenset[int]:
        return frozenset({item.sender_id})

    def author(self, item: Message) -> Member:
        return item.sender

    def authored_by(self, member: Member) -> QuerySet[Message]:
        return Message.objects.filter(sender=member)

    def public_url(self, item: Message) -> str:
        # Moderators read a held message on its own page, never the conversation.
        return reverse("messaging:held", args=[item.pk])

    def review_text(self, item: Message) -> str:
        return item.body

    def lock(self, item: Message) -> Message:
        return (
            Message.objects.select_for_update(of=("self",))
            .select_related("conversation", "sender")
            .get(pk=item.pk)
        )

    def on_state(
        self, item: Message, *, event: str, before: str, after: str, by: Any
    ) -> tuple[str, ...]:
        if event == Event.PUBLISH:
            from django.utils import timezone

            item.released_at = timezone.now()
            item.released_by = by
            return ("released_at", "released_by")
        return ()

    def let_through(self, item: Message) -> None:
        from commonroom.messaging.services import tell_release

        tell_release(item)

    def refused(self, item: Message, decision: Decision) -> None:
        from commonroom.messaging.services import tell_hidden

        if decision.moderator is not None:
            tell_hidden(item, by=decision.moderator, reason=decision.reason)

    def queue_queryset(self) -> QuerySet[Message]:
        return Message.objects.select_related("sender")


MODERATED = [ModeratedMessages()]


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
        label=gettext_lazy("Message"),
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
