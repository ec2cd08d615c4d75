"""The staffroom's threads, replies, quotes, mentions, edits and answers
(issue 16; R19, R20, R22)."""

from __future__ import annotations

from typing import cast

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from commonroom.accounts.models import Member
from commonroom.accounts.tests.factories import MemberFactory
from commonroom.messaging.models import Block
from commonroom.moderation.models import Review
from commonroom.notifications.models import Notification
from commonroom.staffroom import selectors, services
from commonroom.staffroom.models import Post, PostRevision, Thread, ThreadKind
from commonroom.staffroom.notifications import ANSWER, MENTION, NEW_THREAD, QUOTE, REPLY
from commonroom.staffroom.tests.factories import category, colleague, reply, thread

pytestmark = pytest.mark.django_db


def _client(member) -> Client:
    client = Client()
    client.force_login(member)
    return client


def test_r19_a_member_opens_a_thread_and_follows_it():
    author = colleague()
    board = category()
    topic = services.thread_start(
        category=board,
        author=author,
        title="  Fractions   in year 3 ",
        body="How do *you* start?",
        kind=ThreadKind.QUESTION,
    )
    assert topic.title == "Fractions in year 3"
    assert topic.opening_post is not None
    assert topic.opening_post.body == "How do *you* start?"
    assert topic.last_post_id == topic.opening_post.pk
    assert selectors.is_following(author, topic)
    assert "<em>you</em>" in topic.opening_post.body_html


def test_r19_markdown_is_sanitised_like_reactions():
    post = reply(thread(), body="<script>alert(1)</script> [x](javascript:alert(1)) **ok**")
    html = post.body_html
    assert "<script>" not in html
    assert 'href="javascript' not in html
    assert "<strong>ok</strong>" in html


def test_r19_reply_quotes_and_mentions_notify_each_once():
    a = colleague(first_name="Anna", last_name="Peeters")
    b = colleague(first_name="Bram", last_name="Claes")
    c = colleague(first_name="Chris", last_name="de Smet")
    topic = thread(author=a)
    services.follow_set(member=a, target=topic, on=True)
    post = services.post_reply(
        thread=topic,
        author=b,
        body="As @Anna Peeters says; @[Chris de Smet], what do you think?",
        quote=topic.opening_post,
    )
    assert post.quote_id == topic.opening_post_id
    kinds = dict(Notification.objects.values_list("recipient_id", "kind"))
    # Anna is mentioned, quoted and follows: one notification, the strongest reason.
    assert kinds == {a.pk: MENTION, c.pk: MENTION}
    note = Notification.objects.get(recipient=c)
    assert note.title == "Bram Claes mentioned you in “How do you teach fractions?”"
    assert note.url == post.get_absolute_url()
    topic.refresh_from_db()
    assert (topic.reply_count, topic.last_post_id) == (1, post.pk)


def test_r19_a_quote_and_a_followed_thread_notify():
    a, b, d = colleague(), colleague(), colleague()
    topic = thread(author=a)
    services.follow_set(member=d, target=topic, on=True)
    services.post_reply(thread=topic, author=b, body="Halves first.", quote=topic.opening_post)
    assert dict(Notification.objects.values_list("recipient_id", "kind")) == {
        a.pk: QUOTE,
        d.pk: REPLY,
    }


def test_r22_a_mention_from_a_blocked_member_does_not_notify():
    c = colleague(first_name="Chris", last_name="Wouters")
    b = colleague()
    Block.objects.create(blocker=c, blocked=b)
    services.post_reply(thread=thread(), author=b, body="@Chris Wouters look!")
    assert not Notification.objects.filter(recipient=c).exists()


def test_r19_a_new_thread_tells_the_followers_of_its_category():
    board = category(name="Maths")
    follower = colleague()
    services.follow_set(member=follower, target=board, on=True)
    services.thread_start(
        category=board, author=colleague(), title="Times tables", body="Songs?", kind="discussion"
    )
    note = Notification.objects.get(recipient=follower)
    assert note.kind == NEW_THREAD


def test_r20_a_new_accounts_post_with_a_link_waits_for_review():
    newcomer = cast(Member, MemberFactory())  # joined today
    topic = thread()
    post = services.post_reply(thread=topic, author=newcomer, body="See https://spam.example")
    assert post.held
    assert Review.objects.about(post).filter(closed_at__isnull=True).count() == 1
    topic.refresh_from_db()
    assert topic.reply_count == 0
    assert post not in selectors.post_page(topic, colleague()).posts
    assert post in selectors.post_page(topic, newcomer).posts


def test_r20_the_same_text_twice_is_refused():
    author = colleague()
    topic = thread()
    services.post_reply(thread=topic, author=author, body="Use Cuisenaire rods, they work.")
    with pytest.raises(ValidationError) as refused:
        services.post_reply(thread=topic, author=author, body="Use cuisenaire rods they work!")
    assert refused.value.code == "duplicate"
    assert Post.objects.filter(thread=topic).count() == 2


def test_r19_an_edit_keeps_the_earlier_text():
    topic = thread()
    post = reply(topic, body="First words.")
    services.post_edit(post=post, by=post.author, body="Better words.")
    post.refresh_from_db()
    assert post.body == "Better words."
    assert post.edited_at is not None
    assert list(PostRevision.objects.values_list("body", "by_moderator")) == [
        ("First words.", False)
    ]


def test_r19_a_member_cannot_edit_anothers_post():
    post = reply(thread(), body="Mine.")
    with pytest.raises(PermissionDenied):
        services.post_edit(post=post, by=colleague(), body="Yours now.")
    post.refresh_from_db()
    assert post.body == "Mine."


def test_r19_editing_anothers_post_over_http_is_403_and_changes_nothing():
    post = reply(thread(), body="Mine.")
    client = _client(colleague())
    url = reverse("staffroom:post_edit", args=[post.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"body": "Forged."}).status_code == 403
    post.refresh_from_db()
    assert post.body == "Mine."
    assert not PostRevision.objects.exists()


def test_r19_the_question_author_marks_and_unmarks_the_answer():
    a = colleague()
    topic = thread(author=a)
    answer = reply(topic)
    services.answer_mark(thread=topic, post=answer, by=a)
    topic.refresh_from_db()
    assert topic.accepted_post_id == answer.pk
    assert Notification.objects.get(recipient=answer.author).kind == ANSWER
    services.answer_mark(thread=topic, post=answer, by=a)
    topic.refresh_from_db()
    assert topic.accepted_post_id is None


def test_r19_only_the_question_author_marks_an_answer_403():
    topic = thread()
    answer = reply(topic)
    response = _client(answer.author).post(reverse("staffroom:post_answer", args=[answer.pk]))
    assert response.status_code == 403
    topic.refresh_from_db()
    assert topic.accepted_post_id is None


def test_r19_a_discussion_has_no_accepted_answer():
    a = colleague()
    topic = thread(author=a, kind=ThreadKind.DISCUSSION)
    with pytest.raises(PermissionDenied):
        services.answer_mark(thread=topic, post=reply(topic), by=a)


def test_r19_unread_markers_and_new_since_the_last_visit():
    reader = colleague()
    topic = thread(replies=2)
    client = _client(reader)
    client.get(topic.get_absolute_url())
    assert selectors.unread_thread_ids(reader, [topic]) == set()
    newer = reply(topic, body="A later thought.")
    topic.refresh_from_db()
    assert selectors.unread_thread_ids(reader, [topic]) == {topic.pk}
    html = client.get(topic.get_absolute_url()).content.decode()
    assert f'id="post-{newer.pk}" class="staffroom-post staffroom-new"' in html
    assert selectors.unread_thread_ids(reader, [topic]) == set()


def test_r19_the_permanent_link_of_a_post_opens_its_page():
    topic = thread(replies=60)
    post = Post.objects.filter(thread=topic).order_by("pk")[40]
    response = Client().get(reverse("staffroom:post", args=[post.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"/staffroom/t/{topic.pk}/?after={post.pk - 1}#post-{post.pk}"
    html = Client().get(response["Location"]).content.decode()
    assert f'id="post-{post.pk}"' in html


def test_r19_keyset_pages_cover_the_thread_without_gaps():
    topic = thread(replies=60)
    viewer = colleague()
    ids: list[int] = []
    page = selectors.post_page(topic, viewer)
    ids += [p.pk for p in page.posts]
    while page.newer_than:
        page = selectors.post_page(topic, viewer, after=page.newer_than)
        ids += [p.pk for p in page.posts]
    assert ids == list(
        Post.objects.filter(thread=topic).order_by("pk").values_list("pk", flat=True)
    )
    last = selectors.post_page(topic, viewer, last=True)
    assert [p.pk for p in last.posts] == ids[-selectors.PAGE_SIZE :]
    back = selectors.post_page(topic, viewer, before=last.older_than)
    assert [p.pk for p in back.posts] == ids[-2 * selectors.PAGE_SIZE : -selectors.PAGE_SIZE]


def test_r19_a_locked_thread_refuses_replies_with_a_message():
    topic = thread()
    Thread.objects.filter(pk=topic.pk).update(locked_at="2026-01-01T00:00:00Z")
    client = _client(colleague())
    response = client.post(reverse("staffroom:reply", args=[topic.pk]), {"body": "Still me."})
    assert response.status_code == 400
    assert "This thread is locked: it takes no more replies." in response.content.decode()
    assert Post.objects.filter(thread=topic).count() == 1


def test_r19_reply_form_errors_keep_the_text():
    topic = thread()
    client = _client(colleague())
    response = client.post(reverse("staffroom:reply", args=[topic.pk]), {"body": "   "})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_r19_visitors_read_but_must_sign_in_to_write():
    topic = thread()
    client = Client()
    assert client.get(topic.get_absolute_url()).status_code == 200
    response = client.post(reverse("staffroom:reply", args=[topic.pk]), {"body": "Hi"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_r19_links_to_resources_and_collections_show_as_cards():
    from commonroom.library.tests.factories import CollectionFactory
    from commonroom.resources.tests.factories import ResourceFactory, published_resource

    shared = published_resource(title="Breuken met pizza's")
    draft = ResourceFactory(title="Nog niet klaar")
    collection = CollectionFactory(title="Rekenhoek", is_public=True)
    topic = thread()
    reply(
        topic,
        body=(
            f"Zie https://commonroom.example{shared.get_absolute_url()} en "
            f"{collection.get_absolute_url()} (en /resources/{draft.pk}/)."
        ),
    )
    html = Client().get(topic.get_absolute_url()).content.decode()
    assert f'<a href="{shared.get_absolute_url()}">Breuken met pizza&#x27;s</a>' in html
    assert f'<a href="{collection.get_absolute_url()}">Rekenhoek</a>' in html
    assert ">Nog niet klaar</a>" not in html


def test_r18_a_followed_threads_replies_wait_for_the_daily_digest():
    from django.core import mail

    from commonroom.notifications.services import digests_send

    follower = colleague()
    topic = thread()
    services.follow_set(member=follower, target=topic, on=True)
    services.post_reply(thread=topic, author=colleague(), body="A new idea.")
    note = Notification.objects.get(recipient=follower)
    assert (note.kind, note.digest_pending) == (REPLY, True)
    mail.outbox.clear()
    assert digests_send() == 1


def test_r18_follow_and_unfollow_a_thread_in_one_click():
    member = colleague()
    topic = thread()
    client = _client(member)
    url = reverse("staffroom:thread_follow", args=[topic.pk])
    assert client.post(url, {"follow": "1"}).status_code == 302
    assert selectors.is_following(member, topic)
    html = client.get(topic.get_absolute_url()).content.decode()
    assert "Stop following" in html
    assert client.post(url, {"follow": "0"}).status_code == 302
    assert not selectors.is_following(member, topic)
