"""Issue 14: the library adds followed collections' news to the activity
feed through its activity.py, so social imports nothing of the library."""

from datetime import timedelta

import pytest
from django.utils import timezone

from commonroom.core.discovery import app_modules
from commonroom.library import activity, services
from commonroom.library.tests.factories import CollectionFactory, CollectionItemFactory
from commonroom.resources.tests.factories import PublishedResourceFactory
from commonroom.social.selectors import feed_for
from commonroom.social.services import follow

pytestmark = pytest.mark.django_db


def test_issue14_the_library_is_a_source_of_the_activity_feed():
    assert activity in app_modules("activity")


def test_issue14_the_feed_mixes_followed_authors_and_followed_collections(member, other):
    collection = CollectionFactory(owner=member, is_public=True)
    services.collection_follow(collection=collection, member=other)
    added = CollectionItemFactory(
        collection=collection, note="Good for week 3", added_at=timezone.now() - timedelta(days=1)
    )
    follow(follower=other, target=member)
    shared = PublishedResourceFactory(author=member)
    items = feed_for(other)
    assert [(i.kind, i.resource.pk) for i in items] == [
        ("resource", shared.pk),
        ("collection_item", added.resource.pk),
    ]
    assert items[1].collection == collection
    assert items[1].note == "Good for week 3"
    assert items[0].because == "author"


def test_issue14_no_collection_followed_asks_the_library_nothing(other, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert activity.feed_items(other, follows=[("member", 1)], limit=5) == []
