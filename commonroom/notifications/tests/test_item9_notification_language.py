"""Issue 13 item 9: each reader sees a notification in the language they read
the site in, mails go in the recipient's language; the audit log, the views
chart and broken-link reasons speak the reader's language too."""

import pytest
from django.test import Client
from django.utils import timezone

from commonroom.accounts.tests.factories import MemberFactory, StaffFactory
from commonroom.moderation import audit
from commonroom.notifications.mail import notification_email_build
from commonroom.notifications.models import Notification
from commonroom.resources.links import _status_words
from commonroom.resources.models import State
from commonroom.resources.tests.factories import PublishedResourceFactory
from commonroom.social import services


def _client(member, language: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies["django_language"] = language
    client.force_login(member)
    return client


@pytest.mark.django_db
def test_item9_a_dutch_members_notification_reads_in_english_in_the_english_ui():
    dutch = MemberFactory(language="nl", email="anna@example.org")
    services.follow(follower=MemberFactory(first_name="Bram", last_name="Bos"), target=dutch)
    notification = Notification.objects.get(recipient=dutch)
    assert notification.title == "Bram Bos volgt je"  # the recipient's own language
    english = _client(dutch, "en").get("/notifications/").content.decode()
    dutch_page = _client(dutch, "nl").get("/notifications/").content.decode()
    assert "Bram Bos follows you" in english
    assert "volgt je" not in english
    assert "Bram Bos volgt je" in dutch_page
    message = notification_email_build(notification_id=notification.pk)
    assert message is not None
    assert message.subject == "[Commonroom] Bram Bos volgt je"


@pytest.mark.django_db
def test_item9_a_notification_made_before_the_texts_keeps_its_one_text():
    member = MemberFactory(language="nl")
    Notification.objects.create(recipient=member, kind="notice", title="Oude tekst", body="Body")
    page = _client(member, "en").get("/notifications/").content.decode()
    assert "Oude tekst" in page


@pytest.mark.django_db
def test_item9_the_audit_log_shows_words_not_codes():
    staff = StaffFactory()
    resource = PublishedResourceFactory()
    audit.record(
        actor=staff,
        action="objection_file",
        subject=resource,
        from_state=State.CHANGES_REQUESTED,
        to_state=State.OBJECTION_FILED,
    )
    page = _client(staff, "nl").get("/moderation/audit/").content.decode()
    assert "Wijzigingen gevraagd → Bezwaar ingediend" in page
    assert "changes_requested" not in page
    assert "objection_filed" not in page
    assert f"resource:{resource.pk}" not in page
    assert f"Lesmateriaal {resource.pk}" in page


@pytest.mark.django_db
def test_item9_the_views_chart_names_months_in_the_readers_language():
    resource = PublishedResourceFactory()
    page = _client(resource.author, "nl").get(f"/resources/{resource.pk}/stats/")
    today = timezone.localdate()
    from django.utils import translation
    from django.utils.formats import date_format

    with translation.override("nl"):
        label = date_format(today, "j M")
    with translation.override("en"):
        english = date_format(today, "j M")
    html = page.content.decode()
    assert label in html
    if label != english:
        assert english not in html


def test_item9_a_failed_link_check_gives_words_with_a_translation_not_http_phrases():
    assert str(_status_words(404)) == "the page no longer exists (404)"
    assert str(_status_words(503)) == "the server has a problem (503)"
    assert str(_status_words(418)) == "unexpected answer (418)"
