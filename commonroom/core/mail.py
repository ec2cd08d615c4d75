"""Mail leaves through the worker so a slow mail server never slows a page.

Callers queue a task with ids (``core.outbox.task_enqueue_on_commit``) and
the task builds the message when it runs, so no address, name or text sits
in the queue or in stored task results (issue 12 item 5). Only a message
rendered by allauth, whose one-time link cannot be rendered again, is
queued whole, through ``email_send_on_commit``.
"""

from typing import Any

from django.core.mail import EmailMessage, EmailMultiAlternatives

from commonroom.core.outbox import task_enqueue_on_commit
from commonroom.core.tasks import send_email


def email_send_on_commit(message: EmailMessage, *, member_id: int | None = None) -> None:
    """Queue a rendered message for the worker once the transaction commits;
    its text is deleted as soon as it has been sent."""
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
    task_enqueue_on_commit(task=send_email, kwargs=kwargs, member_id=member_id)
