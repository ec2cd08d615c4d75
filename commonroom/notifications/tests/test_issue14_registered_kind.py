"""Issue 14 build item 3: a kind registered in an app's own notifications.py
(here the test-only kind, tests/kinds/notifications.py) is notified, shown in
the notification centre, respected by the preferences page, the daily digest
and one-click unsubscribe, with no change in commonroom/notifications."""

import re

import pytest
from django.core import mail
from django.test import Client

from commonroom.accounts.tests.factories import MemberFactory
from commonroom.notifications import services
from commonroom.notifications.kinds import UnknownNotificationKind, registered_kinds
from commonroom.notifications.models import Notification, NotificationPreference
from commonroom.notifications.selectors import frequency_for
from tests.kinds.models import Note
from tests.kinds.notifications import NOTE_COMMENTED


def _comment(note: Note) -> Notification:
    return services.notify(
        recipient=note.author,
        kind=NOTE_COMMENTED,
        context={"note": note, "comment": "Nice"},
        url=note.get_absolute_url(),
    )


@pytest.mark.django_db
def test_issue14_a_kind_registered_by_an_app_is_notified_in_every_language():
    author = MemberFactory(language="nl", email="anna@example.org")
    note = Note.objects.create(title="Fractions", author=author)

    notification = _comment(note)

    assert notification.kind == NOTE_COMMENTED
    assert notification.texts == {
        "nl": {"title": "[nl] Comment on Fractions", "body": "[nl] Nice"},
        "en": {"title": "[en] Comment on Fractions", "body": "[en] Nice"},
    }
    # The recipient's own language is the copy kept for everyone.
    assert (notification.title, notification.body) == ("[nl] Comment on Fractions", "[nl] Nice")
    assert list(registered_kinds())[-1] == NOTE_COMMENTED  # tests.kinds is installed last


@pytest.mark.django_db
def test_issue14_the_centre_shows_a_registered_kind_in_the_readers_language():
    author = MemberFactory(language="nl")
    _comment(Note.objects.create(title="Fractions", author=author))
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(author)

    page = client.get("/notifications/").content.decode()

    assert page.count("[en] Comment on Fractions") == 1
    assert "[nl]" not in page
    assert Notification.objects.get(recipient=author).read_at is not None


@pytest.mark.django_db
def test_issue14_preferences_list_a_registered_kind_with_its_default(member, member_client):
    page = member_client.get("/notifications/settings/").content.decode()
    assert "A comment on my test note" in page
    assert frequency_for(member, NOTE_COMMENTED) == "daily"

    defaults = {key: kind.default_email for key, kind in registered_kinds().items()}
    response = member_client.post(
        "/notifications/settings/", {**defaults, NOTE_COMMENTED: "immediately"}
    )

    assert response.status_code == 302
    assert list(
        NotificationPreference.objects.filter(member=member).values_list("kind", "frequency")
    ) == [(NOTE_COMMENTED, "immediately")]
    assert frequency_for(member, NOTE_COMMENTED) == "immediately"


@pytest.mark.django_db
def test_issue14_a_registered_kind_waits_for_the_digest_and_can_be_unsubscribed(
    client, django_capture_on_commit_callbacks
):
    author = MemberFactory(language="en", email="anna@example.org")
    note = Note.objects.create(title="Fractions", author=author)
    with django_capture_on_commit_callbacks(execute=True):
        _comment(note)
    assert mail.outbox == []  # daily by default: no mail at once
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digests_send() == 1

    [digest] = mail.outbox
    assert "- [en] Comment on Fractions\n  http://127.0.0.1:8000/test-notes/" in digest.body
    stop = re.search(
        r"Stop e-mails about “A comment on my test note”: http://127.0.0.1:8000(\S+)", digest.body
    )
    assert stop is not None

    response = client.post(stop.group(1))

    assert response.status_code == 200
    assert "A comment on my test note" in response.content.decode()
    assert frequency_for(author, NOTE_COMMENTED) == "never"
    with django_capture_on_commit_callbacks(execute=True):
        _comment(note)
        assert services.digests_send() == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_issue14_a_kind_nobody_registered_is_refused(member):
    with pytest.raises(UnknownNotificationKind):
        services.notify(recipient=member, kind="no_such_kind", title="Hi")
    assert not Notification.objects.exists()
    assert services.unsubscribe(token="forged") is None
