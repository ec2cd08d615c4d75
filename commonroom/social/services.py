from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import translation

from commonroom.accounts.models import Member
from commonroom.core.mail import email_send_on_commit
from commonroom.social.models import Notification


def notify(
    *, recipient: Member, kind: str, title: str, body: str = "", url: str = "", email: bool = True
) -> Notification:
    """Tell a member something: an in-app notification and, unless they have
    left, an e-mail sent after the transaction commits.

    Callers build ``title`` and ``body`` inside ``translation.override(
    recipient.language)`` so both reach the member in their own language.
    """
    notification = Notification.objects.create(
        recipient=recipient, kind=kind, title=title, body=body, url=url
    )
    if email and recipient.email and recipient.is_active:
        link = f"{settings.SITE_URL}{url}" if url.startswith("/") else url
        with translation.override(recipient.language):
            message = EmailMessage(
                subject=f"[{settings.PLATFORM_NAME}] {title}",
                body=f"{body}\n\n{link}\n".strip() + "\n",
                to=[recipient.email],
            )
        email_send_on_commit(message)
    return notification


@transaction.atomic
def notifications_mark_read(*, recipient: Member) -> int:
    from django.utils import timezone

    return Notification.objects.filter(recipient=recipient, read_at__isnull=True).update(
        read_at=timezone.now()
    )
