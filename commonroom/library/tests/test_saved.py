import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from commonroom.library import selectors
from commonroom.library.models import SavedItem
from commonroom.library.tests.conftest import queries_for
from commonroom.library.tests.factories import CollectionFactory, SavedItemFactory
from commonroom.resources.models import State
from commonroom.resources.tests.factories import PublishedResourceFactory, ResourceFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.mark.django_db
def test_r14_save_with_a_plain_post_returns_to_next(member, member_client):
    resource = PublishedResourceFactory(title="Volcanoes")
    response = member_client.post(
        f"/library/saved/{resource.pk}/save/", {"next": resource.get_absolute_url()}
    )
    assert response.status_code == 302
    assert response["Location"] == resource.get_absolute_url()
    assert list(SavedItem.objects.values_list("member_id", "resource_id")) == [
        (member.pk, resource.pk)
    ]
    page = member_client.get(response["Location"]).content.decode()
    assert "“Volcanoes” is saved." in page


@pytest.mark.django_db
def test_r14_save_twice_keeps_one_row(member, member_client):
    resource = PublishedResourceFactory()
    for _ in range(2):
        member_client.post(f"/library/saved/{resource.pk}/save/")
    assert SavedItem.objects.filter(member=member, resource=resource).count() == 1


@pytest.mark.django_db
def test_r14_save_refuses_an_offsite_next(member_client):
    resource = PublishedResourceFactory()
    response = member_client.post(
        f"/library/saved/{resource.pk}/save/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == resource.get_absolute_url()


@pytest.mark.django_db
def test_r14_save_with_htmx_returns_the_button_saved_and_the_count(member, member_client):
    resource = PublishedResourceFactory()
    SavedItemFactory(resource=resource)
    response = member_client.post(
        f"/library/saved/{resource.pk}/save/", {"next": "/resources/"}, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html  # a fragment, not a page
    assert f'hx-post="/library/saved/{resource.pk}/unsave/"' in html
    assert "Saved</button>" not in html  # the hidden label follows the visible one
    assert "★</span> Saved<span" in html
    assert "Saved by 2 members" in html
    assert 'name="next" value="/resources/"' in html


@pytest.mark.django_db
def test_r14_unsave_with_htmx_and_with_a_plain_post(member, member_client):
    resource = PublishedResourceFactory(title="Volcanoes")
    SavedItemFactory(member=member, resource=resource)
    response = member_client.post(f"/library/saved/{resource.pk}/unsave/", **HTMX)
    html = response.content.decode()
    assert f'hx-post="/library/saved/{resource.pk}/save/"' in html
    assert "Not saved by anyone yet" in html
    assert not SavedItem.objects.exists()

    SavedItemFactory(member=member, resource=resource)
    response = member_client.post(
        f"/library/saved/{resource.pk}/unsave/", {"next": "/library/saved/"}
    )
    assert response["Location"] == "/library/saved/"
    assert not SavedItem.objects.exists()


@pytest.mark.django_db
def test_r14_unpublished_resources_cannot_be_saved(member_client):
    draft = ResourceFactory()
    response = member_client.post(f"/library/saved/{draft.pk}/save/")
    assert response.status_code == 404
    assert not SavedItem.objects.exists()


@pytest.mark.django_db
def test_r14_a_saved_resource_taken_offline_can_still_be_unsaved(member, member_client):
    resource = PublishedResourceFactory(title="Old worksheet")
    SavedItemFactory(member=member, resource=resource)
    resource.state = State.WITHDRAWN
    resource.save()
    page = member_client.get("/library/saved/").content.decode()
    assert "No longer available" in page
    response = member_client.post(f"/library/saved/{resource.pk}/unsave/")
    assert response.status_code == 302
    assert not SavedItem.objects.exists()


@pytest.mark.django_db
def test_r14_visitors_are_sent_to_sign_in(client):
    resource = PublishedResourceFactory()
    response = client.post(f"/library/saved/{resource.pk}/save/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get("/library/saved/").status_code == 302
    assert not SavedItem.objects.exists()


@pytest.mark.django_db
def test_r14_my_saved_page_lists_only_my_saved_resources(member, member_client, other):
    mine = PublishedResourceFactory(title="Fractions with pizza")
    theirs = PublishedResourceFactory(title="Someone else's pick")
    SavedItemFactory(member=member, resource=mine)
    SavedItemFactory(member=other, resource=mine)
    SavedItemFactory(member=other, resource=theirs)
    page = member_client.get("/library/saved/").content.decode()
    assert "Fractions with pizza" in page
    assert "Someone else" not in page
    assert "Saved by 2 members" in page
    assert "1 saved resource." in page


@pytest.mark.django_db
def test_r14_my_saved_page_runs_in_a_fixed_number_of_queries(member, member_client):
    for _ in range(3):
        SavedItemFactory(member=member)
    few = queries_for(member_client, "/library/saved/")
    for _ in range(21):
        SavedItemFactory(member=member)
    many = queries_for(member_client, "/library/saved/")
    assert SavedItem.objects.filter(member=member).count() == 24
    assert few == many
    assert many <= 10


@pytest.mark.django_db
def test_r14_save_state_is_one_query(member, other, django_assert_num_queries):
    resource = PublishedResourceFactory()
    SavedItemFactory(member=other, resource=resource)
    with django_assert_num_queries(1):
        assert selectors.save_state(member, resource) == (False, 1)
    SavedItemFactory(member=member, resource=resource)
    with django_assert_num_queries(1):
        assert selectors.save_state(member, resource) == (True, 2)


def _render_actions(user, resource):
    request = RequestFactory().get(resource.get_absolute_url())
    request.user = user
    return render_to_string(
        "library/_resource_actions.html", {"resource": resource}, request=request
    )


@pytest.mark.django_db
def test_r13_r14_resource_actions_cost_two_queries_for_members(member, other):
    resource = PublishedResourceFactory(title="Volcanoes")
    SavedItemFactory(member=other, resource=resource)
    SavedItemFactory(member=member, resource=resource)
    CollectionFactory(owner=member, title="Geography week", is_public=False)
    _render_actions(member, resource)  # content types and templates warm
    with CaptureQueriesContext(connection) as queries:
        html = _render_actions(member, resource)
    assert len(queries) == 2
    assert "Saved by 2 members" in html
    assert f'action="/library/saved/{resource.pk}/unsave/"' in html
    assert '<option value="">A new collection…</option>' in html
    assert "Geography week</option>" in html
    assert f"http://testserver{resource.get_absolute_url()}" in html
    assert (
        f"&lt;iframe src=&quot;http://testserver/library/embed/resource/{resource.pk}/&quot; "
        "title=&quot;Volcanoes&quot;"
    ) in html
    assert f'href="/messages/new/?resource={resource.pk}"' in html


@pytest.mark.django_db
def test_r13_resource_actions_for_visitors_show_the_count_and_sign_in():
    resource = PublishedResourceFactory()
    SavedItemFactory(resource=resource)
    with CaptureQueriesContext(connection) as queries:
        html = _render_actions(AnonymousUser(), resource)
    assert len(queries) == 1
    assert "Saved by 1 member" in html
    assert "Sign in to save" in html
    assert "Add to a collection" not in html
    assert "/messages/new/" not in html


@pytest.mark.django_db
def test_r13_resource_actions_are_not_shown_for_unpublished_resources(member):
    html = _render_actions(member, ResourceFactory(author=member))
    assert html.strip() == ""
