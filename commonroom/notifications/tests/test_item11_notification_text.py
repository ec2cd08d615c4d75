"""Issue 13 item 11 (d): a reaction's Markdown reaches its notification as
the plain text a reader sees, the same in the list, the e-mail and the digest."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from commonroom.accounts.tests.factories import MemberFactory
from commonroom.notifications.mail import digest_email_build
from commonroom.notifications.models import EmailFrequency, Notification
from commonroom.notifications.services import preference_set
from commonroom.resources.tests.factories import PublishedResourceFactory
from commonroom.social import services

MARKDOWN = (
    "Used it **today**, see [the guide](https://guide.example/) and _this_.\n\n"
    "- one\n- two <script>alert(1)</script>"
)
TEXT = "Used it today, see the guide and this.\none\ntwo <script>alert(1)</script>"


def colleague(**kwargs):
    # Not a new account: its links are not held for a moderator.
    return MemberFactory(date_joined=timezone.now() - timedelta(days=365), **kwargs)


@pytest.mark.django_db
def test_item11_d_reaction_notification_is_markdown_rendered_as_plain_text(
    django_capture_on_commit_callbacks,
):
    resource = PublishedResourceFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.reaction_post(resource=resource, author=colleague(), body=MARKDOWN)
    note = Notification.objects.get(recipient=resource.author, kind="reaction")
    assert note.body == TEXT

    client = Client()
    client.force_login(resource.author)
    page = client.get("/notifications/").content.decode()
    assert (
        "<p>Used it today, see the guide and this.<br>one<br>"
        "two &lt;script&gt;alert(1)&lt;/script&gt;</p>"
    ) in page
    assert "**" not in page
    assert "<script>alert" not in page

    assert mail.outbox[-1].body.startswith(f"{TEXT}\n\nhttp")
    assert "**" not in mail.outbox[-1].body


@pytest.mark.django_db
def test_item11_d_the_digest_carries_no_markdown_either():
    resource = PublishedResourceFactory(title="Fractions")
    preference_set(member=resource.author, kind="reaction", frequency=EmailFrequency.DAILY)
    reacting = colleague(first_name="Ben", last_name="Vos")
    services.reaction_post(resource=resource, author=reacting, body=MARKDOWN)
    note = Notification.objects.get(recipient=resource.author, kind="reaction")
    message = digest_email_build(member_id=resource.author.pk, notification_ids=[note.pk])
    assert message is not None
    assert message.body.startswith("- Ben Vos reacted on “Fractions”\n")
    assert "**" not in message.body


@pytest.mark.django_db
def test_item11_d_a_long_reaction_is_cut_after_rendering_not_inside_markup():
    resource = PublishedResourceFactory()
    body = "**" + "a" * 600 + "**"
    services.reaction_post(resource=resource, author=MemberFactory(), body=body)
    note = Notification.objects.get(recipient=resource.author, kind="reaction")
    assert note.body == "a" * 499 + "…"
