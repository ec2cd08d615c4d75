import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from commonroom.library import selectors
from commonroom.library.tests.conftest import queries_for
from commonroom.library.tests.factories import CollectionFactory, CollectionItemFactory
from commonroom.resources.models import State
from commonroom.resources.tests.factories import PublishedResourceFactory, ResourceFactory


@pytest.fixture
def collection(member):
    return CollectionFactory(
        owner=member, title="Space week", description="Stars and planets.", is_public=True
    )


@pytest.mark.django_db
def test_r13_public_collection_page_shows_items_in_order_with_note_and_attribution(
    client, collection
):
    moon = PublishedResourceFactory(
        title="The Moon", author__first_name="Anna", author__last_name="Peeters"
    )
    mars = PublishedResourceFactory(
        title="Mars", author__first_name="Jan", author__last_name="Wouters"
    )
    CollectionItemFactory(collection=collection, resource=mars, position=2)
    CollectionItemFactory(
        collection=collection, resource=moon, position=1, note="Start with this one."
    )
    response = client.get(collection.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert '<h1 id="collection-title">Space week</h1>' in page
    assert f"Collected by {collection.owner.display_name}" in page
    assert "<p>Stars and planets.</p>" in page
    assert page.index("The Moon") < page.index("Mars")
    assert "Start with this one." in page
    for resource, author in ((moon, "Anna Peeters"), (mars, "Jan Wouters")):
        url = f"http://testserver{resource.get_absolute_url()}"
        assert (
            f'<cite>“{resource.title}”</cite> by {author}, <a href="{url}">{url}</a>, '
            'licensed under <a href="https://creativecommons.org/licenses/by/4.0/" '
            'rel="license">CC BY 4.0</a>.'
        ) in page
    assert page.count('class="attribution-line"') == 2


@pytest.mark.django_db
def test_r13_public_collection_page_hides_unpublished_items_from_others(
    client, other_client, member_client, collection
):
    CollectionItemFactory(collection=collection, resource=PublishedResourceFactory(title="Shown"))
    for state in (State.DRAFT, State.REMOVED, State.REMOVED_PENDING, State.WITHDRAWN):
        CollectionItemFactory(
            collection=collection, resource=ResourceFactory(title=f"Hidden {state}", state=state)
        )
    for viewer in (client, other_client):
        page = viewer.get(collection.get_absolute_url()).content.decode()
        assert "Shown" in page
        assert "Hidden" not in page
        assert page.count('class="attribution-line"') == 1
    owner_page = member_client.get(collection.get_absolute_url()).content.decode()
    assert owner_page.count("Not published at the moment") == 4


@pytest.mark.django_db
def test_r13_public_collection_page_has_share_link_and_embed_snippet(client, collection):
    page = client.get(collection.get_absolute_url()).content.decode()
    assert f'value="http://testserver{collection.get_absolute_url()}" readonly' in page
    assert (
        "&lt;iframe src=&quot;http://testserver/library/embed/collection/"
        f"{collection.pk}/&quot; title=&quot;Space week&quot;"
    ) in page


@pytest.mark.django_db
def test_r13_owner_sees_the_tools_others_do_not(member_client, other_client, collection):
    CollectionItemFactory(collection=collection)
    CollectionItemFactory(collection=collection)
    owner_page = member_client.get(collection.get_absolute_url()).content.decode()
    other_page = other_client.get(collection.get_absolute_url()).content.decode()
    assert "Move down" in owner_page
    assert f"/library/collections/{collection.pk}/edit/" in owner_page
    assert "Follow this collection" not in owner_page
    assert "Move down" not in other_page
    assert "/edit/" not in other_page
    assert "Follow this collection" in other_page


@pytest.mark.django_db
@pytest.mark.parametrize("viewer", ["visitor", "member", "owner"])
def test_r13_collection_page_runs_in_a_fixed_number_of_queries(
    viewer, collection, member_client, other_client
):
    browser = {"visitor": Client(), "member": other_client, "owner": member_client}[viewer]
    for _ in range(3):
        CollectionItemFactory(collection=collection)
    few = queries_for(browser, collection.get_absolute_url())
    for _ in range(27):
        CollectionItemFactory(collection=collection)
    many = queries_for(browser, collection.get_absolute_url())
    assert collection.items.count() == 30
    assert few == many
    assert many <= 10


@pytest.mark.django_db
def test_r13_embed_resource_page_may_be_framed_anywhere(client):
    resource = PublishedResourceFactory(
        title="The Moon", author__first_name="Anna", author__last_name="Peeters"
    )
    response = client.get(f"/library/embed/resource/{resource.pk}/")
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    directives = dict(
        d.strip().split(" ", 1) for d in response["Content-Security-Policy"].split(";")
    )
    assert directives["frame-ancestors"] == "*"
    assert directives["script-src"] == "'self'"
    page = response.content.decode()
    assert "The Moon" in page
    assert "By Anna Peeters" in page
    assert 'class="licence-badge licence-badge-small">CC BY 4.0</a>' in page
    assert "<cite>“The Moon”</cite> by Anna Peeters" in page
    assert f'href="http://testserver{resource.get_absolute_url()}"' in page
    assert "site-header" not in page
    assert "site-footer" not in page
    assert "<script" not in page


@pytest.mark.django_db
def test_r13_embed_collection_page_may_be_framed_and_shows_published_items(
    member_client, collection
):
    CollectionItemFactory(collection=collection, resource=PublishedResourceFactory(title="Shown"))
    CollectionItemFactory(collection=collection, resource=ResourceFactory(title="Hidden draft"))
    # Even the owner's browser shows what visitors see.
    response = member_client.get(f"/library/embed/collection/{collection.pk}/")
    assert "X-Frame-Options" not in response
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    page = response.content.decode()
    assert "Shown" in page
    assert "Hidden draft" not in page
    assert page.count('class="attribution-line"') == 1
    assert "site-header" not in page


@pytest.mark.django_db
def test_r13_embed_pages_refuse_unpublished_content(client):
    draft = ResourceFactory()
    private = CollectionFactory(is_public=False)
    assert client.get(f"/library/embed/resource/{draft.pk}/").status_code == 404
    assert client.get(f"/library/embed/collection/{private.pk}/").status_code == 404


@pytest.mark.django_db
def test_r13_other_pages_still_refuse_framing(client, collection):
    response = client.get(collection.get_absolute_url())
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_r13_items_for_visitors_skip_unpublished(collection):
    shown = CollectionItemFactory(collection=collection)
    CollectionItemFactory(collection=collection, resource=ResourceFactory())
    items = selectors.collection_items_for(collection, AnonymousUser())
    assert [i.pk for i in items] == [shown.pk]
