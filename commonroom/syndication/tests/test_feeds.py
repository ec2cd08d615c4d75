"""Issue 18 item 3: Atom feeds, read with feedparser as a feed reader would."""

from __future__ import annotations

from typing import Any

import feedparser
import pytest
from django.test import Client

from commonroom.accounts.models import Member, Profile
from commonroom.moderation.lifecycle import State
from commonroom.organisations.models import OrganisationResource
from commonroom.organisations.tests import factories as organisation_factories
from commonroom.resources.tests.factories import PublishedResourceFactory, ResourceFactory
from commonroom.staffroom.models import Post
from commonroom.staffroom.tests import factories as staffroom_factories

pytestmark = pytest.mark.django_db


def feed(client: Client, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def titles(parsed: Any) -> list[str]:
    return [entry.title for entry in parsed.entries]


@pytest.fixture
def mix() -> dict[str, Any]:
    """Published resources and ones no feed may show."""
    author = PublishedResourceFactory(title="Author's first", subjects=["mathematics"]).author
    PublishedResourceFactory(title="Author's second", author=author, subjects=["languages"])
    PublishedResourceFactory(title="Someone else's", subjects=["mathematics"])
    ResourceFactory(title="A draft", author=author, subjects=["mathematics"])
    ResourceFactory(title="Withdrawn", author=author, state=State.WITHDRAWN)
    ResourceFactory(title="Hidden", author=author, state=State.REMOVED, subjects=["mathematics"])
    return {"author": author}


def test_item3_the_new_resources_feed_lists_exactly_the_published_ones(client, mix):
    parsed = feed(client, "/feeds/resources/")
    assert parsed.feed.title == "New learning resources"
    assert sorted(titles(parsed)) == ["Author's first", "Author's second", "Someone else's"]
    entry = next(e for e in parsed.entries if e.title == "Author's first")
    assert entry.link.startswith("http://testserver/resources/")
    assert entry.author == mix["author"].display_name
    assert entry.summary == "A worksheet that introduces fractions by sharing pizzas."
    assert entry.published_parsed is not None


def test_item3_the_subject_feed_lists_that_subjects_published_resources(client, mix):
    parsed = feed(client, "/feeds/resources/subject/mathematics/")
    assert sorted(titles(parsed)) == ["Author's first", "Someone else's"]
    assert client.get("/feeds/resources/subject/no-such-subject/").status_code == 404


def test_item3_the_member_feed_lists_their_published_resources(client, mix):
    author: Member = mix["author"]
    Profile.objects.update_or_create(member=author, defaults={"visibility": "public"})
    parsed = feed(client, f"/feeds/resources/member/{author.pk}/")
    assert sorted(titles(parsed)) == ["Author's first", "Author's second"]
    assert author.display_name in parsed.feed.title


def test_item3_a_member_whose_profile_is_for_members_only_has_no_feed(client, mix):
    author: Member = mix["author"]
    Profile.objects.update_or_create(member=author, defaults={"visibility": "members"})
    assert client.get(f"/feeds/resources/member/{author.pk}/").status_code == 404


def test_item3_the_organisation_feed_lists_resources_published_under_it(client, mix):
    organisation = organisation_factories.organisation(name="Leerpunt", admin=mix["author"])
    for resource in mix["author"].resources.all():
        OrganisationResource.objects.create(organisation=organisation, resource=resource)
    parsed = feed(client, f"/feeds/organisations/{organisation.pk}/resources/")
    assert sorted(titles(parsed)) == ["Author's first", "Author's second"]
    # Excluded by staff: its feed goes with its page (R24).
    organisation.state = State.REMOVED
    organisation.save()
    assert client.get(f"/feeds/organisations/{organisation.pk}/resources/").status_code == 404


def test_item3_the_staffroom_category_feed_lists_its_visible_threads(client):
    board = staffroom_factories.category(slug="wiskunde")
    staffroom_factories.thread(board=board, title="Breuken?")
    staffroom_factories.thread(board=board, title="Delen?")
    held = staffroom_factories.thread(board=board, title="Held back")
    Post.objects.filter(pk=held.opening_post_id).update(held=True)
    staffroom_factories.thread(title="Another board")
    parsed = feed(client, "/feeds/staffroom/wiskunde/")
    assert sorted(titles(parsed)) == ["Breuken?", "Delen?"]
    assert parsed.entries[0].summary == "I start with halves. What do you do?"
    assert client.get("/feeds/staffroom/no-such-board/").status_code == 404
