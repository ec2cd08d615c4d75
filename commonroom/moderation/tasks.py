from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from commonroom.moderation.models import Notice


def notice_email_build(*, notice_id: int, status: str, language: str) -> EmailMessage | None:
    """What the notifier of a notice is told when it arrives (``open``) and
    when it is decided, built from the notice when the worker sends it."""
    notice = Notice.objects.filter(pk=notice_id).first()
    if notice is None or not notice.email:
        return None
    title = notice.target_title
    with translation.override(language):
        if status == Notice.Status.OPEN:
            subject = _("We received your notice about “%(title)s”") % {"title": title}
            body = _("The resource is offline while we investigate. We will tell you the outcome.")
        else:
            subject = _("Outcome of your notice about “%(title)s”") % {"title": title}
            outcome = (
                _("The resource has been restored.")
                if status == Notice.Status.RESTORED
                else _("The resource has been removed.")
            )
            body = f"{outcome}\n\n{notice.decision_reason}"
    return EmailMessage(
        subject=f"[{settings.PLATFORM_NAME}] {subject}", body=body, to=[notice.email]
    )


@task()
def notice_email_send(*, notice_id: int, status: str, language: str) -> bool:
    message = notice_email_build(notice_id=notice_id, status=status, language=language)
    return bool(message and message.send())
