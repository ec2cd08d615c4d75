import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commonroom.library import services
from commonroom.library.models import Collection, CollectionItem
from commonroom.library.tests.factories import CollectionFactory, CollectionItemFactory
from commonroom.resources.tests.factories import PublishedResourceFactory, ResourceFactory


def snapshot(collection: Collection) -> tuple:
    collection.refresh_from_db()
    items = tuple(collection.items.order_by("pk").values_list("resource_id", "position", "note"))
    return (collection.title, collection.description, collection.is_public, items)


@pytest.mark.django_db
def test_r14_create_a_collection(member, member_client):
    response = member_client.post(
        "/library/collections/new/",
        {"title": "  Fractions week ", "description": "For *group 5*.", "is_public": "on"},
    )
    collection = Collection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/library/collections/{collection.pk}-fractions-week/"
    assert (collection.owner, collection.title, collection.slug, collection.is_public) == (
        member,
        "Fractions week",
        "fractions-week",
        True,
    )
    page = member_client.get(response["Location"]).content.decode()
    assert "<p>For <em>group 5</em>.</p>" in page


@pytest.mark.django_db
def test_r14_a_collection_needs_a_title(member_client):
    response = member_client.post("/library/collections/new/", {"title": ""})
    assert response.status_code == 400
    assert not Collection.objects.exists()


@pytest.mark.django_db
def test_r14_description_markdown_is_sanitised(member, member_client):
    collection = CollectionFactory(
        owner=member, description="<script>alert(1)</script> [x](javascript:alert(1))"
    )
    page = member_client.get(collection.get_absolute_url()).content.decode()
    assert "<script>alert" not in page
    assert 'href="javascript:' not in page


@pytest.mark.django_db
def test_r14_edit_a_collection(member, member_client):
    collection = CollectionFactory(owner=member, title="Draft list", is_public=False)
    response = member_client.post(
        f"/library/collections/{collection.pk}/edit/",
        {"title": "Rivers and seas", "description": "", "is_public": "on"},
    )
    assert response.status_code == 302
    collection.refresh_from_db()
    assert (collection.title, collection.slug, collection.is_public) == (
        "Rivers and seas",
        "rivers-and-seas",
        True,
    )
    assert response["Location"] == collection.get_absolute_url()


@pytest.mark.django_db
def test_r14_old_slugs_redirect_to_the_current_address(member, client):
    collection = CollectionFactory(owner=member, title="Rivers")
    response = client.get(f"/library/collections/{collection.pk}-old-name/")
    assert response.status_code == 301
    assert response["Location"] == collection.get_absolute_url()
    assert client.get(f"/library/collections/{collection.pk}/").status_code == 302


@pytest.mark.django_db
def test_r14_delete_a_collection_keeps_the_resources(member, member_client, other):
    collection = CollectionFactory(owner=member)
    item = CollectionItemFactory(collection=collection)
    services.collection_follow(collection=collection, member=other)
    response = member_client.post(
        f"/library/collections/{collection.pk}/delete/", {"confirm": "on"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/library/collections/"
    assert not Collection.objects.exists()
    assert not CollectionItem.objects.exists()
    assert other.follows.count() == 0
    item.resource.refresh_from_db()  # still there


@pytest.mark.django_db
def test_r14_delete_needs_the_confirmation(member, member_client):
    collection = CollectionFactory(owner=member)
    response = member_client.post(f"/library/collections/{collection.pk}/delete/", {})
    assert response.status_code == 400
    assert Collection.objects.filter(pk=collection.pk).exists()


@pytest.mark.django_db
def test_r14_my_collections_page_lists_mine_and_those_i_follow(member, member_client, other):
    CollectionFactory(owner=member, title="My private list", is_public=False)
    followed = CollectionFactory(owner=other, title="Bram's history picks")
    CollectionFactory(owner=other, title="Not followed")
    CollectionItemFactory(collection=followed)
    services.collection_follow(collection=followed, member=member)
    page = member_client.get("/library/collections/").content.decode()
    assert "My private list" in page
    assert "Bram&#x27;s history picks" in page
    assert "By Bram Claes · 1 resource" in page
    assert "Not followed" not in page


@pytest.mark.django_db
def test_r14_private_collections_are_404_for_everyone_but_the_owner(
    member, member_client, other_client, client, staff_client
):
    collection = CollectionFactory(owner=member, title="Secret plans", is_public=False)
    url = collection.get_absolute_url()
    assert member_client.get(url).status_code == 200
    for someone in (other_client, client, staff_client):
        assert someone.get(url).status_code == 404
        assert someone.get(f"/library/embed/collection/{collection.pk}/").status_code == 404
    assert other_client.get(f"/library/collections/{collection.pk}/edit/").status_code == 404


@pytest.mark.django_db
def test_r14_editing_another_members_collection_is_403_and_changes_nothing(
    member, other, other_client
):
    collection = CollectionFactory(owner=member, title="Mine", description="Keep", is_public=True)
    item = CollectionItemFactory(collection=collection, note="My note", position=1)
    CollectionItemFactory(collection=collection, position=2)
    before = snapshot(collection)
    base = f"/library/collections/{collection.pk}"
    attempts = [
        (f"{base}/edit/", {"title": "Hacked", "description": "", "is_public": ""}),
        (f"{base}/delete/", {"confirm": "on"}),
        (f"{base}/items/{item.pk}/move/", {"direction": "down"}),
        (f"{base}/items/{item.pk}/note/", {"note": "Hacked"}),
        (f"{base}/items/{item.pk}/remove/", {}),
    ]
    for url, data in attempts:
        assert other_client.get(url).status_code in (403, 405), url
        assert other_client.post(url, data).status_code == 403, url
    assert snapshot(collection) == before


@pytest.mark.django_db
def test_r14_adding_to_another_members_collection_is_refused(member, other, other_client):
    collection = CollectionFactory(owner=member)
    resource = PublishedResourceFactory()
    response = other_client.post(
        "/library/collections/add/", {"resource": resource.pk, "collection": collection.pk}
    )
    assert response.status_code == 400
    assert not CollectionItem.objects.exists()
    with pytest.raises(PermissionDenied):
        services.collection_item_add(collection=collection, resource=resource, by=other)


@pytest.mark.django_db
def test_r14_add_a_resource_from_its_page_to_a_collection_with_a_note(member, member_client):
    collection = CollectionFactory(owner=member, title="Space", is_public=False)
    first = CollectionItemFactory(collection=collection, position=1)
    resource = PublishedResourceFactory(title="The Moon")
    response = member_client.post(
        "/library/collections/add/",
        {
            "resource": resource.pk,
            "collection": collection.pk,
            "note": " Use with the lamp. ",
            "next": resource.get_absolute_url(),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == resource.get_absolute_url()
    assert list(collection.items.values_list("resource_id", "position", "note")) == [
        (first.resource_id, 1, ""),
        (resource.pk, 2, "Use with the lamp."),
    ]
    page = member_client.get(response["Location"]).content.decode()
    assert "“The Moon” is added to “Space”." in page


@pytest.mark.django_db
def test_r14_add_to_a_new_collection_named_on_the_spot(member, member_client):
    resource = PublishedResourceFactory()
    response = member_client.post(
        "/library/collections/add/", {"resource": resource.pk, "new_title": "Field trip"}
    )
    collection = Collection.objects.get()
    assert response["Location"] == collection.get_absolute_url()
    assert (collection.owner, collection.title, collection.is_public) == (
        member,
        "Field trip",
        False,
    )
    assert list(collection.items.values_list("resource_id", flat=True)) == [resource.pk]


@pytest.mark.django_db
def test_r14_add_without_collection_or_name_explains(member_client):
    resource = PublishedResourceFactory()
    response = member_client.post("/library/collections/add/", {"resource": resource.pk})
    assert response.status_code == 400
    assert "Choose a collection or give the new one a name." in response.content.decode()
    assert not Collection.objects.exists()


@pytest.mark.django_db
def test_r14_a_resource_is_in_a_collection_once(member, member_client):
    collection = CollectionFactory(owner=member, title="Space")
    item = CollectionItemFactory(collection=collection)
    response = member_client.post(
        "/library/collections/add/", {"resource": item.resource_id, "collection": collection.pk}
    )
    assert response.status_code == 400
    assert f"“{item.resource.title}” is already in “Space”." in response.content.decode()
    assert collection.items.count() == 1


@pytest.mark.django_db
def test_r14_unpublished_resources_cannot_be_collected(member, member_client):
    collection = CollectionFactory(owner=member)
    draft = ResourceFactory(author=member)
    response = member_client.post(
        "/library/collections/add/", {"resource": draft.pk, "collection": collection.pk}
    )
    assert response.status_code == 404
    with pytest.raises(ValidationError):
        services.collection_item_add(collection=collection, resource=draft, by=member)
    assert not CollectionItem.objects.exists()


@pytest.mark.django_db
def test_r14_move_items_up_and_down(member, member_client):
    collection = CollectionFactory(owner=member)
    a, b, c = (CollectionItemFactory(collection=collection, position=n) for n in (1, 2, 3))

    def order() -> list[int]:
        return list(collection.items.order_by("position", "pk").values_list("pk", flat=True))

    response = member_client.post(
        f"/library/collections/{collection.pk}/items/{c.pk}/move/", {"direction": "up"}
    )
    assert response["Location"] == f"{collection.get_absolute_url()}#item-{c.pk}"
    assert order() == [a.pk, c.pk, b.pk]
    member_client.post(
        f"/library/collections/{collection.pk}/items/{a.pk}/move/", {"direction": "down"}
    )
    assert order() == [c.pk, a.pk, b.pk]
    member_client.post(
        f"/library/collections/{collection.pk}/items/{c.pk}/move/", {"direction": "up"}
    )
    assert order() == [c.pk, a.pk, b.pk]  # already first
    assert sorted(collection.items.values_list("position", flat=True)) == [1, 2, 3]


@pytest.mark.django_db
def test_r14_edit_a_note_and_remove_an_item(member, member_client):
    collection = CollectionFactory(owner=member)
    item = CollectionItemFactory(collection=collection, note="Old")
    other_item = CollectionItemFactory(collection=collection)
    base = f"/library/collections/{collection.pk}/items"
    response = member_client.post(f"{base}/{item.pk}/note/", {"note": "Works well in pairs."})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.note == "Works well in pairs."

    response = member_client.post(f"{base}/{item.pk}/note/", {"note": "x" * 501})
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.note == "Works well in pairs."

    response = member_client.post(f"{base}/{item.pk}/remove/")
    assert response.status_code == 302
    assert list(collection.items.values_list("pk", flat=True)) == [other_item.pk]
