"""One `notify` service for everything the platform tells a member, with
e-mail per kind immediately, in a daily digest or never, and a one-click
unsubscribe link in every mail."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from commonroom.accounts.models import Member
from commonroom.core.outbox import task_enqueue_on_commit
from commonroom.social.models import (
    EmailFrequency,
    Notification,
    NotificationKind,
    NotificationPreference,
)

# Without a preference of their own, members get these.
DEFAULT_FREQUENCY: dict[str, str] = {
    NotificationKind.NEW_FOLLOWER: EmailFrequency.DAILY,
    NotificationKind.COLLECTION_UPDATE: EmailFrequency.DAILY,
    NotificationKind.SAVED_SEARCH: EmailFrequency.DAILY,
}
UNSUBSCRIBE_SALT = "commonroom.unsubscribe"


def frequency_for(member: Member, kind: str) -> str:
    row = NotificationPreference.objects.filter(member=member, kind=kind).first()
    if row is not None:
        return row.frequency
    return DEFAULT_FREQUENCY.get(kind, EmailFrequency.IMMEDIATELY)


def unsubscribe_token(member: Member, kind: str) -> str:
    return signing.dumps({"m": member.pk, "k": kind}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(member: Member, kind: str) -> str:
    path = reverse("social:unsubscribe", args=[unsubscribe_token(member, kind)])
    return f"{settings.SITE_URL}{path}"


def notification_email_build(*, notification_id: int) -> EmailMessage | None:
    """The e-mail of one notification, built when the worker sends it (the
    queue carries only the id); None when there is no one to mail any more."""
    notification = (
        Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    )
    if notification is None:
        return None
    member = notification.recipient
    if not (member.email and member.is_active):
        return None
    url = notification.url
    link = f"{settings.SITE_URL}{url}" if url.startswith("/") else url
    unsubscribe = unsubscribe_url(member, notification.kind)
    with translation.override(member.language):
        footer = _(
            "You get this e-mail because of your notification settings. Stop these e-mails: %(url)s"
        ) % {"url": unsubscribe}
        title, body = notification.shown_title, notification.shown_body
    body = f"{body}\n\n{link}".strip()
    return EmailMessage(
        subject=f"[{settings.PLATFORM_NAME}] {title}",
        body=f"{body}\n\n-- \n{footer}\n",
        to=[member.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


# Title and body of a notification, written in the active language.
NotificationText = Callable[[], tuple[str, str]]


def texts_in_every_language(text: NotificationText) -> dict[str, dict[str, str]]:
    """``text`` written once in each language of the site. A member may read
    the site in another language than the one their mails come in, and the
    parts a text is made of (a moderation criterion, a field's name, why a
    link failed) are only known now, so every language is written now."""
    texts = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            title, body = text()
        texts[language] = {"title": title[:300], "body": body}
    return texts


def notify(
    *,
    recipient: Member,
    kind: str,
    text: NotificationText | None = None,
    title: str = "",
    body: str = "",
    url: str = "",
    email: bool = True,
) -> Notification:
    """Tell a member something: always in the app; by e-mail as they chose
    for this kind (at once, in the daily digest, or never).

    ``text`` returns the title and body in the active language; it is called
    once per language of the site (see `texts_in_every_language`), so build
    every translated part inside it. The page shows the reader's language,
    mails the recipient's. ``title`` and ``body`` instead are words that read
    the same in every language (a name, what a member wrote).
    """
    frequency = frequency_for(recipient, kind) if email else EmailFrequency.NEVER
    can_mail = bool(recipient.email and recipient.is_active)
    texts = texts_in_every_language(text or (lambda: (title, body)))
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
        from commonroom.social.tasks import notification_email_send

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


@transaction.atomic
def preference_set(*, member: Member, kind: str, frequency: str) -> NotificationPreference:
    if kind not in NotificationKind.values or frequency not in EmailFrequency.values:
        from django.core.exceptions import ValidationError

        raise ValidationError(_("Unknown notification setting."), code="invalid")
    row, _created = NotificationPreference.objects.update_or_create(
        member=member, kind=kind, defaults={"frequency": frequency}
    )
    return row


def unsubscribe(*, token: str) -> tuple[Member, str] | None:
    """Stop e-mail of one kind for the member named in a signed token."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    member = Member.objects.filter(pk=data.get("m"), is_active=True).first()
    kind = data.get("k", "")
    if member is None or kind not in NotificationKind.values:
        return None
    preference_set(member=member, kind=kind, frequency=EmailFrequency.NEVER)
    Notification.objects.filter(recipient=member, kind=kind, digest_pending=True).update(
        digest_pending=False
    )
    return member, kind


def digests_send() -> int:
    """Queue for each member one e-mail with their notifications waiting for
    the daily digest (a scheduled task). Returns the number of e-mails."""
    from commonroom.social.tasks import digest_email_send

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


def digest_email_build(*, member_id: int, notification_ids: list[int]) -> EmailMessage | None:
    """One member's daily summary, built when the worker sends it."""
    member = Member.objects.filter(pk=member_id, is_active=True).first()
    items = list(
        Notification.objects.filter(recipient_id=member_id, pk__in=notification_ids).order_by(
            "created_at", "pk"
        )
    )
    if member is None or not member.email or not items:
        return None
    with translation.override(member.language):
        lines = [
            f"- {n.shown_title}\n  {settings.SITE_URL}{n.url}" if n.url else f"- {n.shown_title}"
            for n in items
        ]
        subject = _("Your daily summary: %(n)d new") % {"n": len(items)}
        body = "\n".join(lines)
        kinds = sorted({n.kind for n in items})
        links = "\n".join(
            _("Stop e-mails about “%(kind)s”: %(url)s")
            % {"kind": NotificationKind(k).label, "url": unsubscribe_url(member, k)}
            for k in kinds
        )
    return EmailMessage(
        subject=f"[{settings.PLATFORM_NAME}] {subject}",
        body=f"{body}\n\n-- \n{links}\n",
        to=[member.email],
        headers={"List-Unsubscribe": f"<{unsubscribe_url(member, kinds[0])}>"},
    )
