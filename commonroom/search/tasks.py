from django_tasks import task

from commonroom.search import saved, suggest, termsets
from commonroom.search.services import search_rebuild


@task()
def saved_search_alerts() -> int:
    """Hourly (core.scheduler): alerts for saved searches that are due."""
    return saved.saved_search_alerts()


@task()
def search_rebuild_task() -> int:
    """The whole index again (after a taxonomy tree changed)."""
    return search_rebuild()


@task()
def search_words_refresh() -> int:
    """Hourly (core.scheduler): the vocabulary of "Did you mean"."""
    return suggest.search_words_refresh()


@task()
def term_sets_refresh() -> int:
    """Hourly (core.scheduler): the shared sets of frequent words, filled
    ahead and brought up to date."""
    return termsets.term_sets_refresh()
