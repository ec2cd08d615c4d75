"""Messaging test data. Members are a month old unless a test says otherwise,
so that links in their messages are not held (antispam: new accounts)."""

from datetime import timedelta
from typing import Any, cast

from django.utils import timezone

from commonroom.accounts.models import Member
from commonroom.accounts.tests.factories import MemberFactory
from commonroom.messaging.models import Conversation, Message, Participant


def colleague(**kwargs: Any) -> Member:
    kwargs.setdefault("date_joined", timezone.now() - timedelta(days=30))
    kwargs.setdefault("language", "en")
    return cast(Member, MemberFactory(**kwargs))


def conversation_with(
    *members: Member, messages: int = 1, sender: Member | None = None
) -> Conversation:
    """A conversation written straight to the database (no anti-spam), the
    messages from ``sender`` (default: the first member), a minute apart."""
    start = timezone.now() - timedelta(hours=1)
    conversation = Conversation.objects.create(created_at=start, last_message_at=start)
    Participant.objects.bulk_create(
        Participant(conversation=conversation, member=m, joined_at=start) for m in members
    )
    author = sender or members[0]
    Message.objects.bulk_create(
        Message(
            conversation=conversation,
            sender=author,
            body=f"Message number {i} about fractions",
            created_at=start + timedelta(minutes=i),
        )
        for i in range(messages)
    )
    if messages:
        conversation.last_message_at = start + timedelta(minutes=messages - 1)
        conversation.save(update_fields=["last_message_at"])
    return conversation
