from typing import Any

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction

from commonroom.core.tasks import send_email


def email_send_on_commit(message: EmailMessage) -> None:
    """Queue a rendered message for the worker once the transaction commits."""
    html = ""
    if isinstance(message, EmailMultiAlternatives):
        html = next((str(c) for c, mime in message.alternatives if mime == "text/html"), "")
    kwargs: dict[str, Any] = {
        "subject": str(message.subject),
        "body": str(message.body),
        "to": list(message.to),
        "html": html,
        "from_email": message.from_email,
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
    }
    transaction.on_commit(lambda: send_email.enqueue(**kwargs))
