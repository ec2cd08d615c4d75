from django_tasks import task

from commonroom.search import saved


@task()
def saved_search_alerts() -> int:
    """Hourly (core.scheduler): alerts for saved searches that are due."""
    return saved.saved_search_alerts()
