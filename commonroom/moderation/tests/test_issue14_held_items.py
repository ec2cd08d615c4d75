"""Issue 14 build item 2: held items (a new account's reaction or message with
a link, R20) open a review, so they reach the one moderation queue, where a
moderator decides them like any item; deciding them on their own pages
closes that review."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commonroom.accounts.tests.factories import MemberFactory
from commonroom.messaging import services as messaging_services
from commonroom.messaging.models import Message
from commonroom.messaging.tests.factories import conversation_with
from commonroom.moderation.models import Review
from commonroom.moderation.tests.factories import moderator
from commonroom.resources.tests.factories import PublishedResourceFactory
from commonroom.social import services as social_services
from commonroom.social.models import Reaction

pytestmark = pytest.mark.django_db

LINK = "Cheap essays at www.essays.example"


def _held_reaction() -> Reaction:
    reaction = social_services.reaction_post(
        resource=PublishedResourceFactory(),
        author=MemberFactory(date_joined=timezone.now()),
        body=LINK,
    )
    assert reaction.held
    return reaction


def _held_message() -> Message:
    sender = MemberFactory(date_joined=timezone.now())
    conversation = conversation_with(sender, MemberFactory())
    message = messaging_services.message_send(conversation=conversation, sender=sender, body=LINK)
    assert message.held
    return message


def _signed_in(member) -> Client:
    client = Client()
    client.force_login(member)
    return client


@pytest.mark.parametrize("make", [_held_reaction, _held_message])
def test_issue14_a_held_item_is_in_the_queue_and_published_from_its_review(make):
    item = make()
    review = Review.objects.about(item).get()
    client = _signed_in(moderator(language="en"))

    queue = client.get(reverse("moderation:queue"))
    assert [r.pk for r in queue.context["page"].object_list] == [review.pk]
    assert client.get(reverse("moderation:review", args=[review.pk])).status_code == 200
    client.post(reverse("moderation:queue"), {"claim": review.pk})
    response = client.post(
        reverse("moderation:review", args=[review.pk]),
        {"decide": "1", "decision-action": "publish", "decision-reason": ""},
    )

    assert response.status_code == 302
    item.refresh_from_db()
    review.refresh_from_db()
    assert (item.held, item.hidden_at, review.closed_at is not None) == (False, None, True)


def test_issue14_releasing_a_held_reaction_on_its_page_closes_its_review():
    reaction = _held_reaction()

    social_services.reaction_release(reaction=reaction, by=moderator())

    assert Review.objects.about(reaction).get().closed_at is not None


def test_issue14_rejecting_a_held_message_on_its_page_closes_its_review():
    message = _held_message()

    messaging_services.message_hide(message=message, by=moderator(), reason="Advertising")

    message.refresh_from_db()
    assert message.hidden_at is not None
    assert Review.objects.about(message).get().closed_at is not None
