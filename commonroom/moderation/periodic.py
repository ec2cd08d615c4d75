from django_tasks import task

from commonroom.moderation import services


@task()
def rereview_due() -> int:
    """Periodic (core.scheduler): published resources due for re-review."""
    return services.rereview_mark_due()
