"""Resources published under an organisation (R17, R12, R24): listed on its
page, credited to both, in the feed of its followers; an excluded
organisation's name and feed items go at once."""

from __future__ import annotations

from typing import Any, cast

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from commonroom.accounts.models import Member
from commonroom.accounts.tests import factories as account_factories
from commonroom.organisations import resources_under, services
from commonroom.organisations.models import OrganisationResource
from commonroom.organisations.tests.factories import organisation
from commonroom.resources.tests.factories import published_resource
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
