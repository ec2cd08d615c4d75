"""Issue 13 item 11 (e): a broken link is reported once per check period,
even when two runs of the checker overlap or the author is also a moderator."""

import pytest

from commonroom.moderation.tests.factories import moderator
from commonroom.notifications.models import Notification
from commonroom.resources import link_checks, links
from commonroom.resources.links import LinkStatus
from commonroom.resources.tests.factories import PublishedResourceFactory

pytestmark = pytest.mark.django_db

BROKEN = LinkStatus(False, "404 Not Found")


def test_item11_e_overlapping_checks_report_a_broken_link_once(monkeypatch):
    dead = PublishedResourceFactory(external_url="https://gone.example/")
    mod = moderator()
    calls: list[str] = []

    def slow_check(url: str, *, timeout: float | None = None) -> LinkStatus:
        calls.append(url)
        if len(calls) == 1:
            # While this check waits on the network, the scheduler's next run starts.
            link_checks.links_check()
        return BROKEN

    monkeypatch.setattr(links, "check_link", slow_check)
    assert link_checks.links_check() == 1
    assert calls == ["https://gone.example/"]
    for recipient in (dead.author, mod):
        assert Notification.objects.filter(recipient=recipient, kind="link_broken").count() == 1


def test_item11_e_a_result_recorded_by_another_run_is_not_reported_again(monkeypatch):
    dead = PublishedResourceFactory(external_url="https://gone.example/")

    def check_recorded_meanwhile(url: str, *, timeout: float | None = None) -> LinkStatus:
        # Another run finished this link while ours was checking it.
        link_checks._link_result_record(
            resource=type(dead).objects.get(pk=dead.pk),
            ok=False,
            detail="404 Not Found",
            now=dead.created_at,
        )
        return BROKEN

    monkeypatch.setattr(links, "check_link", check_recorded_meanwhile)
    assert link_checks.links_check() == 1
    assert Notification.objects.filter(recipient=dead.author, kind="link_broken").count() == 1


def test_item11_e_an_author_who_moderates_is_told_once(monkeypatch):
    author = moderator()
    PublishedResourceFactory(author=author, external_url="https://gone.example/")
    monkeypatch.setattr(links, "check_link", lambda url, **kwargs: BROKEN)
    assert link_checks.links_check() == 1
    assert Notification.objects.filter(recipient=author, kind="link_broken").count() == 1
