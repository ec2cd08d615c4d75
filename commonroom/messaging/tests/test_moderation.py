"""Reports on private messages (R21) and held messages (R20): only through
them do moderators and staff read a private conversation."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from commonroom.messaging import selectors, services
from commonroom.messaging.models import Message
from commonroom.messaging.tests.factories import colleague, conversation_with
from commonroom.moderation.models import AuditEntry, Report, ReportReason
from commonroom.moderation.notifications import MODERATION_DECISION
from commonroom.moderation.report_services import report_dismiss
from commonroom.moderation.tests.factories import moderator
from commonroom.notifications.models import Notification

pytestmark = pytest.mark.django_db


def signed_in(member) -> Client:
    client = Client()
    client.force_login(member)
    return client


@pytest.fixture
def sender():
    return colleague(first_name="Sam", last_name="Sender")


@pytest.fixture
def reporter():
    return colleague(first_name="Rita", last_name="Reporter")


@pytest.fixture
def mod():
    return moderator(language="en")


@pytest.fixture
def thread(sender, reporter):
    """Five messages; the third is the offensive one."""
    conversation = conversation_with(sender, reporter, messages=5)
    Message.objects.filter(body="Message number 2 about fractions").update(
        body="You are a useless teacher"
    )
    return conversation


@pytest.fixture
def offensive(thread):
    return Message.objects.get(body="You are a useless teacher")


def file_report(reporter, message) -> Report:
    response = signed_in(reporter).post(
        f"/messages/message/{message.pk}/report/",
        {"reason": ReportReason.HARMFUL, "text": "Insulting me"},
    )
    assert response.status_code == 302
    return Report.objects.get()


def test_r21_a_participant_reports_a_message(reporter, offensive):
    page = signed_in(reporter).get(f"/messages/message/{offensive.pk}/report/")
    assert page.status_code == 200
    assert "You are a useless teacher" in page.content.decode()
    report = file_report(reporter, offensive)
    assert (report.target, report.reporter, report.reason, report.text, report.status) == (
        offensive,
        reporter,
        "harmful",
        "Insulting me",
        "open",
    )
    entry = AuditEntry.objects.get(action="report_file")
    assert (entry.actor, entry.target, entry.reason) == (
        reporter,
        f"message:{offensive.pk}",
        "harmful: Insulting me",
    )


def test_r21_one_cannot_report_ones_own_message_nor_twice(sender, reporter, offensive):
    assert signed_in(sender).get(f"/messages/message/{offensive.pk}/report/").status_code == 404
    file_report(reporter, offensive)
    again = signed_in(reporter).post(
        f"/messages/message/{offensive.pk}/report/", {"reason": ReportReason.SPAM}
    )
    assert again.status_code == 400
    assert "already reported" in again.content.decode()
    assert Report.objects.count() == 1


def test_r21_moderator_reads_the_conversation_only_through_the_report(
    reporter, offensive, thread, mod, staff
):
    report = file_report(reporter, offensive)
    for member in (mod, staff):
        client = signed_in(member)
        assert client.get(f"/messages/{thread.pk}/").status_code == 404
        # The one report queue lists it, linking to messaging's report page.
        listing = client.get("/moderation/content-reports/?kind=message&status=open")
        assert listing.status_code == 200
        assert f"/messages/reports/{report.pk}/" in listing.content.decode()
        assert "You are a useless teacher" not in listing.content.decode()
        # The generic report page sends moderators to messaging's page.
        generic = client.get(f"/moderation/content-reports/{report.pk}/")
        assert generic["Location"] == f"/messages/reports/{report.pk}/"
        page = client.get(f"/messages/reports/{report.pk}/")
        assert page.status_code == 200
        html = page.content.decode()
        assert "You are a useless teacher" in html
        assert "Message number 1 about fractions" in html  # the conversation around it
        assert "Message number 4 about fractions" in html
        assert "Insulting me" in html
    view = selectors.conversation_for_report(report)
    assert [m.pk for m in view.before] + [view.message.pk] + [m.pk for m in view.after] == list(
        Message.objects.filter(conversation=thread).values_list("pk", flat=True)
    )


def test_r21_non_moderators_are_refused(reporter, offensive):
    report = file_report(reporter, offensive)
    client = signed_in(colleague())
    assert client.get("/messages/reports/").status_code == 403
    assert client.get(f"/messages/reports/{report.pk}/").status_code == 403
    assert client.post(f"/messages/reports/{report.pk}/", {"action": "hide"}).status_code == 403
    assert client.get(f"/messages/held/{offensive.pk}/").status_code == 403
    assert Message.objects.get(pk=offensive.pk).hidden_at is None
    assert Report.objects.get().status == "open"


def test_r21_hiding_a_message(sender, reporter, offensive, thread, mod):
    report = file_report(reporter, offensive)
    response = signed_in(mod).post(
        f"/messages/reports/{report.pk}/", {"action": "hide", "note": "Insults a colleague"}
    )
    assert response.status_code == 302
    offensive.refresh_from_db()
    assert (offensive.hidden_by, offensive.hidden_at is not None) == (mod, True)
    report.refresh_from_db()
    assert (report.status, report.handled_by) == ("actioned", mod)
    assert (report.action_taken, report.decision_reason) == ("hide", "Insults a colleague")
    entry = AuditEntry.objects.get(action="message_hide")
    assert (entry.actor, entry.target, entry.reason) == (
        mod,
        f"message:{offensive.pk}",
        "Insults a colleague",
    )
    for member in (sender, reporter):
        html = signed_in(member).get(f"/messages/{thread.pk}/").content.decode()
        assert "You are a useless teacher" not in html
        assert "This message was removed by a moderator." in html
    told = Notification.objects.filter(kind=MODERATION_DECISION)
    assert sorted(told.values_list("recipient__first_name", flat=True)) == ["Rita", "Sam"]
    assert "Insults a colleague" in told.get(recipient=sender).body


def test_r21_dismissing_a_report(reporter, offensive, mod):
    report = file_report(reporter, offensive)
    signed_in(mod).post(f"/messages/reports/{report.pk}/", {"action": "dismiss", "note": "Banter"})
    report.refresh_from_db()
    assert (report.status, report.handled_by) == ("dismissed", mod)
    assert Message.objects.get(pk=offensive.pk).hidden_at is None
    assert AuditEntry.objects.filter(action="report_dismiss").count() == 1
    assert Notification.objects.get(kind=MODERATION_DECISION).recipient == reporter
    # Handled: no longer in the list, and a second dismissal is refused.
    assert f"/messages/reports/{report.pk}/" not in (
        signed_in(mod).get("/moderation/content-reports/").content.decode()
    )
    with pytest.raises(ValidationError, match="already been handled"):
        report_dismiss(report=report, by=mod)


def test_r20_a_moderator_releases_a_held_message(reporter, mod):
    newcomer = colleague(first_name="Nina", date_joined=timezone.now())
    conversation = services.conversation_start(
        sender=newcomer, recipients=[reporter], body="My lesson plans: https://lessons.example.org"
    )
    message = Message.objects.get()
    client = signed_in(mod)
    listing = client.get("/messages/reports/").content.decode()
    assert f"/messages/held/{message.pk}/" in listing
    page = client.get(f"/messages/held/{message.pk}/").content.decode()
    assert "https://lessons.example.org" in page
    assert signed_in(reporter).get(f"/messages/{conversation.pk}/").status_code == 404

    assert client.post(f"/messages/held/{message.pk}/", {"action": "release"}).status_code == 302
    message.refresh_from_db()
    assert (message.held, message.released_by) == (False, mod)
    assert AuditEntry.objects.get(action="message_release").target == f"message:{message.pk}"
    html = signed_in(reporter).get(f"/messages/{conversation.pk}/").content.decode()
    assert "https://lessons.example.org" in html
    assert Notification.objects.filter(recipient=reporter, kind="new_message").count() == 1
    assert Notification.objects.filter(recipient=newcomer, kind="moderation_decision").count() == 1


def test_r20_a_held_message_can_be_removed_instead(reporter, mod):
    newcomer = colleague(date_joined=timezone.now())
    conversation = services.conversation_start(
        sender=newcomer, recipients=[reporter], body="Casino bonus www.casino.example.com"
    )
    message = Message.objects.get()
    signed_in(mod).post(f"/messages/held/{message.pk}/", {"action": "hide"})
    message.refresh_from_db()
    assert message.hidden_at is not None
    assert message.held is True
    assert signed_in(reporter).get(f"/messages/{conversation.pk}/").status_code == 404
    assert not Notification.objects.filter(recipient=reporter).exists()
    assert f"/messages/held/{message.pk}/" not in (
        signed_in(mod).get("/messages/reports/").content.decode()
    )


def test_r21_an_unknown_action_changes_nothing(reporter, offensive, mod):
    report = file_report(reporter, offensive)
    response = signed_in(mod).post(f"/messages/reports/{report.pk}/", {"action": "explode"})
    assert response.status_code == 302
    assert Report.objects.get().status == "open"
    assert Message.objects.get(pk=offensive.pk).hidden_at is None
    assert not AuditEntry.objects.exclude(action="report_file").exists()
