import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonroom.notifications import services
from commonroom.notifications.models import Notification


@pytest.mark.django_db
def test_notify_mails_at_once_with_an_unsubscribe_link(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            recipient=member, kind="reaction", title="Anna reacted", url="/resources/1/"
        )
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.subject == "[Commonroom] Anna reacted"
    assert "http://127.0.0.1:8000/resources/1/" in sent.body
    link = re.search(r"http://127.0.0.1:8000(/notifications/unsubscribe/\S+/)", sent.body)
    assert link is not None
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


@pytest.mark.django_db
def test_one_click_unsubscribe_stops_that_kind_only(
    member, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipient=member, kind="reaction", title="First")
    path = re.search(r"http://127.0.0.1:8000(/notifications/unsubscribe/\S+/)", mail.outbox[0].body)
    assert client.get(path.group(1)).status_code == 200  # a page, changes nothing
    assert client.post(path.group(1)).status_code == 200
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipient=member, kind="reaction", title="Second")
        services.notify(recipient=member, kind="new_message", title="Third")
    assert [m.subject for m in mail.outbox] == ["[Commonroom] Third"]
    assert Notification.objects.filter(recipient=member).count() == 3  # in-app always


def test_a_forged_unsubscribe_token_is_refused(client, db):
    assert client.post("/notifications/unsubscribe/not-a-token/").status_code == 404


@pytest.mark.django_db
def test_daily_digest_collects_notifications_in_one_mail(
    member, django_capture_on_commit_callbacks
):
    services.preference_set(member=member, kind="reaction", frequency="daily")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipient=member, kind="reaction", title="One", url="/a/")
        services.notify(recipient=member, kind="new_follower", title="Two")  # daily by default
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digests_send() == 1
    assert len(mail.outbox) == 1
    assert "- One\n  http://127.0.0.1:8000/a/" in mail.outbox[0].body
    assert "- Two" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digests_send() == 0


@pytest.mark.django_db
def test_never_means_no_mail(member, django_capture_on_commit_callbacks):
    services.preference_set(member=member, kind="new_message", frequency="never")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipient=member, kind="new_message", title="Hi")
    assert mail.outbox == []


@pytest.mark.django_db
def test_preferences_page_saves_each_kind(member, member_client):
    from commonroom.notifications.kinds import registered_kinds

    # Kinds registered beyond the platform's own (the test kind) keep their default.
    defaults = {key: kind.default_email for key, kind in registered_kinds().items()}
    response = member_client.post(
        "/notifications/settings/",
        {
            **defaults,
            "reaction": "daily",
            "new_message": "immediately",
            "new_follower": "never",
            "saved_search": "daily",
            "collection_update": "daily",
            "moderation_decision": "immediately",
            "objection_decision": "immediately",
            "notice": "immediately",
            "link_broken": "immediately",
            "review_due": "never",
        },
    )
    assert response.status_code == 302
    from commonroom.notifications.selectors import frequency_for

    assert frequency_for(member, "reaction") == "daily"
    assert frequency_for(member, "new_follower") == "never"


@pytest.mark.django_db
def test_notifications_list_runs_in_fixed_queries(member, member_client):
    def count() -> int:
        member_client.get("/notifications/")
        with CaptureQueriesContext(connection) as queries:
            assert member_client.get("/notifications/").status_code == 200
        return len(queries)

    for n in range(3):
        services.notify(recipient=member, kind="reaction", title=f"n{n}", email=False)
    few = count()
    for n in range(30):
        services.notify(recipient=member, kind="reaction", title=f"m{n}", email=False)
    assert count() == few
