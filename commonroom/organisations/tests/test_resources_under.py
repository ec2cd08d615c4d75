"""Resources published under an organisation (R17, R12, R24): listed on its
page, credited to both, in the feed of its followers; an excluded
organisation's name and feed items go at once."""

from __future__ import annotations

from typing import Any, cast

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from commonroom.accounts.models import Member
from commonroom.accounts.tests import factories as account_factories
from commonroom.organisations import resources_under, services
from commonroom.organisations.models import OrganisationResource
from commonroom.organisations.tests.factories import organisation
from commonroom.resources.models import Resource
from commonroom.resources.search import KEY as RESOURCE_KIND
from commonroom.resources.tests.factories import published_resource
from commonroom.search.facets import Filters
from commonroom.search.selectors import search_documents
from commonroom.search.services import search_index_sync
from commonroom.social import services as social_services
from commonroom.social.selectors import feed_for

pytestmark = pytest.mark.django_db


def _make(factory: Any, **kwargs: Any) -> Any:
    return factory(**kwargs)


def _member() -> Member:
    return cast(Member, _make(account_factories.MemberFactory))


def test_r17_an_administrator_publishes_a_resource_under_the_organisation() -> None:
    admin = _member()
    run = organisation(admin=admin)
    resource = published_resource(author=admin, title="Breuken met pizza")
    follower = _member()
    services.organisation_follow(organisation=run, by=follower)

    resources_under.resource_publish_under(organisation=run, resource=resource, by=admin)

    assert list(resources_under.resources_of(run)) == [resource]
    items = feed_for(follower)
    assert [(i.resource.title, i.because, i.note) for i in items] == [
        ("Breuken met pizza", "organisation", "Leerpunt Vorming")
    ]


def test_r17_the_resource_page_and_its_attribution_name_both(client: Client) -> None:
    admin = _member()
    run = organisation(admin=admin)
    resource = published_resource(author=admin, title="Breuken met pizza")
    resources_under.resource_publish_under(organisation=run, resource=resource, by=admin)

    html = client.get(resource.get_absolute_url()).content.decode()

    assert f'for <a href="/organisations/{run.pk}/">Leerpunt Vorming</a>' in html
    assert f"by {admin.display_name} (Leerpunt Vorming)" in html


def test_r17_only_an_administrator_and_only_with_their_own_resource() -> None:
    admin = _member()
    run = organisation(admin=admin)
    someone_elses = published_resource()
    outsider = _member()
    outsiders_own = published_resource(author=outsider)

    with pytest.raises(PermissionDenied):
        resources_under.resource_publish_under(organisation=run, resource=someone_elses, by=admin)
    with pytest.raises(PermissionDenied):
        resources_under.resource_publish_under(
            organisation=run, resource=outsiders_own, by=outsider
        )

    assert OrganisationResource.objects.count() == 0


def test_r24_exclusion_takes_the_name_and_the_feed_items_away_at_once(client: Client) -> None:
    admin = _member()
    run = organisation(admin=admin)
    resource = published_resource(author=admin, title="Breuken met pizza")
    resources_under.resource_publish_under(organisation=run, resource=resource, by=admin)
    follower = _member()
    services.organisation_follow(organisation=run, by=follower)

    services.organisation_exclude(
        organisation=run, by=_make(account_factories.StaffFactory), reason="Illegal."
    )

    assert feed_for(follower) == []
    html = client.get(resource.get_absolute_url()).content.decode()
    assert "Leerpunt Vorming" not in html


def _found_resources(text: str) -> list[str]:
    result = search_documents(text=text, filters=Filters(values={"type": (RESOURCE_KIND,)}))
    return sorted(hit.object.title for hit in result.hits)


def test_r24_resources_under_an_excluded_organisation_leave_search_and_feeds(
    django_capture_on_commit_callbacks: Any,
) -> None:
    admin = _member()
    run = organisation(admin=admin)
    resource = published_resource(author=admin, title="Breuken met pizza")
    own = published_resource(author=admin, title="Breuken zonder pizza")
    resources_under.resource_publish_under(organisation=run, resource=resource, by=admin)
    for r in (resource, own):
        search_index_sync(kind=RESOURCE_KIND, object_id=r.pk)
    follower = _member()
    social_services.follow(follower=follower, target=admin)
    assert _found_resources("breuken") == ["Breuken met pizza", "Breuken zonder pizza"]

    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_exclude(
            organisation=run, by=_make(account_factories.StaffFactory), reason="Illegal."
        )

    assert _found_resources("breuken") == ["Breuken zonder pizza"]
    assert [item.resource.title for item in feed_for(follower)] == ["Breuken zonder pizza"]
    assert list(Resource.objects.published().filter(author=admin)) == [own]


def test_r24_its_author_is_told_and_brings_it_back_under_their_own_name(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    admin = _member()
    run = organisation(admin=admin)
    resource = published_resource(author=admin, title="Breuken met pizza")
    resources_under.resource_publish_under(organisation=run, resource=resource, by=admin)
    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_exclude(
            organisation=run, by=_make(account_factories.StaffFactory), reason="Illegal."
        )
    release = reverse("organisations:resource_release", args=[resource.pk])

    client.force_login(admin)
    html = client.get(resource.get_absolute_url()).content.decode()
    assert "the organisation it is published under was excluded" in html
    assert f'action="{release}"' in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(release)

    assert response.status_code == 302
    assert response["Location"] == resource.get_absolute_url()
    assert not OrganisationResource.objects.filter(resource=resource).exists()
    assert _found_resources("breuken") == ["Breuken met pizza"]
    html = client.get(resource.get_absolute_url()).content.decode()
    assert "was excluded" not in html


def test_r24_nobody_else_takes_the_name_off_anothers_resource(client: Client) -> None:
    admin = _member()
    run = organisation(admin=admin)
    resource = published_resource(author=admin)
    resources_under.resource_publish_under(organisation=run, resource=resource, by=admin)

    client.force_login(_member())
    response = client.post(reverse("organisations:resource_release", args=[resource.pk]))

    assert response.status_code == 404
    assert OrganisationResource.objects.filter(resource=resource, organisation=run).exists()
