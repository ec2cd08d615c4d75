from django_tasks import task

from commonroom.notifications import services
from commonroom.notifications.mail import digest_email_build, notification_email_build


@task()
def digests_send() -> int:
    """Daily (core.scheduler): one e-mail per member with the day's notifications."""
    return services.digests_send()


@task()
def notification_email_send(*, notification_id: int) -> bool:
    """Mail one notification; the message is built here, from the id."""
    message = notification_email_build(notification_id=notification_id)
    return bool(message and message.send())


@task()
def digest_email_send(*, member_id: int, notification_ids: list[int]) -> bool:
    message = digest_email_build(member_id=member_id, notification_ids=notification_ids)
    return bool(message and message.send())
