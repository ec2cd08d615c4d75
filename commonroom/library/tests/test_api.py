"""Issue 18: collections through the API: a private collection is its
owner's alone (a token never reads another member's private collection),
lists page by cursor, and a list costs the same queries however long."""

from __future__ import annotations

import pytest
from django.test import Client

from commonroom.accounts.tests.factories import MemberFactory
from commonroom.api.models import Scope
from commonroom.api.tests.helpers import client_of
from commonroom.library.tests.factories import CollectionFactory, CollectionItemFactory
from commonroom.resources.models import State

pytestmark = pytest.mark.django_db


def test_issue18_a_token_never_reads_another_members_private_collection():
    private = CollectionFactory(is_public=False, title="My secret list")
    other = client_of(MemberFactory(), Scope.READ)
    assert other.get(f"/api/v1/collections/{private.pk}").status_code == 404
    assert "My secret list" not in other.get("/api/v1/collections").content.decode()
    owner = client_of(private.owner, Scope.READ)
    assert owner.get(f"/api/v1/collections/{private.pk}").status_code == 200
    mine = owner.get("/api/v1/collections?mine=true").json()
    assert [c["id"] for c in mine["items"]] == [private.pk]


def test_issue18_others_see_only_the_published_resources_of_a_collection():
    collection = CollectionFactory()
    shown = CollectionItemFactory(collection=collection)
    CollectionItemFactory(collection=collection, resource__state=State.WITHDRAWN)
    body = Client().get(f"/api/v1/collections/{collection.pk}").json()
    assert [i["resource_id"] for i in body["items"]] == [shown.resource_id]
    own = client_of(collection.owner, Scope.READ).get(f"/api/v1/collections/{collection.pk}")
    assert len(own.json()["items"]) == 2


def test_issue18_collections_page_by_cursor_newest_first():
    made = [CollectionFactory().pk for _ in range(5)]
    body = Client().get("/api/v1/collections?limit=2").json()
    assert [c["id"] for c in body["items"]] == made[:-3:-1]
    second = Client().get(body["next"]).json()
    assert [c["id"] for c in second["items"]] == [made[2], made[1]]
    last = Client().get(second["next"]).json()
    assert ([c["id"] for c in last["items"]], last["next"]) == ([made[0]], None)


def test_issue18_the_collection_list_cost_two_queries_per_page(django_assert_num_queries):
    for _ in range(2):
        CollectionFactory()
    Client().get("/api/v1/collections")  # the site's state is cached by the first request
    with django_assert_num_queries(2):
        Client().get("/api/v1/collections")
    for _ in range(5):
        CollectionFactory()
    with django_assert_num_queries(2):
        Client().get("/api/v1/collections")
