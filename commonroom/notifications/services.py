"""One `notify` service for everything the platform tells a member, with
e-mail per kind immediately, in a daily digest or never, and a one-click
unsubscribe link in every mail (notifications.mail)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonroom.accounts.models import Member
from commonroom.core.outbox import task_enqueue_on_commit
from commonroom.notifications.kinds import NotificationKind, is_registered, kind_get
from commonroom.notifications.mail import unsubscribe_token_read
from commonroom.notifications.models import EmailFrequency, Notification, NotificationPreference
from commonroom.notifications.selectors import frequency_for
from commonroom.notifications.texts import NotificationText, texts_in_every_language


def _text_of(
    kind: NotificationKind,
    *,
    text: NotificationText | None,
    context: Mapping[str, Any] | None,
    title: str,
    body: str,
) -> NotificationText:
    if text is not None:
        return text
    builder = kind.text
    if builder is not None and context is not None:
        return lambda: builder(context)
    return lambda: (title, body)


def notify(
    *,
    recipient: Member,
    kind: str,
    text: NotificationText | None = None,
    context: Mapping[str, Any] | None = None,
    title: str = "",
    body: str = "",
    url: str = "",
    email: bool = True,
) -> Notification:
    """Tell a member something: always in the app; by e-mail as they chose
    for this kind (at once, in the daily digest, or never).

    ``kind`` is the key of a registered kind (notifications.kinds). Its text
    is written once per language of the site (notifications.texts), so every
    translated part is built inside one of: ``text``, a function returning
    the title and body in the active language; or ``context``, handed to the
    text the kind registered. ``title`` and ``body`` instead are words that
    read the same in every language (a name, what a member wrote). The page
    shows the reader's language, mails the recipient's.
    """
    registered = kind_get(kind)
    frequency = frequency_for(recipient, kind) if email else EmailFrequency.NEVER
    can_mail = bool(recipient.email and recipient.is_active)
    texts = texts_in_every_language(
        _text_of(registered, text=text, context=context, title=title, body=body)
    )
    own = texts.get(recipient.language) or texts[settings.LANGUAGE_CODE]
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        title=own["title"],
        body=own["body"],
        texts=texts,
        url=url,
        digest_pending=can_mail and frequency == EmailFrequency.DAILY,
    )
    if can_mail and frequency == EmailFrequency.IMMEDIATELY:
        from commonroom.notifications.tasks import notification_email_send

        task_enqueue_on_commit(
            task=notification_email_send,
            kwargs={"notification_id": notification.pk},
            member_id=recipient.pk,
        )
    return notification


@transaction.atomic
def notifications_mark_read(*, recipient: Member) -> int:
    return Notification.objects.filter(recipient=recipient, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notifications_withdraw(*, urls: list[str]) -> int:
    """Take back what members were told about something that is no longer
    shown (a hidden post): the notifications pointing at these addresses
    leave the centre and the daily digest (mails already sent stay sent)."""
    if not urls:
        return 0
    deleted, _rows = Notification.objects.filter(url__in=urls).delete()
    return deleted


@transaction.atomic
def preference_set(*, member: Member, kind: str, frequency: str) -> NotificationPreference:
    if not is_registered(kind) or frequency not in EmailFrequency.values:
        raise ValidationError(_("Unknown notification setting."), code="invalid")
    row, _created = NotificationPreference.objects.update_or_create(
        member=member, kind=kind, defaults={"frequency": frequency}
    )
    return row


def unsubscribe(*, token: str) -> tuple[Member, str] | None:
    """Stop e-mail of one kind for the member named in a signed token."""
    signed = unsubscribe_token_read(token)
    if signed is None:
        return None
    member_id, kind = signed
    member = Member.objects.filter(pk=member_id, is_active=True).first()
    if member is None or not is_registered(kind):
        return None
    preference_set(member=member, kind=kind, frequency=EmailFrequency.NEVER)
    Notification.objects.filter(recipient=member, kind=kind, digest_pending=True).update(
        digest_pending=False
    )
    return member, kind


def digests_send() -> int:
    """Queue for each member one e-mail with their notifications waiting for
    the daily digest (a scheduled task). Returns the number of e-mails."""
    from commonroom.notifications.tasks import digest_email_send

    pending = (
        Notification.objects.filter(digest_pending=True)
        .select_related("recipient")
        .order_by("recipient_id", "created_at")
    )
    by_member: dict[int, list[Notification]] = {}
    for notification in pending:
        by_member.setdefault(notification.recipient_id, []).append(notification)
    sent = 0
    for member_id, items in by_member.items():
        member = items[0].recipient
        ids = [n.pk for n in items]
        with transaction.atomic():
            if member.email and member.is_active:
                task_enqueue_on_commit(
                    task=digest_email_send,
                    kwargs={"member_id": member_id, "notification_ids": ids},
                    member_id=member_id,
                )
                sent += 1
            Notification.objects.filter(pk__in=ids).update(digest_pending=False)
    return sent
