"""The e-mails of notifications: one at once, or the daily digest, each with
a one-click unsubscribe link (RFC 8058) for its kind. Built by the worker
from ids, in the recipient's language (notifications.texts)."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from commonroom.accounts.models import Member
from commonroom.notifications.kinds import kind_label
from commonroom.notifications.models import Notification
from commonroom.notifications.texts import text_in

UNSUBSCRIBE_SALT = "commonroom.unsubscribe"


def unsubscribe_token(member: Member, kind: str) -> str:
    return signing.dumps({"m": member.pk, "k": kind}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(member: Member, kind: str) -> str:
    path = reverse("notifications:unsubscribe", args=[unsubscribe_token(member, kind)])
    return f"{settings.SITE_URL}{path}"


def unsubscribe_token_read(token: str) -> tuple[int, str] | None:
    """The member id and kind a token was signed for; None when forged."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    member_id, kind = data.get("m"), data.get("k", "")
    if not isinstance(member_id, int) or not isinstance(kind, str):
        return None
    return member_id, kind


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
    title, body = text_in(notification, member.language)
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
    titles = [text_in(n, member.language)[0] for n in items]
    lines = [
        f"- {title}\n  {settings.SITE_URL}{n.url}" if n.url else f"- {title}"
        for n, title in zip(items, titles, strict=True)
    ]
    kinds = sorted({n.kind for n in items})
    with translation.override(member.language):
        subject = _("Your daily summary: %(n)d new") % {"n": len(items)}
        links = "\n".join(
            _("Stop e-mails about “%(kind)s”: %(url)s")
            % {"kind": kind_label(k), "url": unsubscribe_url(member, k)}
            for k in kinds
        )
    body = "\n".join(lines)
    return EmailMessage(
        subject=f"[{settings.PLATFORM_NAME}] {subject}",
        body=f"{body}\n\n-- \n{links}\n",
        to=[member.email],
        headers={"List-Unsubscribe": f"<{unsubscribe_url(member, kinds[0])}>"},
    )
