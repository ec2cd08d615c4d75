import pytest

from commonroom.accounts import services as account_services
from commonroom.core.privacy import export_all
from commonroom.library import personal_data, services
from commonroom.library.models import Collection, CollectionItem, SavedItem
from commonroom.library.tests.factories import (
    CollectionFactory,
    CollectionItemFactory,
    SavedItemFactory,
)
from commonroom.resources.tests.factories import PublishedResourceFactory


@pytest.mark.django_db
def test_r7_r14_export_has_saved_items_and_collections_with_notes(member):
    resource = PublishedResourceFactory(title="The Moon")
    saved = SavedItemFactory(member=member, resource=resource)
    collection = CollectionFactory(owner=member, title="Space", description="Stars", is_public=True)
    item = CollectionItemFactory(collection=collection, resource=resource, note="For Monday.")
    CollectionFactory(title="Someone else's")
    data = personal_data.export(member)
    assert data["saved_resources"] == [
        {
            "resource_id": resource.pk,
            "title": "The Moon",
            "url": resource.get_absolute_url(),
            "saved_at": saved.created_at.isoformat(),
        }
    ]
    assert data["collections"] == [
        {
            "id": collection.pk,
            "title": "Space",
            "description": "Stars",
            "public": True,
            "url": collection.get_absolute_url(),
            "created_at": collection.created_at.isoformat(),
            "updated_at": collection.updated_at.isoformat(),
            "items": [
                {
                    "position": item.position,
                    "resource_id": resource.pk,
                    "title": "The Moon",
                    "note": "For Monday.",
                    "added_at": item.added_at.isoformat(),
                }
            ],
        }
    ]
    assert export_all(member)["collections"] == data["collections"]


@pytest.mark.django_db
def test_r6_r14_erasure_deletes_saved_items_collections_and_their_follows(member, other):
    SavedItemFactory(member=member)
    private = CollectionFactory(owner=member, is_public=False)
    public = CollectionFactory(owner=member, is_public=True)
    CollectionItemFactory(collection=private, note="PRIVATE-NOTE")
    CollectionItemFactory(collection=public, note="PUBLIC-NOTE")
    services.collection_follow(collection=public, member=other)
    kept_saved = SavedItemFactory(member=other)
    kept_collection = CollectionFactory(owner=other, is_public=True)
    kept_item = CollectionItemFactory(collection=kept_collection)

    account_services.member_erase(member=member)

    assert list(SavedItem.objects.all()) == [kept_saved]
    assert list(Collection.objects.all()) == [kept_collection]
    assert list(CollectionItem.objects.all()) == [kept_item]
    assert other.follows.count() == 0
