from django_tasks import task

from commonroom.library import notifications


@task()
def collection_followers_notify(*, item_id: int) -> int:
    """Tell the followers of a public collection about a new item; runs in
    the worker because a popular collection may have thousands."""
    return notifications.collection_followers_notify(item_id=item_id)
