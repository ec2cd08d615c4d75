"""What messaging gives in the data download (R7) and keeps after leaving (R6)."""

import pytest
from django.test import Client

from commonroom.accounts.services import member_erase
from commonroom.core.privacy import export_all
from commonroom.messaging import personal_data, services
from commonroom.messaging.models import Block, Message, Participant
from commonroom.messaging.tests.factories import colleague
from commonroom.moderation.models import Report, ReportReason

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    leaver = colleague(first_name="Lea", last_name="Leaves")
    friend = colleague(first_name="Fien", last_name="Friend")
    other = colleague()
    conversation = services.conversation_start(
        sender=leaver, recipients=[friend], body="Shall we share our maths tests?"
    )
    services.message_send(conversation=conversation, sender=friend, body="Yes, gladly")
    reply = Message.objects.get(sender=friend)
    services.member_block(blocker=leaver, blocked=other)
    services.member_block(blocker=other, blocked=leaver)
    services.message_report(message=reply, reporter=leaver, reason=ReportReason.SPAM, text="hm")
    return leaver, friend, conversation


def test_r7_export_holds_conversations_sent_messages_blocks_and_reports(setting):
    leaver, _friend, conversation = setting
    data = personal_data.export(leaver)
    assert [c["id"] for c in data["conversations"]] == [conversation.pk]
    assert data["conversations"][0]["with"] == ["Fien Friend"]
    assert [m["body"] for m in data["messages_sent"]] == ["Shall we share our maths tests?"]
    assert len(data["members_blocked"]) == 1
    everything = export_all(leaver)
    assert "messages_sent" in everything
    # Reports on messages are moderation's, with reports on every other kind.
    reply = Message.objects.get(sender=_friend)
    assert [(r["kind"], r["object"], r["reason"]) for r in everything["reports_filed"]] == [
        ("message", reply.pk, "spam")
    ]


def test_r6_leaving_keeps_the_conversation_for_the_others(setting):
    leaver, friend, conversation = setting
    member_erase(member=leaver)
    leaver.refresh_from_db()
    assert Message.objects.filter(sender=leaver).count() == 1  # the friend keeps it
    assert not Block.objects.filter(blocker=leaver).exists()
    assert Block.objects.filter(blocked=leaver).count() == 1  # another member's choice
    assert Report.objects.get().reporter is None
    assert Participant.objects.get(member=leaver).left_at is not None
    client = Client()
    client.force_login(friend)
    page = client.get(f"/messages/{conversation.pk}/").content.decode()
    assert "Shall we share our maths tests?" in page
    response = client.post(f"/messages/{conversation.pk}/", {"body": "Are you still there?"})
    assert response.status_code == 400
    assert "This member cannot receive your message." in response.content.decode()
