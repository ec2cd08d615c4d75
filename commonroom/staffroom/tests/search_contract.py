"""A staffroom thread for the search contract test
(tests/test_search_contract.py): made public, hidden and deleted as the
staffroom's services leave it (the test syncs the index itself)."""

from django.utils import timezone

from commonroom.staffroom.models import Post, Thread
from commonroom.staffroom.tests.factories import category, thread
from commonroom.taxonomy.models import Subject


def make_public(*, title: str, body: str) -> int:
    board = category(subject=Subject.objects.order_by("pk").first())
    return thread(title=title, body=body, board=board).pk


def hide(object_id: int) -> None:
    Post.objects.filter(thread_id=object_id).update(hidden_at=timezone.now())


def delete(object_id: int) -> None:
    topic = Thread.objects.get(pk=object_id)
    Thread.objects.filter(pk=object_id).update(opening_post=None, accepted_post=None)
    Post.objects.filter(thread=topic).delete()
    topic.delete()
