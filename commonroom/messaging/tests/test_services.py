"""Messaging services: conversations, anti-spam (R20), blocking (R22)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from commonroom.accounts.tests.factories import MemberFactory
from commonroom.core.models import PostFingerprint
from commonroom.messaging import selectors, services
from commonroom.messaging.models import Block, Conversation, Message, Participant
from commonroom.messaging.notifications import NEW_MESSAGE
from commonroom.messaging.tests.factories import colleague
from commonroom.notifications.models import Notification

pytestmark = pytest.mark.django_db

NEUTRAL = "This member cannot receive your message."


@pytest.fixture
def anne():
    return colleague(first_name="Anne", last_name="Peeters")


@pytest.fixture
def bram():
    return colleague(first_name="Bram", last_name="Claes")


def unread(member, conversation) -> int:
    return selectors.inbox_for(member).get(conversation=conversation).unread


def test_r18_start_a_conversation_with_several_members(anne, bram):
    carla = colleague()
    conversation = services.conversation_start(
        sender=anne, recipients=[bram, carla], body="  Shall we plan the science fair?  "
    )
    assert set(conversation.participants.values_list("member_id", flat=True)) == {
        anne.pk,
        bram.pk,
        carla.pk,
    }
    message = Message.objects.get(conversation=conversation)
    assert (message.sender, message.body, message.held) == (
        anne,
        "Shall we plan the science fair?",
        False,
    )
    assert unread(bram, conversation) == 1
    assert unread(carla, conversation) == 1
    assert unread(anne, conversation) == 0


def test_r18_each_recipient_is_notified_once_and_the_sender_not(anne, bram):
    conversation = services.conversation_start(sender=anne, recipients=[bram], body="Hello Bram")
    notes = Notification.objects.filter(kind=NEW_MESSAGE)
    assert list(notes.values_list("recipient", "title", "url")) == [
        (bram.pk, "New message from Anne Peeters", f"/messages/{conversation.pk}/")
    ]
    # While that notification is unread, more messages do not pile up more of them.
    services.message_send(conversation=conversation, sender=anne, body="Are you there?")
    assert notes.count() == 1
    services.conversation_mark_read(conversation=conversation, member=bram)
    assert notes.get().read_at is not None
    services.message_send(conversation=conversation, sender=anne, body="See you tomorrow")
    assert notes.filter(read_at__isnull=True).count() == 1


def test_r18_writing_again_to_the_same_member_continues_the_conversation(anne, bram):
    first = services.conversation_start(sender=anne, recipients=[bram], body="First question")
    again = services.conversation_start(sender=bram, recipients=[anne], body="Answer to you")
    assert again.pk == first.pk
    assert Conversation.objects.count() == 1
    assert Message.objects.filter(conversation=first).count() == 2
    group = services.conversation_start(sender=anne, recipients=[bram, colleague()], body="All")
    assert group.pk != first.pk


def test_r18_reply_and_read_state(anne, bram):
    conversation = services.conversation_start(sender=anne, recipients=[bram], body="One")
    services.message_send(conversation=conversation, sender=anne, body="Two")
    assert unread(bram, conversation) == 2
    services.conversation_mark_read(conversation=conversation, member=bram)
    assert unread(bram, conversation) == 0
    services.message_send(conversation=conversation, sender=anne, body="Three")
    assert unread(bram, conversation) == 1
    assert selectors.unread_conversations_count(bram) == 1
    assert selectors.unread_conversations_count(anne) == 0


def test_r18_an_outsider_cannot_post(anne, bram):
    conversation = services.conversation_start(sender=anne, recipients=[bram], body="Private")
    with pytest.raises(ValidationError) as refused:
        services.message_send(conversation=conversation, sender=colleague(), body="Let me in")
    assert refused.value.code == "not_participant"
    assert Message.objects.count() == 1


def test_r18_body_is_required_and_limited(anne, bram):
    with pytest.raises(ValidationError) as refused:
        services.conversation_start(sender=anne, recipients=[bram], body="x" * 5001)
    assert "body" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.conversation_start(sender=anne, recipients=[bram], body="   ")
    assert Conversation.objects.count() == 0
    assert Message.objects.count() == 0


def test_r20_the_same_text_to_five_members_is_refused_from_the_third(anne):
    recipients = [colleague() for _ in range(5)]
    text = "Buy my worksheets at a discount, only this week!"
    outcomes = []
    for recipient in recipients:
        try:
            services.conversation_start(sender=anne, recipients=[recipient], body=text)
        except ValidationError as exc:
            outcomes.append(exc.code)
        else:
            outcomes.append("sent")
    assert outcomes == ["sent", "sent", "duplicate", "duplicate", "duplicate"]
    assert Message.objects.count() == 2
    assert Conversation.objects.count() == 2
    assert Participant.objects.count() == 4
    assert PostFingerprint.objects.filter(member=anne, kind="message").count() == 2
    assert set(Notification.objects.values_list("recipient", flat=True)) == {
        recipients[0].pk,
        recipients[1].pk,
    }


def test_r20_nearly_the_same_text_counts_as_the_same(anne):
    services.conversation_start(sender=anne, recipients=[colleague()], body="Cheap tablets here!")
    services.conversation_start(sender=anne, recipients=[colleague()], body="cheap tablets here")
    with pytest.raises(ValidationError) as refused:
        services.conversation_start(
            sender=anne, recipients=[colleague()], body="Cheap tablets, here"
        )
    assert refused.value.code == "duplicate"


def test_r20_messages_are_rate_limited(anne, bram, settings):
    settings.POST_RATE_LIMITS = {**settings.POST_RATE_LIMITS, "message": "3/m"}
    conversation = services.conversation_start(sender=anne, recipients=[bram], body="one")
    services.message_send(conversation=conversation, sender=anne, body="two")
    services.message_send(conversation=conversation, sender=anne, body="three")
    with pytest.raises(ValidationError) as refused:
        services.message_send(conversation=conversation, sender=anne, body="four")
    assert refused.value.code == "rate_limited"
    assert Message.objects.count() == 3


def test_r20_a_link_from_a_new_account_is_held_until_released(bram, staff):
    newcomer = MemberFactory(date_joined=timezone.now(), language="en")
    conversation = services.conversation_start(
        sender=newcomer, recipients=[bram], body="Look at https://shop.example/deal"
    )
    message = Message.objects.get()
    assert message.held is True
    # The recipient neither sees the conversation nor is told about it.
    assert not selectors.inbox_for(bram).exists()
    assert selectors.participation_for(bram, conversation.pk) is None
    assert not Notification.objects.filter(recipient=bram).exists()
    # The sender sees their own message.
    assert selectors.inbox_for(newcomer).get().last_body == message.body

    services.message_release(message=message, by=staff)
    assert selectors.inbox_for(bram).get().unread == 1
    assert Notification.objects.filter(recipient=bram, kind=NEW_MESSAGE).exists()


def test_r20_an_older_account_may_send_links(anne, bram):
    services.conversation_start(sender=anne, recipients=[bram], body="See https://example.org")
    assert Message.objects.get().held is False


def test_r22_a_blocked_member_cannot_start_a_conversation(anne, bram):
    services.member_block(blocker=bram, blocked=anne)
    with pytest.raises(ValidationError) as refused:
        services.conversation_start(sender=anne, recipients=[bram], body="Why not answer?")
    assert refused.value.code == "cannot_receive"
    assert refused.value.messages == [NEUTRAL]
    assert Conversation.objects.count() == 0
    assert not Notification.objects.filter(recipient=bram).exists()


def test_r22_the_refusal_reads_as_for_a_member_who_left(anne):
    gone = colleague(erased_at=timezone.now(), is_active=False)
    with pytest.raises(ValidationError) as refused:
        services.conversation_start(sender=anne, recipients=[gone], body="Hello")
    assert (refused.value.code, refused.value.messages) == ("cannot_receive", [NEUTRAL])


def test_r22_a_blocked_member_cannot_reply_in_an_existing_conversation(anne, bram):
    conversation = services.conversation_start(sender=anne, recipients=[bram], body="Hi Bram")
    services.member_block(blocker=anne, blocked=bram)
    with pytest.raises(ValidationError) as refused:
        services.message_send(conversation=conversation, sender=bram, body="Hi Anne")
    assert (refused.value.code, refused.value.messages) == ("cannot_receive", [NEUTRAL])
    assert Message.objects.count() == 1
    assert Notification.objects.filter(recipient=anne).count() == 0


def test_r22_in_a_group_the_blocked_member_cannot_post_but_the_others_can(anne, bram):
    carla = colleague()
    conversation = services.conversation_start(
        sender=carla, recipients=[anne, bram], body="Team meeting on Monday"
    )
    services.member_block(blocker=anne, blocked=bram)
    with pytest.raises(ValidationError) as refused:
        services.message_send(conversation=conversation, sender=bram, body="I will come")
    assert refused.value.messages == [NEUTRAL]
    services.message_send(conversation=conversation, sender=carla, body="Good, see you")
    services.message_send(conversation=conversation, sender=anne, body="Me too")
    assert Message.objects.count() == 3


def test_r22_the_blocker_is_asked_to_unblock_first(anne, bram):
    services.member_block(blocker=anne, blocked=bram)
    with pytest.raises(ValidationError) as refused:
        services.conversation_start(sender=anne, recipients=[bram], body="Sorry")
    assert refused.value.code == "blocked_by_you"
    assert services.member_unblock(blocker=anne, blocked=bram) is True
    assert services.member_unblock(blocker=anne, blocked=bram) is False
    services.conversation_start(sender=anne, recipients=[bram], body="Sorry")
    assert Message.objects.count() == 1


def test_r22_blocking_twice_keeps_one_block_and_oneself_is_refused(anne, bram):
    services.member_block(blocker=anne, blocked=bram)
    services.member_block(blocker=anne, blocked=bram)
    assert Block.objects.count() == 1
    with pytest.raises(ValidationError):
        services.member_block(blocker=anne, blocked=anne)
    assert Block.objects.count() == 1


def test_r22_blocking_keeps_the_earlier_messages_readable(anne, bram):
    """Blocking keeps the earlier messages readable for both."""
    conversation = services.conversation_start(sender=anne, recipients=[bram], body="Old news")
    services.member_block(blocker=bram, blocked=anne)
    assert selectors.participation_for(bram, conversation.pk) is not None
    assert selectors.participation_for(anne, conversation.pk) is not None


def test_r18_too_many_recipients(anne):
    others = [colleague() for _ in range(services.MAX_RECIPIENTS + 1)]
    with pytest.raises(ValidationError) as refused:
        services.conversation_start(sender=anne, recipients=others, body="Everyone")
    assert refused.value.code == "too_many"
    assert Conversation.objects.count() == 0


def test_r18_old_fingerprints_do_not_block_a_later_day(anne):
    text = "Happy holidays to all my colleagues"
    for _ in range(2):
        services.conversation_start(sender=anne, recipients=[colleague()], body=text)
    PostFingerprint.objects.update(created_at=timezone.now() - timedelta(days=1, minutes=1))
    services.conversation_start(sender=anne, recipients=[colleague()], body=text)
    assert Message.objects.count() == 3
