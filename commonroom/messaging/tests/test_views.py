"""Messaging pages end to end: who reads what (404 for outsiders), the
compose form with anti-spam refusals, blocking, and bounded queries."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commonroom.accounts.models import ProfileVisibility
from commonroom.messaging.models import Block, Conversation, Message, Participant
from commonroom.messaging.tests.factories import colleague, conversation_with
from commonroom.notifications.models import Notification

pytestmark = pytest.mark.django_db

NEUTRAL = "This member cannot receive your message."


def signed_in(member) -> Client:
    client = Client()
    client.force_login(member)
    return client


@pytest.fixture
def anne():
    return colleague(first_name="Anne", last_name="Peeters")


@pytest.fixture
def bram():
    return colleague(first_name="Bram", last_name="Claes")


@pytest.fixture
def anne_client(anne) -> Client:
    return signed_in(anne)


def test_r2_visitors_are_sent_to_sign_in(client):
    for url in ("/messages/", "/messages/new/", "/messages/blocked/", "/messages/1/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


def test_r18_compose_from_a_profile_link_and_send(anne_client, anne, bram):
    page = anne_client.get(f"/messages/new/?to={bram.pk}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Bram Claes" in html
    assert f'value="{bram.pk}"' in html
    assert "only for constructive purposes" in html
    assert "not public" in html

    response = anne_client.post("/messages/new/", {"to": [bram.pk], "body": "Hi Bram, a question"})
    conversation = Conversation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/messages/{conversation.pk}/"
    assert Message.objects.get().body == "Hi Bram, a question"
    assert Notification.objects.filter(recipient=bram, kind="new_message").count() == 1


def test_r18_find_a_recipient_by_name_keeping_the_typed_text(anne_client, anne, bram):
    hidden = colleague(first_name="Bram", last_name="Hidden")
    hidden.profile.visibility = ProfileVisibility.HIDDEN
    hidden.profile.save()
    colleague(first_name="Bram", last_name="Gone", is_active=False)
    response = anne_client.post(
        "/messages/new/", {"q": "bram", "search": "1", "body": "Draft text kept"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bram Claes" in html
    assert "Bram Hidden" not in html
    assert "Bram Gone" not in html
    assert "Draft text kept" in html
    assert Message.objects.count() == 0


def test_r18_a_search_without_match_says_so(anne_client, bram):
    response = anne_client.post(
        "/messages/new/", {"q": "Zebedeus", "search": "1", "to": [bram.pk], "body": ""}
    )
    html = response.content.decode()
    assert "No member found for “Zebedeus”." in html
    assert "Bram Claes" in html  # the chosen recipient stays
    sent = anne_client.post("/messages/new/", {"q": "bram", "to": [bram.pk], "body": "Hi"})
    assert sent.status_code == 302


def test_r18_several_recipients_in_one_conversation(anne_client, bram):
    carla = colleague(first_name="Carla")
    response = anne_client.post("/messages/new/", {"to": [bram.pk, carla.pk], "body": "Hello both"})
    assert response.status_code == 302
    conversation = Conversation.objects.get()
    assert conversation.participants.count() == 3


def test_r18_inbox_shows_unread_counts_and_opening_reads(anne, bram):
    conversation = conversation_with(bram, anne, messages=3)
    client = signed_in(anne)
    inbox = client.get("/messages/").content.decode()
    assert "Bram Claes" in inbox
    assert "3 unread" in inbox
    page = client.get(f"/messages/{conversation.pk}/")
    assert page.status_code == 200
    assert page.content.decode().count('class="badge badge-warn">new<') == 3
    assert Participant.objects.get(member=anne).last_read_at is not None
    assert "unread" not in client.get("/messages/").content.decode()


def test_r18_reply(anne, bram):
    conversation = conversation_with(bram, anne)
    response = signed_in(anne).post(f"/messages/{conversation.pk}/", {"body": "Thanks!"})
    reply = Message.objects.get(sender=anne)
    assert response.status_code == 302
    assert response["Location"] == f"/messages/{conversation.pk}/#message-{reply.pk}"


def test_r18_body_is_plain_text_with_links_made_nofollow(anne, bram):
    conversation = conversation_with(bram, anne, messages=0)
    Message.objects.create(
        conversation=conversation,
        sender=bram,
        body="<script>alert(1)</script>\nSee https://example.org/page",
    )
    html = signed_in(anne).get(f"/messages/{conversation.pk}/").content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>" in html
    assert '<a href="https://example.org/page" rel="nofollow">https://example.org/page</a>' in html


def test_r18_another_conversation_is_not_found_by_changing_the_id(anne, bram, staff):
    private = conversation_with(bram, colleague(), messages=2)
    before = list(Participant.objects.values_list("pk", "last_read_at"))
    for client in (signed_in(anne), signed_in(staff)):
        assert client.get(f"/messages/{private.pk}/").status_code == 404
        response = client.post(f"/messages/{private.pk}/", {"body": "Hello strangers"})
        assert response.status_code == 404
        message = private.messages.first()
        assert client.get(f"/messages/message/{message.pk}/report/").status_code == 404
    assert Message.objects.filter(conversation=private).count() == 2
    assert list(Participant.objects.values_list("pk", "last_read_at")) == before


def test_r20_the_same_text_to_five_members_one_by_one(anne_client, anne):
    text = "Join my paid webinar on classroom management!"
    statuses = []
    for _ in range(5):
        recipient = colleague()
        response = anne_client.post("/messages/new/", {"to": [recipient.pk], "body": text})
        statuses.append(response.status_code)
    assert statuses == [302, 302, 400, 400, 400]
    assert Message.objects.count() == 2
    html = response.content.decode()
    assert "Repeating the same message is not allowed" in html
    assert text in html  # the typed text is kept


def test_r20_flooding_answers_429(anne_client, bram, settings, start_of_a_minute):
    settings.POST_RATE_LIMITS = {**settings.POST_RATE_LIMITS, "message": "2/m"}
    anne_client.post("/messages/new/", {"to": [bram.pk], "body": "one"})
    conversation = Conversation.objects.get()
    assert anne_client.post(f"/messages/{conversation.pk}/", {"body": "two"}).status_code == 302
    response = anne_client.post(f"/messages/{conversation.pk}/", {"body": "three and more"})
    assert response.status_code == 429
    assert "You are posting very quickly" in response.content.decode()
    assert "three and more" in response.content.decode()
    assert Message.objects.count() == 2


def test_r20_held_link_from_a_new_account_is_invisible_to_the_recipient(bram):
    newcomer = colleague(first_name="New", date_joined=timezone.now())
    response = signed_in(newcomer).post(
        "/messages/new/",
        {"to": [bram.pk], "body": "Free stuff at www.deals.example.com"},
        follow=True,
    )
    conversation = Conversation.objects.get()
    html = response.content.decode()
    assert "waits for a moderator because it contains a link" in html
    assert "www.deals.example.com" in html  # the sender sees it
    bram_client = signed_in(bram)
    assert "deals" not in bram_client.get("/messages/").content.decode()
    assert bram_client.get(f"/messages/{conversation.pk}/").status_code == 404
    assert not Notification.objects.filter(recipient=bram).exists()


def test_r22_blocked_member_gets_the_same_text_as_for_an_unknown_member(anne_client, anne, bram):
    Block.objects.create(blocker=bram, blocked=anne)
    blocked = anne_client.post("/messages/new/", {"to": [bram.pk], "body": "Please answer me"})
    unknown = anne_client.post("/messages/new/", {"to": [987654], "body": "Please answer me"})
    assert blocked.status_code == unknown.status_code == 400
    assert NEUTRAL in blocked.content.decode()
    assert NEUTRAL in unknown.content.decode()
    assert "block" not in blocked.content.decode().lower().replace("blocked members", "")
    assert Message.objects.count() == 0
    assert not Notification.objects.filter(recipient=bram).exists()


def test_r22_blocked_member_cannot_reply_and_is_not_told(anne, bram):
    conversation = conversation_with(anne, bram)
    signed_in(anne).post(f"/messages/block/{bram.pk}/", {"next": f"/messages/{conversation.pk}/"})
    assert Block.objects.filter(blocker=anne, blocked=bram).exists()
    bram_client = signed_in(bram)
    page = bram_client.get(f"/messages/{conversation.pk}/").content.decode()
    assert "blocked" not in page
    response = bram_client.post(f"/messages/{conversation.pk}/", {"body": "Still there?"})
    assert response.status_code == 400
    assert NEUTRAL in response.content.decode()
    assert Message.objects.count() == 1
    assert not Notification.objects.filter(recipient=anne).exists()


def test_r22_block_and_unblock_from_the_pages(anne_client, anne, bram):
    response = anne_client.post(f"/messages/block/{bram.pk}/", {"next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == "/messages/blocked/"
    blocked_page = anne_client.get("/messages/blocked/").content.decode()
    assert "Bram Claes" in blocked_page
    anne_client.post(f"/messages/unblock/{bram.pk}/")
    assert not Block.objects.exists()
    assert anne_client.get(f"/messages/block/{bram.pk}/").status_code == 405
    assert anne_client.post(f"/messages/block/{anne.pk}/").status_code == 404


def test_r18_inbox_runs_in_a_fixed_number_of_queries(anne):
    def count_for(conversations: int) -> int:
        Conversation.objects.all().delete()
        for _ in range(conversations):
            conversation_with(colleague(), anne, colleague(), messages=2)
        client = signed_in(anne)
        client.get("/messages/blocked/")  # per-session work (terms, session) done once
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/messages/")
        assert response.status_code == 200
        assert response.content.decode().count("conversation-item") == min(conversations, 25)
        return len(queries)

    few, many = count_for(2), count_for(20)
    assert few == many
    assert many <= 9  # 3 for the page; the rest is session, member, header


def test_r18_conversation_runs_in_a_fixed_number_of_queries(anne):
    def count_for(messages: int) -> int:
        other, third = colleague(), colleague()
        conversation = conversation_with(other, anne, third, messages=messages)
        client = signed_in(anne)
        client.get("/messages/blocked/")  # per-session work (terms, session) done once
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/messages/{conversation.pk}/")
        assert response.status_code == 200
        assert response.content.decode().count('class="thread-message') == messages
        return len(queries)

    few, many = count_for(2), count_for(20)
    assert few == many
    assert many <= 14  # 8 for the page: 4 reads, 2 writes in a savepoint


def test_r18_long_conversations_are_paged(anne, bram):
    conversation = conversation_with(bram, anne, messages=55)
    client = signed_in(anne)
    html = client.get(f"/messages/{conversation.pk}/").content.decode()
    assert html.count('class="thread-message') == 50
    assert "Message number 54 about" in html
    assert "Message number 4 about" not in html
    oldest_shown = Message.objects.get(body="Message number 5 about fractions")
    older = client.get(f"/messages/{conversation.pk}/?before={oldest_shown.pk}").content.decode()
    assert older.count('class="thread-message') == 5
    assert "Message number 0 about" in older


@pytest.mark.django_db
def test_r13_send_a_resource_to_a_colleague_starts_with_its_link(member_client):
    from commonroom.resources.tests.factories import PublishedResourceFactory

    resource = PublishedResourceFactory(title="Leaf worksheet")
    content = member_client.get(f"/messages/new/?resource={resource.pk}").content.decode()
    assert "I thought this could be useful for you: “Leaf worksheet”" in content
    assert f"http://testserver{resource.get_absolute_url()}" in content
