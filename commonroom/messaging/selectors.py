"""Reads for private messaging, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from commonroom.accounts.models import Member, ProfileVisibility
from commonroom.accounts.selectors import members_visible_to
from commonroom.messaging.models import Block, Conversation, Message, Participant
from commonroom.moderation.models import Report

THREAD_PAGE = 50
CONTEXT_AROUND = 10
SEARCH_RESULTS = 20
NEVER = datetime(1970, 1, 1, tzinfo=UTC)


def _visible_in(member: Member) -> QuerySet[Message]:
    """Messages of the outer row's conversation this member can see."""
    return Message.objects.filter(conversation=OuterRef("conversation")).visible_to(member)


def inbox_for(member: Member) -> QuerySet[Participant]:
    """The member's conversations, newest first, each with its unread count,
    the newest message and the other participants (three queries a page).

    A conversation whose only message waits for a moderator is not listed
    for the others: they do not know it exists until it is released.
    """
    visible = _visible_in(member)
    unread = (
        visible.filter(hidden_at__isnull=True)
        .exclude(sender=member)
        .filter(
            created_at__gt=Coalesce(
                OuterRef("last_read_at"), Value(NEVER, output_field=DateTimeField())
            )
        )
        .order_by()
        .values("conversation")
        .annotate(count=Count("pk"))
        .values("count")
    )
    newest = visible.order_by("-created_at", "-pk")
    others = Participant.objects.exclude(member=member).select_related("member").order_by("pk")
    return (
        Participant.objects.present()
        .filter(member=member)
        .filter(Exists(visible))
        .annotate(
            unread=Coalesce(Subquery(unread, output_field=IntegerField()), 0),
            last_body=Subquery(newest.values("body")[:1]),
            last_sender_id=Subquery(newest.values("sender_id")[:1]),
            last_hidden_at=Subquery(newest.values("hidden_at")[:1]),
            last_held=Subquery(newest.values("held")[:1]),
        )
        .select_related("conversation")
        .prefetch_related(Prefetch("conversation__participants", queryset=others, to_attr="others"))
        .order_by("-conversation__last_message_at", "-conversation_id")
    )


def unread_conversations_count(member: Member) -> int:
    """For a badge in the header: conversations with something new."""
    return inbox_for(member).filter(Q(unread__gt=0)).count()


def participation_for(member: Member, conversation_id: int) -> Participant | None:
    """The member's place in a conversation they can see, with the conversation."""
    return (
        Participant.objects.present()
        .filter(member=member, conversation_id=conversation_id)
        .filter(Exists(_visible_in(member)))
        .select_related("conversation")
        .first()
    )


def participants_of(conversation: Conversation) -> list[Participant]:
    return list(
        Participant.objects.filter(conversation=conversation)
        .select_related("member")
        .order_by("member__last_name", "member__first_name", "pk")
    )


@dataclass(frozen=True)
class Thread:
    messages: list[Message]
    older_than: int | None  # the id to ask for the page before, when there is one


def thread_for(member: Member, conversation: Conversation, *, before: int | None = None) -> Thread:
    """The newest THREAD_PAGE messages (or those before a message id), oldest first."""
    messages = (
        Message.objects.filter(conversation=conversation)
        .visible_to(member)
        .select_related("sender")
        .order_by("-created_at", "-pk")
    )
    if before is not None:
        pivot = Message.objects.filter(conversation=conversation, pk=before).values("created_at")
        messages = messages.filter(
            Q(created_at__lt=Subquery(pivot)) | Q(created_at=Subquery(pivot), pk__lt=before)
        )
    page = list(messages[: THREAD_PAGE + 1])
    more = len(page) > THREAD_PAGE
    page = page[:THREAD_PAGE]
    page.reverse()
    return Thread(messages=page, older_than=page[0].pk if more and page else None)


def blocked_ids(member: Member, among: list[int]) -> set[int]:
    return set(
        Block.objects.filter(blocker=member, blocked_id__in=among).values_list(
            "blocked_id", flat=True
        )
    )


def blocks_of(member: Member) -> QuerySet[Block]:
    return Block.objects.filter(blocker=member).select_related("blocked")


def recipient_search(member: Member, query: str) -> list[Member]:
    """Members to write to, by name, among those the member may see; hidden
    profiles are not listed, even for staff (who reach them from the profile)."""
    words = query.split()[:4]
    if not words or len(query.strip()) < 2:
        return []
    members = (
        members_visible_to(member)
        .filter(is_active=True, erased_at__isnull=True)
        .exclude(pk=member.pk)
        .exclude(profile__visibility=ProfileVisibility.HIDDEN)
    )
    for word in words:
        members = members.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return list(members.order_by("last_name", "first_name", "pk")[:SEARCH_RESULTS])


def members_by_ids(viewer: Member, ids: list[int]) -> dict[int, Member]:
    """The members of ``ids`` this viewer may see; the others are left out,
    so a link with any id never shows a name the profile page would not."""
    return {m.pk: m for m in members_visible_to(viewer).filter(pk__in=ids)}


def counterparts_of(member: Member) -> QuerySet[Participant, Any]:
    """The ids of everyone in a conversation the member sees: the
    conversation page names them already."""
    conversations = (
        Participant.objects.present()
        .filter(member=member)
        .filter(Exists(_visible_in(member)))
        .values("conversation")
    )
    return Participant.objects.filter(conversation__in=conversations).values("member")


# --- moderation ----------------------------------------------------------------------------------


def reportable_messages(member: Member) -> QuerySet[Message]:
    """Messages the member sees in one of their conversations, written by
    someone else and not removed: the only messages one can report."""
    return (
        Message.objects.visible_to(member)
        .filter(
            hidden_at__isnull=True,
            conversation__participants__member=member,
            conversation__participants__left_at__isnull=True,
        )
        .exclude(sender=member)
    )


def message_reports() -> QuerySet[Report]:
    """Moderation's reports on messages."""
    return Report.objects.filter(content_type=ContentType.objects.get_for_model(Message))


def held_messages() -> QuerySet[Message]:
    return (
        Message.objects.filter(held=True, hidden_at__isnull=True)
        .select_related("sender")
        .order_by("created_at", "pk")
    )


@dataclass(frozen=True)
class ModerationView:
    """What a moderator sees of a conversation: one message and its surroundings."""

    message: Message
    conversation: Conversation
    participants: list[Participant]
    before: list[Message]
    after: list[Message]
    reports: list[Report]


def conversation_around(message: Message) -> ModerationView:
    """The message with up to CONTEXT_AROUND messages either side, held and
    removed ones included (a moderator sees what the participants saw and more)."""
    thread = Message.objects.filter(conversation_id=message.conversation_id).select_related(
        "sender"
    )
    earlier = Q(created_at__lt=message.created_at) | Q(
        created_at=message.created_at, pk__lt=message.pk
    )
    before = list(thread.filter(earlier).order_by("-created_at", "-pk")[:CONTEXT_AROUND])
    before.reverse()
    after = list(
        thread.exclude(earlier).exclude(pk=message.pk).order_by("created_at", "pk")[:CONTEXT_AROUND]
    )
    return ModerationView(
        message=message,
        conversation=message.conversation,
        participants=participants_of(message.conversation),
        before=before,
        after=after,
        reports=list(
            Report.objects.on(message)
            .select_related("reporter", "handled_by")
            .order_by("created_at", "pk")
        ),
    )


def reported_message(report: Report) -> Message:
    return Message.objects.select_related("sender", "conversation").get(pk=report.object_id)


def conversation_for_report(report: Report) -> ModerationView:
    """The reported message in its conversation: the only way moderators and
    staff read a private conversation (R21). Moderation links to
    ``reverse("messaging:report", args=[report.pk])``."""
    return conversation_around(reported_message(report))
