"""Who may read what in private messaging, decided here only.

A conversation is readable by its participants and nobody else: staff and
moderators get a 404 like anyone, and read a message with the messages
around it only through a report or a message held for review (R21).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from commonroom.accounts.models import Member
from commonroom.accounts.roles import User, is_moderator
from commonroom.accounts.selectors import members_visible_to
from commonroom.messaging import selectors
from commonroom.messaging.models import Message, Participant
from commonroom.moderation.models import Report


def can_moderate_messages(user: User) -> bool:
    return bool(is_moderator(user) and user.is_active)


def participation_for_view(member: Member, conversation_id: int) -> Participant:
    """The member's place in the conversation, or 404."""
    participation = selectors.participation_for(member, conversation_id)
    if participation is None:
        raise Http404
    return participation


def message_for_report(member: Member, message_id: int) -> Message:
    """A message the member sees in one of their conversations, written by
    someone else and not removed: the only messages one can report."""
    return get_object_or_404(
        selectors.reportable_messages(member).select_related("conversation", "sender"),
        pk=message_id,
    )


def moderator(user: User) -> Member:
    if not can_moderate_messages(user) or not isinstance(user, Member):
        raise PermissionDenied
    return user


def report_for_moderator(user: User, report_id: int) -> Report:
    moderator(user)
    return get_object_or_404(
        selectors.message_reports().select_related("reporter", "handled_by"), pk=report_id
    )


def held_message_for_moderator(user: User, message_id: int) -> Message:
    """A message that waits for review (or was released or removed since:
    the moderator who acted lands back on it)."""
    moderator(user)
    return get_object_or_404(
        Message.objects.filter(Q(held=True) | Q(released_at__isnull=False)).select_related(
            "sender", "conversation"
        ),
        pk=message_id,
    )


def member_to_block(member: Member, member_id: int) -> Member:
    """Another member one may see, writes with or has blocked: the answer
    names them, so an id alone must not reveal anyone (404 otherwise)."""
    known = Q(pk__in=selectors.counterparts_of(member)) | Q(
        pk__in=selectors.blocks_of(member).values("blocked")
    )
    return get_object_or_404(
        members_visible_to(member, known=known).exclude(pk=member.pk), pk=member_id
    )
