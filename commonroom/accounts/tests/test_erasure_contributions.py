"""Issue 13 item 2 (R6, terms 3.1): after a member leaves, the Information
they added and that is not in their profile stays on the platform under
their name: their resources (page, search, downloads with the attribution),
their reactions and the messages they sent. What is seen as the member
(their profile page) is gone."""

import io
import zipfile
from typing import cast

import pytest
from django.test import Client

from commonroom.accounts.models import Member
from commonroom.accounts.services import member_erase
from commonroom.accounts.tests.factories import MemberFactory
from commonroom.messaging.models import Conversation
from commonroom.messaging.services import conversation_start
from commonroom.resources.models import State
from commonroom.resources.tests.factories import ResourceFileFactory, published_resource
from commonroom.search.services import search_index_sync
from commonroom.social.services import reaction_post

NAME = "Hanne Wouters"
REACTION = "Handy for my second graders, thank you."
MESSAGE = "Hello Ilse, may I adapt your worksheet for my class?"


class Left:
    """A member who published a resource, reacted and wrote, then left."""

    def __init__(self) -> None:
        self.author = cast(Member, MemberFactory(first_name="Hanne", last_name="Wouters"))
        self.reader = cast(Member, MemberFactory(first_name="Ilse", last_name="Peeters"))
        self.resource = published_resource(author=self.author, title="Quokka fractions worksheet")
        ResourceFileFactory(resource=self.resource, name="quokka.pdf")
        search_index_sync(kind="resource", object_id=self.resource.pk)
        self.readers_resource = published_resource(author=self.reader)
        reaction_post(resource=self.readers_resource, author=self.author, body=REACTION)
        self.conversation: Conversation = conversation_start(
            sender=self.author, recipients=[self.reader], body=MESSAGE
        )
        self.profile_url = f"/people/{self.author.pk}/"


@pytest.fixture
def left(django_capture_on_commit_callbacks) -> Left:
    with django_capture_on_commit_callbacks(execute=True):
        world = Left()
    with django_capture_on_commit_callbacks(execute=True):
        member_erase(member=world.author)
    return world


def signed_in(member: Member) -> Client:
    client = Client()
    client.force_login(member)
    return client


@pytest.mark.django_db
def test_item2_r6_the_resource_stays_online_under_the_authors_name(left, client):
    left.resource.refresh_from_db()
    assert left.resource.state == State.PUBLISHED
    assert left.resource.author.erased_at is not None

    page = client.get(left.resource.get_absolute_url())

    assert page.status_code == 200
    html = page.content.decode()
    assert "Quokka fractions worksheet" in html
    assert f"By {NAME}" in html
    # The member's profile is gone, and the page does not link to it.
    assert client.get(left.profile_url).status_code == 404
    assert f'href="{left.profile_url}"' not in html


@pytest.mark.django_db
def test_item2_r6_the_resource_is_still_found_and_downloaded_with_the_name(left, client):
    found = client.get("/search/", {"q": "quokka"})
    assert found.status_code == 200
    assert left.resource.get_absolute_url() in found.content.decode()

    reader = signed_in(left.reader)
    response = reader.get(f"/resources/{left.resource.pk}/download.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(archive.namelist()) == ["ATTRIBUTION.txt", "LICENSE.txt", "quokka.pdf"]
    assert (
        archive.read("ATTRIBUTION.txt")
        .decode()
        .startswith(f'"Quokka fractions worksheet" by {NAME}')
    )
    file = left.resource.files.get()
    single = reader.get(f"/resources/{left.resource.pk}/files/{file.pk}/quokka.pdf")
    assert single.status_code == 200


@pytest.mark.django_db
def test_item2_r6_reactions_keep_the_name(left, client):
    page = client.get(left.readers_resource.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert f"<strong>{NAME}</strong>" in html
    assert REACTION in html


@pytest.mark.django_db
def test_item2_r6_messages_keep_the_name_for_the_other_participant(left):
    page = signed_in(left.reader).get(f"/messages/{left.conversation.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f"<strong>{NAME}</strong>" in html
    assert MESSAGE in html
    inbox = signed_in(left.reader).get("/messages/").content.decode()
    assert NAME in inbox
