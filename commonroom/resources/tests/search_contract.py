"""A learning resource for the search contract test
(tests/test_search_contract.py): made public, hidden and deleted as the
resources' services leave it (the test syncs the index itself)."""

from typing import cast

from commonroom.resources.models import Resource, State
from commonroom.resources.tests.factories import PublishedResourceFactory


def make_public(*, title: str, body: str) -> int:
    resource = cast(Resource, PublishedResourceFactory(title=title, body=body, keywords=[]))
    return resource.pk


def hide(object_id: int) -> None:
    Resource.objects.filter(pk=object_id).update(state=State.REMOVED)


def delete(object_id: int) -> None:
    Resource.objects.filter(pk=object_id).delete()
