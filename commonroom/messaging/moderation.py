"""Private messages as a moderated kind (moderation/protocol.py): a new
account's message with a link is held and waits in the one moderation
queue (R20); moderators read a conversation only through a report or a held
message (messaging/permissions.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from commonroom.accounts.models import Member
from commonroom.messaging.models import Message
from commonroom.moderation.kinds import HeldPostKind
from commonroom.moderation.lifecycle import Event
from commonroom.moderation.models import Decision

Action = Decision.Action


class ModeratedMessages(HeldPostKind):
    model = Message

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

    def decided(self, item: Message, decision: Decision, reasons: str) -> None:
        """A decision in the queue tells what the held-message page tells."""
        from commonroom.messaging.services import tell_hidden, tell_release

        if decision.action == Action.PUBLISH:
            tell_release(item)
        elif decision.moderator is not None:
            tell_hidden(item, by=decision.moderator, reason=decision.reason)

    def queue_queryset(self) -> QuerySet[Message]:
        return Message.objects.select_related("sender")


MODERATED = [ModeratedMessages()]
