"""Moderating the staffroom (issue 16; R20, R21, R30): hide, edit, lock, pin,
move, reports into the one queue, held posts in the one review queue."""

from __future__ import annotations

from typing import cast

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from commonroom.accounts.models import Member
from commonroom.accounts.tests.factories import MemberFactory
from commonroom.moderation.models import AuditEntry, Report, Review
from commonroom.moderation.permissions import OwnWorkRefused
from commonroom.moderation.report_models import ReportReason
from commonroom.moderation.report_services import report_file
from commonroom.moderation.tests.factories import moderator
from commonroom.notifications.models import Notification
from commonroom.search.facets import Filters
from commonroom.search.selectors import search_documents
from commonroom.search.services import search_index_sync
from commonroom.staffroom import selectors, services
from commonroom.staffroom.models import Post, PostRevision, Thread
from commonroom.staffroom.search import KEY
from commonroom.staffroom.tests.factories import category, colleague, reply, thread

pytestmark = pytest.mark.django_db


def _client(member: Member) -> Client:
    client = Client()
    client.force_login(member)
    return client


def _found(text: str) -> list[int]:
    result = search_documents(text=text, filters=Filters(values={"type": (KEY,)}), page_size=20)
    return [hit.object.pk for hit in result.hits]


def test_r21_a_hidden_post_leaves_the_thread_search_and_notifications(
    django_capture_on_commit_callbacks,
):
    mod = moderator()
    a = colleague(first_name="Anna", last_name="Maes")
    topic = thread(author=a, title="Klokkijken in het eerste leerjaar")
    with django_capture_on_commit_callbacks(execute=True):
        post = services.post_reply(
            thread=topic, author=colleague(), body="@Anna Maes: zwalkontrakt met de wijzers."
        )
    assert _found("zwalkontrakt") == [topic.pk]
    assert Notification.objects.filter(recipient=a).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.post_hide(post=post, by=mod, reason="Off topic.")
    assert post not in selectors.post_page(topic, colleague()).posts
    html = Client().get(topic.get_absolute_url()).content.decode()
    assert "zwalkontrakt" not in html
    assert _found("zwalkontrakt") == []
    assert not Notification.objects.filter(recipient=a).exists()
    told = Notification.objects.get(recipient=post.author)
    assert told.title == "A moderator hid your post in “Klokkijken in het eerste leerjaar”"
    assert told.body == "Off topic."
    assert AuditEntry.objects.filter(action="staffroom_post_hide", reason="Off topic.").exists()
    topic.refresh_from_db()
    assert topic.reply_count == 0


def test_r21_a_moderator_edit_is_audited_kept_and_told():
    mod = moderator()
    post = reply(thread(), body="Buy my worksheets!")
    services.post_edit_by_moderator(post=post, by=mod, body="[removed]", reason="Advertising.")
    post.refresh_from_db()
    assert post.body == "[removed]"
    revision = PostRevision.objects.get(post=post)
    assert (revision.body, revision.by_moderator, revision.reason) == (
        "Buy my worksheets!",
        True,
        "Advertising.",
    )
    assert AuditEntry.objects.filter(action="staffroom_post_edit").count() == 1
    assert Notification.objects.get(recipient=post.author).body == "Advertising."


def test_r21_a_moderator_edit_needs_a_reason():
    post = reply(thread(), body="Words.")
    with pytest.raises(ValidationError):
        services.post_edit_by_moderator(post=post, by=moderator(), body="Other.", reason=" ")
    post.refresh_from_db()
    assert post.body == "Words."


def test_r21_a_member_cannot_forge_a_moderator_action_403_nothing_changed():
    topic = thread()
    post = reply(topic, body="Stay.")
    client = _client(colleague())
    assert (
        client.post(reverse("staffroom:post_hide", args=[post.pk]), {"reason": "x"}).status_code
        == 403
    )
    assert (
        client.post(
            reverse("staffroom:post_moderate", args=[post.pk]), {"body": "Gone", "reason": "x"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("staffroom:thread_moderate", args=[topic.pk]), {"action": "lock"}
        ).status_code
        == 403
    )
    assert client.get(reverse("staffroom:post_history", args=[post.pk])).status_code == 403
    post.refresh_from_db()
    topic.refresh_from_db()
    assert (post.body, post.hidden_at, topic.locked_at) == ("Stay.", None, None)
    assert not AuditEntry.objects.exists()


def test_r21_a_moderator_does_not_moderate_their_own_thread():
    mod = moderator()
    topic = thread(author=mod)
    with pytest.raises(OwnWorkRefused):
        services.thread_lock(thread=topic, by=mod, locked=True)
    with pytest.raises(PermissionDenied):
        services.thread_lock(thread=thread(), by=colleague(), locked=True)


def test_r21_lock_pin_and_move_over_http():
    mod = moderator()
    topic = thread()
    other = category(name="Elsewhere")
    client = _client(mod)
    url = reverse("staffroom:thread_moderate", args=[topic.pk])
    assert client.post(url, {"action": "lock", "reason": "Settled."}).status_code == 302
    assert client.post(url, {"action": "pin"}).status_code == 302
    response = client.post(url, {"action": "move"})
    assert response.status_code == 400
    assert "Choose the category to move it to." in response.content.decode()
    assert client.post(url, {"action": "move", "category": other.pk}).status_code == 302
    topic.refresh_from_db()
    assert topic.locked_at is not None
    assert topic.pinned
    assert topic.category_id == other.pk
    assert set(AuditEntry.objects.values_list("action", flat=True)) == {
        "staffroom_thread_lock",
        "staffroom_thread_pin",
        "staffroom_thread_move",
    }
    assert [t.pk for t in selectors.category_threads(other)] == [topic.pk]


def test_r21_a_member_reports_a_post_into_the_one_queue():
    post = reply(thread(), body="Rude words.")
    reporter = colleague()
    client = _client(reporter)
    url = reverse("moderation:content_report_new", args=["staffroom_post", post.pk])
    assert client.get(url).status_code == 200
    report = report_file(target=post, reporter=reporter, reason=ReportReason.HARMFUL, text="Mean.")
    assert report.status == Report.Status.OPEN
    html = _client(moderator()).get(reverse("moderation:content_reports")).content.decode()
    assert "Rude words." in html


def test_r20_a_held_post_is_published_from_the_queue_and_then_notifies(
    django_capture_on_commit_callbacks,
):
    from commonroom.moderation import services as moderation_services
    from commonroom.moderation.models import Decision

    a = colleague()
    topic = thread(author=a)
    services.follow_set(member=a, target=topic, on=True)
    newcomer = cast(Member, MemberFactory())
    post = services.post_reply(thread=topic, author=newcomer, body="See www.example.org")
    assert post.held
    assert not Notification.objects.filter(recipient=a).exists()
    review = Review.objects.about(post).get(closed_at__isnull=True)
    mod = moderator()
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.review_claim(review=review, by=mod)
        moderation_services.review_decide(
            review=review, by=mod, action=Decision.Action.PUBLISH, reason="Fine."
        )
    post.refresh_from_db()
    assert not post.held
    assert Notification.objects.filter(recipient=a, url=post.get_absolute_url()).exists()
    topic.refresh_from_db()
    assert (topic.reply_count, topic.last_post_id) == (1, post.pk)


def test_r21_a_hidden_opening_post_hides_the_thread(django_capture_on_commit_callbacks):
    topic = thread(title="Zwalkontrakt opening")
    search_index_sync(kind=KEY, object_id=topic.pk)
    assert topic.opening_post is not None
    with django_capture_on_commit_callbacks(execute=True):
        services.post_hide(post=topic.opening_post, by=moderator(), reason="Spam.")
    assert Client().get(topic.get_absolute_url()).status_code == 404
    assert _found("zwalkontrakt") == []
    assert not Thread.objects.visible().filter(pk=topic.pk).exists()
    assert Post.objects.filter(pk=topic.opening_post.pk).exists()


def test_r30_the_audit_log_reads_the_staffrooms_codes_as_words():
    from commonroom.moderation.audit_labels import action_label, target_label

    assert action_label("staffroom_thread_lock") == "Staffroom thread locked"
    assert target_label("post:12") == "Staffroom post 12"
    assert action_label("no_such_code") == "no_such_code"


def test_r21_a_moderator_merges_a_thread_into_another(django_capture_on_commit_callbacks):
    mod = moderator()
    first = thread(title="Breuken zwalkontrakt", replies=2)
    second = thread(title="Breuken, nog eens", body="Dezelfde vraag.")
    follower = colleague()
    services.follow_set(member=follower, target=second, on=True)
    with django_capture_on_commit_callbacks(execute=True):
        search_index_sync(kind=KEY, object_id=second.pk)
        response = _client(mod).post(
            reverse("staffroom:thread_moderate", args=[second.pk]),
            {"action": "merge", "into": first.pk, "reason": "Asked twice."},
        )
    assert response.status_code == 302
    assert response["Location"] == first.get_absolute_url()
    assert not Thread.objects.filter(pk=second.pk).exists()
    first.refresh_from_db()
    assert first.reply_count == 3
    assert Post.objects.filter(thread=first).count() == 4
    assert selectors.is_following(follower, first)
    assert _found("dezelfde") == [first.pk]
    assert AuditEntry.objects.filter(action="staffroom_thread_merge").count() == 1


def test_r21_a_moderator_splits_a_thread_from_a_reply():
    mod = moderator()
    topic = thread(replies=4)
    replies = list(Post.objects.filter(thread=topic).order_by("pk"))[1:]
    client = _client(mod)
    url = reverse("staffroom:thread_moderate", args=[topic.pk])
    response = client.post(url, {"action": "split", "split_from": topic.opening_post_id})
    assert response.status_code == 400
    assert "Choose a reply of this thread to split off from." in response.content.decode()
    response = client.post(
        url, {"action": "split", "split_from": replies[2].pk, "title": "Over toetsen"}
    )
    assert response.status_code == 302
    new = Thread.objects.get(title="Over toetsen")
    assert response["Location"] == new.get_absolute_url()
    assert new.opening_post_id == replies[2].pk
    assert list(Post.objects.filter(thread=new).values_list("pk", flat=True)) == [
        replies[2].pk,
        replies[3].pk,
    ]
    topic.refresh_from_db()
    new.refresh_from_db()
    assert (topic.reply_count, new.reply_count) == (2, 1)


def test_r21_a_member_cannot_forge_a_merge_403_nothing_changed():
    first, second = thread(), thread()
    response = _client(colleague()).post(
        reverse("staffroom:thread_moderate", args=[second.pk]),
        {"action": "merge", "into": first.pk},
    )
    assert response.status_code == 403
    assert Thread.objects.filter(pk=second.pk).exists()
