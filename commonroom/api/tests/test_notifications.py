"""Issue 18: one's own notifications through the API, never another's."""

from __future__ import annotations

import pytest

from commonroom.accounts.tests.factories import MemberFactory
from commonroom.api.models import Scope
from commonroom.api.tests.helpers import client_of
from commonroom.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_issue18_a_member_lists_and_reads_only_their_own_notifications():
    member, other = MemberFactory(), MemberFactory()
    mine = Notification.objects.create(recipient=member, kind="test", title="For you")
    Notification.objects.create(recipient=other, kind="test", title="Not for you")
    body = client_of(member, Scope.READ).get("/api/v1/me/notifications").json()
    assert [(n["id"], n["title"], n["read"]) for n in body["items"]] == [
        (mine.pk, "For you", False)
    ]
    assert body["unread"] == 1
    assert client_of(member).post("/api/v1/me/notifications/read").json() == {"marked": 1}
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).count() == 1


def test_issue18_the_notification_list_costs_the_same_for_1_or_5(django_assert_num_queries):
    member = MemberFactory()
    client = client_of(member, Scope.READ)
    Notification.objects.create(recipient=member, kind="test", title="One")
    client.get("/api/v1/me/notifications")  # the token's last use is written once a minute
    # The site's cached state, the token, its member's suspensions, the
    # token's budget counter (11 queries of the tests' database cache; a
    # few Redis commands at scale), the page and the unread count.
    with django_assert_num_queries(17):
        client.get("/api/v1/me/notifications")
    for i in range(4):
        Notification.objects.create(recipient=member, kind="test", title=f"More {i}")
    with django_assert_num_queries(17):
        client.get("/api/v1/me/notifications")
