from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone, translation

from commonroom.accounts.tests.factories import MemberFactory
from commonroom.library import notifications, selectors, services
from commonroom.library.models import Collection
from commonroom.library.tests.factories import CollectionFactory, CollectionItemFactory
from commonroom.notifications.models import Notification
from commonroom.resources.tests.factories import PublishedResourceFactory, ResourceFactory
from commonroom.social.models import Follow

HTMX = {"HTTP_HX_REQUEST": "true"}


def follows_of(collection: Collection) -> list[int]:
    return list(
        Follow.objects.filter(
            content_type=ContentType.objects.get_for_model(Collection), object_id=collection.pk
        ).values_list("follower_id", flat=True)
    )


@pytest.fixture
def collection(member):
    return CollectionFactory(owner=member, title="Space week", is_public=True)


@pytest.mark.django_db
def test_r13_follow_and_unfollow_a_public_collection(other, other_client, collection):
    url = f"/library/collections/{collection.pk}"
    response = other_client.post(f"{url}/follow/")
    assert response.status_code == 302
    assert response["Location"] == collection.get_absolute_url()
    assert follows_of(collection) == [other.pk]
    page = other_client.get(response["Location"]).content.decode()
    assert "You follow “Space week”." in page
    assert "1 follower" in page

    response = other_client.post(f"{url}/unfollow/")
    assert response.status_code == 302
    assert follows_of(collection) == []


@pytest.mark.django_db
def test_r13_follow_with_htmx_returns_the_button_following(other, other_client, collection):
    response = other_client.post(f"/library/collections/{collection.pk}/follow/", **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert f'hx-post="/library/collections/{collection.pk}/unfollow/"' in html
    assert "✓</span> Following" in html
    assert "1 follower" in html
    response = other_client.post(f"/library/collections/{collection.pk}/unfollow/", **HTMX)
    assert "Follow this collection" in response.content.decode()
    assert follows_of(collection) == []


@pytest.mark.django_db
def test_r13_private_and_own_collections_cannot_be_followed(member, member_client, other_client):
    private = CollectionFactory(is_public=False)
    own = CollectionFactory(owner=member, is_public=True)
    assert other_client.post(f"/library/collections/{private.pk}/follow/").status_code == 404
    member_client.post(f"/library/collections/{own.pk}/follow/")
    assert follows_of(private) == []
    assert follows_of(own) == []


@pytest.mark.django_db
def test_r13_r20_following_too_fast_is_refused_with_a_clear_message(settings, other, other_client):
    settings.POST_RATE_LIMITS = {**settings.POST_RATE_LIMITS, "follow": "2/h"}
    settings.NEW_ACCOUNT_RATE_LIMITS = {**settings.NEW_ACCOUNT_RATE_LIMITS, "follow": "2/h"}
    first, second, third = (CollectionFactory(is_public=True) for _ in range(3))
    for collection in (first, second):
        other_client.post(f"/library/collections/{collection.pk}/follow/")
    response = other_client.post(f"/library/collections/{third.pk}/follow/", follow=True)
    page = response.content.decode()
    assert "message-error" in page
    assert "Please wait a while" in page
    assert follows_of(third) == []

    htmx = other_client.post(f"/library/collections/{third.pk}/follow/", **HTMX)
    assert htmx.status_code == 200
    assert '<p class="message message-error">' in htmx.content.decode()
    assert "Please wait a while" in htmx.content.decode()
    assert follows_of(third) == []
    assert sorted(other.follows.values_list("object_id", flat=True)) == sorted(
        [first.pk, second.pk]
    )


@pytest.mark.django_db
def test_r13_followers_are_notified_of_a_new_item_in_their_language(
    member, member_client, collection, django_capture_on_commit_callbacks, monkeypatch
):
    dutch = MemberFactory(language="nl")
    english = MemberFactory(language="en")
    for follower in (dutch, english):
        services.collection_follow(collection=collection, member=follower)
    # The text is written in every language (item 9): each reader sees theirs.
    monkeypatch.setattr(notifications, "_", lambda text: f"[{translation.get_language()}] {text}")
    resource = PublishedResourceFactory(title="The Moon")
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(
            "/library/collections/add/",
            {"resource": resource.pk, "collection": collection.pk, "note": "For Monday."},
        )
    item = collection.items.get()
    rows = Notification.objects.filter(kind="collection_update").order_by("recipient_id")
    assert [(n.recipient_id, n.url) for n in rows] == [
        (dutch.pk, f"{collection.get_absolute_url()}#item-{item.pk}"),
        (english.pk, f"{collection.get_absolute_url()}#item-{item.pk}"),
    ]
    by_recipient = {n.recipient_id: n for n in rows}
    assert by_recipient[english.pk].texts["nl"]["title"] == "[nl] New in “Space week”: The Moon"
    assert by_recipient[dutch.pk].texts["en"]["title"] == "[en] New in “Space week”: The Moon"
    assert by_recipient[dutch.pk].title == "[nl] New in “Space week”: The Moon"
    assert by_recipient[english.pk].body == (
        f"[en] {member.display_name} added “The Moon” to the collection “Space week”."
        "\n\nFor Monday."
    )
    assert not Notification.objects.filter(recipient=member).exists()


@pytest.mark.django_db
def test_r13_the_notification_task_is_idempotent(member, collection, other):
    services.collection_follow(collection=collection, member=other)
    item = CollectionItemFactory(collection=collection)
    assert notifications.collection_followers_notify(item_id=item.pk) == 1
    assert notifications.collection_followers_notify(item_id=item.pk) == 0
    assert Notification.objects.filter(recipient=other).count() == 1


@pytest.mark.django_db
def test_r13_no_notification_for_a_private_collection(
    member, other, django_capture_on_commit_callbacks
):
    collection = CollectionFactory(owner=member, is_public=True)
    services.collection_follow(collection=collection, member=other)
    collection.is_public = False
    collection.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.collection_item_add(
            collection=collection, resource=PublishedResourceFactory(), by=member
        )
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_r13_collection_updates_for_the_feed(member, other, django_assert_num_queries):
    followed = CollectionFactory(owner=member, is_public=True)
    not_followed = CollectionFactory(owner=member, is_public=True)
    services.collection_follow(collection=followed, member=other)
    old = CollectionItemFactory(collection=followed, added_at=timezone.now() - timedelta(days=10))
    new = CollectionItemFactory(collection=followed)
    CollectionItemFactory(collection=followed, resource=ResourceFactory())  # unpublished
    CollectionItemFactory(collection=not_followed)
    ContentType.objects.get_for_model(Collection)  # cached, as in a running process
    with django_assert_num_queries(1):
        items = list(selectors.collection_updates_for(other))
        assert [i.collection.owner.display_name for i in items] == [member.display_name] * 2
        authors = [i.resource.author.display_name for i in items]
    assert authors == [new.resource.author.display_name, old.resource.author.display_name]
    assert [i.pk for i in items] == [new.pk, old.pk]
    recent = selectors.collection_updates_for(other, since=timezone.now() - timedelta(days=1))
    assert [i.pk for i in recent] == [new.pk]
    assert len(selectors.collection_updates_for(other, limit=1)) == 1


@pytest.mark.django_db
def test_r13_collection_updates_run_in_fixed_queries(member, other, django_assert_num_queries):
    collections = [CollectionFactory(owner=member, is_public=True) for _ in range(3)]
    for collection in collections:
        services.collection_follow(collection=collection, member=other)
        for _ in range(5):
            CollectionItemFactory(collection=collection)
    ContentType.objects.get_for_model(Collection)
    with django_assert_num_queries(1):
        items = list(selectors.collection_updates_for(other))
        titles = {(i.collection.title, i.resource.licence.name) for i in items}
    assert len(items) == 15
    assert len(titles) == 3
