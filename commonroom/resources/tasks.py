from django_tasks import task

from commonroom.resources import services


@task()
def links_check() -> int:
    """Periodic (core.scheduler): check external links of published resources."""
    return services.links_check()
