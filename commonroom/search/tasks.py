from django.db import transaction
from django_tasks import task

from commonroom.core.outbox import task_enqueue_on_commit
from commonroom.search import saved, suggest, termsets
from commonroom.search.services import search_index_touch, search_rebuild


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


def search_follow_taxonomy(*, sender: type, moved: bool, **kwargs: object) -> None:
    """A vocabulary changed (``taxonomy_changed``, connected in ``apps.py``):
    a new index version once it commits, so pages read the new labels; a
    moved term changes what its ancestors count, so the index is rebuilt in
    the background (queued with the change)."""
    transaction.on_commit(search_index_touch)
    if moved:
        task_enqueue_on_commit(task=search_rebuild_task)
