from django_tasks import task

from commonroom.social import services


@task()
def digests_send() -> int:
    """Daily (core.scheduler): one e-mail per member with the day's notifications."""
    return services.digests_send()
