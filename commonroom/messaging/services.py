"""Every write in private messaging (R18, R20, R21, R22).

Refusals that concern another member's choice (a block) or state (left the
platform, unknown) all read the same neutral ``CANNOT_RECEIVE`` text, so a
blocked member cannot tell that they were blocked.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonroom.accounts.models import Member
from commonroom.core import antispam
from commonroom.messaging.models import Block, Conversation, Message, Participant
from commonroom.messaging.notifications import NEW_MESSAGE
from commonroom.moderation import audit
from commonroom.moderation.lifecycle import Event
from commonroom.moderation.models import Report, Review
from commonroom.moderation.notifications import MODERATION_DECISION
from commonroom.moderation.permissions import authors_of, moderation_action
from commonroom.moderation.report_services import report_file, reports_close
from commonroom.moderation.services import review_open, reviews_close
from commonroom.moderation.transitions import transition
from commonroom.notifications.models import Notification
from commonroom.notifications.services import notify

CANNOT_RECEIVE = gettext_lazy("This member cannot receive your message.")
MAX_RECIPIENTS = 20
ANTISPAM_KIND = "message"


@authors_of.register
def _message_authors(subject: Message) -> frozenset[int]:
    """Nobody moderates their own message (issue 12 item 2)."""
    return frozenset({subject.sender_id})


def _cannot_receive() -> ValidationError:
    return ValidationError(str(CANNOT_RECEIVE), code="cannot_receive")


def can_receive(member: Member) -> bool:
    return member.is_active and member.erased_at is None


def _blocked_by_any(*, sender: Member, members: Iterable[Member]) -> bool:
    ids = [m.pk for m in members]
    return Block.objects.filter(blocker_id__in=ids, blocked=sender).exists()


def _check_body(*, conversation: Conversation, sender: Member, body: str) -> Message:
    message = Message(conversation=conversation, sender=sender, body=body.strip())
    message.full_clean(exclude=["conversation"])
    return message


def _store(message: Message) -> Message:
    """Anti-spam before the message is stored, its fingerprint after (R20)."""
    check = antispam.check_post(member=message.sender, kind=ANTISPAM_KIND, text=message.body)
    message.held = check.held_for_review
    message.save()
    antispam.record_post(member=message.sender, kind=ANTISPAM_KIND, text=message.body)
    if message.held:
        # It waits in the one moderation queue (messaging/moderation.py).
        review_open(item=message, kind=Review.Kind.SUBMISSION)
    return message


def _announce(
    message: Message, *, recipients: Sequence[Member], at: datetime | None = None
) -> None:
    """Bump the conversation and tell the others; one unread notification per
    conversation is enough, so a lively conversation does not flood them."""
    conversation = message.conversation
    at = at or message.created_at
    Conversation.objects.filter(pk=conversation.pk, last_message_at__lt=at).update(
        last_message_at=at
    )
    url = conversation.get_absolute_url()
    waiting = set(
        Notification.objects.filter(
            recipient__in=recipients,
            kind=NEW_MESSAGE,
            url=url,
            read_at__isnull=True,
        ).values_list("recipient_id", flat=True)
    )
    for recipient in recipients:
        if recipient.pk in waiting:
            continue
        notify(
            recipient=recipient,
            kind=NEW_MESSAGE,
            text=lambda: (
                _("New message from %(name)s") % {"name": message.sender.display_name},
                _("Open the conversation to read it and reply."),
            ),
            url=url,
        )


def _existing_conversation(members: Sequence[Member]) -> Conversation | None:
    """The conversation with exactly these members, so that writing again to
    the same colleague continues the conversation instead of starting another."""
    ids = sorted({m.pk for m in members})
    mine = Participant.objects.filter(member_id=ids[0]).values("conversation_id")
    return (
        Conversation.objects.filter(pk__in=mine)
        .annotate(
            size=Count("participants", distinct=True),
            matching=Count(
                "participants",
                filter=Q(participants__member_id__in=ids, participants__left_at__isnull=True),
                distinct=True,
            ),
        )
        .filter(size=len(ids), matching=len(ids))
        .order_by("-last_message_at")
        .first()
    )


@transaction.atomic
def conversation_start(*, sender: Member, recipients: Sequence[Member], body: str) -> Conversation:
    """Write to one or several members. Continues the conversation with
    exactly the same members when there is one.

    Raises ValidationError: "cannot_receive" (unknown, gone or blocking
    recipient — one neutral text), "blocked_by_you", "too_many",
    "rate_limited" or "duplicate" (anti-spam), or on the body.
    """
    others = list({m.pk: m for m in recipients if m.pk != sender.pk}.values())
    if not others:
        raise ValidationError(_("Choose at least one member to write to."), code="no_recipient")
    if len(others) > MAX_RECIPIENTS:
        raise ValidationError(
            _("You can write to at most %(count)d members at once.") % {"count": MAX_RECIPIENTS},
            code="too_many",
        )
    if any(not can_receive(m) for m in others) or _blocked_by_any(sender=sender, members=others):
        raise _cannot_receive()
    blocked_by_me = Block.objects.filter(blocker=sender, blocked__in=others).first()
    if blocked_by_me is not None:
        raise ValidationError(
            _("You have blocked %(name)s. Unblock them first to write to them.")
            % {"name": next(m for m in others if m.pk == blocked_by_me.blocked_id).display_name},
            code="blocked_by_you",
        )
    conversation = _existing_conversation([sender, *others])
    if conversation is not None:
        _message_add(conversation=conversation, sender=sender, body=body, others=others)
        return conversation
    conversation = Conversation()
    message = _check_body(conversation=conversation, sender=sender, body=body)
    now = timezone.now()
    conversation.created_at = conversation.last_message_at = now
    conversation.save()
    Participant.objects.bulk_create(
        [Participant(conversation=conversation, member=sender, joined_at=now, last_read_at=now)]
        + [Participant(conversation=conversation, member=m, joined_at=now) for m in others]
    )
    message.conversation = conversation
    message.created_at = now
    _store(message)
    if not message.held:
        _announce(message, recipients=others)
    return conversation


def _message_add(
    *, conversation: Conversation, sender: Member, body: str, others: Sequence[Member]
) -> Message:
    message = _check_body(conversation=conversation, sender=sender, body=body)
    message.created_at = timezone.now()
    _store(message)
    if not message.held:
        _announce(message, recipients=others)
    return message


@transaction.atomic
def message_send(*, conversation: Conversation, sender: Member, body: str) -> Message:
    """Reply in a conversation the sender takes part in.

    Refused with the neutral text when nobody left can receive it or when
    any other participant has blocked the sender (R22).
    """
    participants = list(
        Participant.objects.present().filter(conversation=conversation).select_related("member")
    )
    if sender.pk not in {p.member_id for p in participants}:
        raise ValidationError(
            _("You do not take part in this conversation."), code="not_participant"
        )
    others = [p.member for p in participants if p.member_id != sender.pk]
    receiving = [m for m in others if can_receive(m)]
    if not receiving or _blocked_by_any(sender=sender, members=others):
        raise _cannot_receive()
    blocked = set(
        Block.objects.filter(blocker=sender, blocked__in=receiving).values_list(
            "blocked_id", flat=True
        )
    )
    if blocked and all(m.pk in blocked for m in receiving):
        raise ValidationError(
            _("You have blocked everyone else in this conversation. Unblock them to write here."),
            code="blocked_by_you",
        )
    return _message_add(conversation=conversation, sender=sender, body=body, others=receiving)


@transaction.atomic
def conversation_mark_read(*, conversation: Conversation, member: Member) -> None:
    """Everything up to now is read, and so are the notifications about it."""
    now = timezone.now()
    Participant.objects.filter(conversation=conversation, member=member).update(last_read_at=now)
    Notification.objects.filter(
        recipient=member,
        kind=NEW_MESSAGE,
        url=conversation.get_absolute_url(),
        read_at__isnull=True,
    ).update(read_at=now)


@transaction.atomic
def member_block(*, blocker: Member, blocked: Member) -> Block:
    """Stop ``blocked`` from contacting ``blocker``; blocking twice is harmless."""
    if blocker.pk == blocked.pk:
        raise ValidationError(_("You cannot block yourself."), code="self")
    block, _created = Block.objects.get_or_create(blocker=blocker, blocked=blocked)
    return block


@transaction.atomic
def member_unblock(*, blocker: Member, blocked: Member) -> bool:
    """True when there was a block to lift."""
    deleted, _by_model = Block.objects.filter(blocker=blocker, blocked=blocked).delete()
    return deleted > 0


# --- reports and moderation (R20, R21) ----------------------------------------------------------


@transaction.atomic
def message_report(*, message: Message, reporter: Member, reason: str, text: str = "") -> Report:
    """A participant reports a message through moderation's one report
    service; moderators find it in the report queue."""
    if message.sender_id == reporter.pk:
        raise ValidationError(_("You cannot report your own message."), code="own_message")
    if Report.objects.on(message).open().filter(reporter=reporter).exists():
        raise ValidationError(
            _("You have already reported this message. Moderators will look at it."),
            code="already_reported",
        )
    return report_file(target=message, reporter=reporter, reason=reason, text=text)


def tell_reporters(reports: Sequence[Report], *, url: str, acted: bool) -> None:
    for report in reports:
        reporter = report.reporter
        if reporter is None or not can_receive(reporter):
            continue
        notify(
            recipient=reporter,
            kind=MODERATION_DECISION,
            text=lambda: (
                _("Your report about a private message has been handled"),
                (
                    _("A moderator removed the message you reported. Thank you.")
                    if acted
                    else _(
                        "A moderator looked at the message you reported and found no breach "
                        "of the terms of use. It stays."
                    )
                ),
            ),
            url=url,
        )


def _lock(message: Message) -> Message:
    return (
        Message.objects.select_for_update(of=("self",))
        .select_related("conversation", "sender")
        .get(pk=message.pk)
    )


@moderation_action(subject="message")
@transaction.atomic
def message_hide(*, message: Message, by: Member, reason: str = "") -> Message:
    """A moderator removes a message: the participants see "removed by a
    moderator"; open reports on it are acted upon; sender and reporters are told."""
    message = _lock(message)
    if message.hidden_at is not None:
        raise ValidationError(_("This message has already been removed."), code="closed")
    # A held message is refused; a delivered one is removed.
    transition(
        message,
        event=Event.REJECT if message.held else Event.REMOVE,
        by=by,
        audit_action="message_hide",
        audit_target=f"message:{message.pk}",
        reason=reason,
    )
    reviews_close(item=message)
    tell_hidden(message, by=by, reason=reason)
    return message


def tell_hidden(message: Message, *, by: Member, reason: str) -> None:
    """Open reports on a removed message are acted upon; sender and reporters are told."""
    reports = reports_close(
        target=message, by=by, status=Report.Status.ACTIONED, action=Report.Action.HIDE,
        reason=reason.strip(),
    )  # fmt: skip
    sender = message.sender
    if can_receive(sender):
        notify(
            recipient=sender,
            kind=MODERATION_DECISION,
            text=lambda: (
                _("A moderator removed one of your private messages"),
                "\n\n".join(
                    filter(
                        None,
                        [
                            reason.strip(),
                            _("Private messages are only for constructive purposes (terms 2.1)."),
                        ],
                    )
                ),
            ),
            url=message.conversation.get_absolute_url(),
        )
    tell_reporters(reports, url=message.conversation.get_absolute_url(), acted=True)


@moderation_action(subject="message")
@transaction.atomic
def message_release(*, message: Message, by: Member, reason: str = "") -> Message:
    """A held message is fine: the other participants now see it and are told."""
    message = _lock(message)
    if not message.held:
        raise ValidationError(_("This message is not waiting for a moderator."), code="closed")
    if message.hidden_at is None:
        transition(
            message,
            event=Event.PUBLISH,
            by=by,
            audit_action="message_release",
            audit_target=f"message:{message.pk}",
            reason=reason,
        )
    else:
        # Removed while held: it stays removed; only the hold ends.
        Message.objects.filter(pk=message.pk).update(
            held=False, released_at=timezone.now(), released_by=by
        )
        audit.record(
            actor=by, action="message_release", target=f"message:{message.pk}", reason=reason
        )
    reviews_close(item=message)
    message.refresh_from_db()
    tell_release(message)
    return message


def tell_release(message: Message) -> None:
    """A released message reaches the others, and its sender is told."""
    now = message.released_at or timezone.now()
    if message.hidden_at is None:
        others = [
            p.member
            for p in Participant.objects.present()
            .filter(conversation=message.conversation)
            .exclude(member=message.sender)
            .select_related("member")
            if can_receive(p.member)
        ]
        _announce(message, recipients=others, at=now)
        sender = message.sender
        if can_receive(sender):
            notify(
                recipient=sender,
                kind=MODERATION_DECISION,
                text=lambda: (
                    _("Your private message has been delivered"),
                    _("A moderator checked the link in your message; the others can now read it."),
                ),
                url=message.conversation.get_absolute_url(),
            )
