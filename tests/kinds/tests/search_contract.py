"""A note for the search contract test (tests/test_search_contract.py)."""

from commonroom.accounts.tests.factories import MemberFactory
from commonroom.taxonomy.models import Subject
from tests.kinds.models import Note


def make_public(*, title: str, body: str) -> int:
    note = Note.objects.create(
        title=title,
        body=body,
        author=MemberFactory(),
        state="published",
        subject=Subject.objects.get(slug="physics"),
    )
    return int(note.pk)


def hide(object_id: int) -> None:
    Note.objects.filter(pk=object_id).update(state="hidden")


def delete(object_id: int) -> None:
    Note.objects.filter(pk=object_id).delete()
