"""Staffroom objects for tests: categories, threads and posts, as the
services leave them (without going through their checks)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from django.utils import timezone

from commonroom.accounts.models import Member
from commonroom.accounts.tests.factories import MemberFactory
from commonroom.staffroom.models import Category, Post, Thread, ThreadKind

_counter = {"n": 0}


def colleague(**kwargs: Any) -> Member:
    """A member whose account is old enough for links not to be held (R20)."""
    kwargs.setdefault("date_joined", timezone.now() - timedelta(days=90))
    return cast(Member, MemberFactory(**kwargs))


def category(**kwargs: Any) -> Category:
    _counter["n"] += 1
    n = _counter["n"]
    kwargs.setdefault("name", f"Category {n}")
    kwargs.setdefault("slug", f"category-{n}")
    return Category.objects.create(**kwargs)


def thread(
    *,
    author: Member | None = None,
    board: Category | None = None,
    title: str = "How do you teach fractions?",
    body: str = "I start with halves. What do you do?",
    kind: str = ThreadKind.QUESTION,
    replies: int = 0,
) -> Thread:
    """A visible thread with its opening post and ``replies`` visible replies."""
    author = author or colleague()
    topic = Thread.objects.create(
        category=board or category(), title=title, author=author, kind=kind
    )
    opening = Post.objects.create(thread=topic, author=author, body=body)
    topic.opening_post = opening
    topic.last_post_id = opening.pk
    topic.save(update_fields=["opening_post", "last_post_id"])
    if replies:
        writer = colleague()
        Post.objects.bulk_create(
            Post(thread=topic, author=writer, body=f"Reply number {i}.") for i in range(replies)
        )
        last = Post.objects.filter(thread=topic).order_by("-pk").first()
        assert last is not None
        Thread.objects.filter(pk=topic.pk).update(reply_count=replies, last_post_id=last.pk)
        topic.refresh_from_db()
    return topic


def reply(topic: Thread, author: Member | None = None, body: str = "Try a pizza.") -> Post:
    post = Post.objects.create(thread=topic, author=author or colleague(), body=body)
    Thread.objects.filter(pk=topic.pk).update(last_post_id=post.pk)
    return post
