"""Issue 13 item 11 (a): a profile's "About" section is headed as being about
the member, not with the resource page's heading."""

import pytest

from commonroom.accounts.models import ProfileVisibility
from commonroom.people.tests.factories import person


@pytest.mark.django_db
def test_item11_a_profile_heading_names_the_member(client):
    anna = person(
        first_name="Anna",
        last_name="Peeters",
        visibility=ProfileVisibility.PUBLIC,
        bio="I teach Dutch and history.",
    )
    html = client.get(f"/people/{anna.pk}/").content.decode()
    assert '<h2 id="about-title">About Anna</h2>' in html


@pytest.mark.django_db
def test_item11_a_profile_heading_in_dutch_is_not_the_resource_heading(client):
    anna = person(
        first_name="Anna",
        last_name="Peeters",
        visibility=ProfileVisibility.PUBLIC,
        bio="Ik geef Nederlands.",
    )
    html = client.get(f"/people/{anna.pk}/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert '<h2 id="about-title">Over Anna</h2>' in html
    assert "Over dit lesmateriaal" not in html
