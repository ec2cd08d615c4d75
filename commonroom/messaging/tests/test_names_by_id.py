"""Issue 12 item 3: writing to, blocking and unblocking a member by id shows
a name only when the profile page would (accounts.selectors.members_visible_to),
or when the member already sees it: a conversation partner, a member they
blocked. Otherwise the same answer as for an id nobody has."""

import pytest
from django.test import Client

from commonroom.accounts.models import Member
from commonroom.messaging.models import Block, Conversation, Message
from commonroom.messaging.tests.factories import colleague, conversation_with
from commonroom.people.tests.factories import INVISIBLE_KINDS, invisible

pytestmark = pytest.mark.django_db

NEUTRAL = "This member cannot receive your message."


def signed_in(member: Member) -> Client:
    client = Client()
    client.force_login(member)
    return client


@pytest.fixture
def anne() -> Member:
    return colleague(first_name="Anne", last_name="Peeters")


@pytest.fixture
def anne_client(anne: Member) -> Client:
    return signed_in(anne)


def name_of(kind: str) -> str:
    return f"Secret {kind.capitalize()}"


@pytest.mark.parametrize("kind", INVISIBLE_KINDS)
def test_item3_compose_link_with_an_invisible_id_shows_no_name(anne_client, kind):
    other = invisible(kind)
    response = anne_client.get(f"/messages/new/?to={other.pk}")
    assert response.status_code == 200
    html = response.content.decode()
    assert name_of(kind) not in html
    assert f'value="{other.pk}"' not in html


@pytest.mark.parametrize("kind", INVISIBLE_KINDS)
def test_item3_compose_to_an_invisible_id_says_cannot_receive(anne_client, kind):
    other = invisible(kind)
    response = anne_client.post("/messages/new/", {"to": [other.pk], "body": "Hello there"})
    assert response.status_code == 400
    html = response.content.decode()
    assert NEUTRAL in html
    assert name_of(kind) not in html
    assert Conversation.objects.count() == 0
    assert Message.objects.count() == 0


@pytest.mark.parametrize("kind", INVISIBLE_KINDS)
def test_item3_block_by_an_invisible_id_is_404_and_blocks_nobody(anne_client, kind):
    other = invisible(kind)
    response = anne_client.post(f"/messages/block/{other.pk}/", follow=True)
    assert response.status_code == 404
    assert name_of(kind) not in response.content.decode()
    assert Block.objects.count() == 0


@pytest.mark.parametrize("kind", INVISIBLE_KINDS)
def test_item3_unblock_by_an_invisible_id_is_404(anne_client, kind):
    other = invisible(kind)
    response = anne_client.post(f"/messages/unblock/{other.pk}/", follow=True)
    assert response.status_code == 404
    assert name_of(kind) not in response.content.decode()


@pytest.mark.parametrize("kind", ["hidden", "suspended", "erased"])
def test_item3_a_conversation_partner_can_be_blocked_whatever_their_profile(
    anne, anne_client, kind
):
    other = invisible(kind)
    conversation_with(other, anne)
    response = anne_client.post(f"/messages/block/{other.pk}/", follow=True)
    assert response.status_code == 200
    assert f"You have blocked {name_of(kind)}." in response.content.decode()
    assert list(Block.objects.values_list("blocker", "blocked")) == [(anne.pk, other.pk)]


def test_item3_a_blocked_member_who_hid_their_profile_can_be_unblocked(anne, anne_client):
    other = invisible("hidden")
    Block.objects.create(blocker=anne, blocked=other)
    response = anne_client.post(f"/messages/unblock/{other.pk}/", follow=True)
    assert response.status_code == 200
    assert "You have unblocked Secret Hidden." in response.content.decode()
    assert Block.objects.count() == 0


def test_item3_a_conversation_of_someone_else_does_not_make_a_member_known(anne_client):
    other = invisible("hidden")
    conversation_with(other, colleague())
    assert anne_client.post(f"/messages/block/{other.pk}/").status_code == 404
    assert Block.objects.count() == 0


def test_item3_recipient_search_leaves_out_unverified_and_suspended_members(anne_client):
    for kind in INVISIBLE_KINDS:
        invisible(kind)
    visible = colleague(first_name="Secret", last_name="Visible")
    html = anne_client.get("/messages/new/?q=Secret&search=1").content.decode()
    assert "Secret Visible" in html
    assert f'value="{visible.pk}"' in html
    for kind in INVISIBLE_KINDS:
        assert name_of(kind) not in html
