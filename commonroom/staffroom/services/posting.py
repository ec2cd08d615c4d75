"""What members write in the staffroom: threads, replies, edits, the
accepted answer, follows and read markers (R19, R20)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from commonroom.accounts.models import Member
from commonroom.core import antispam
from commonroom.moderation.models import Review
from commonroom.moderation.services import review_open
from commonroom.search.services import search_index_sync
from commonroom.social.models import Follow
from commonroom.social.services import follows
from commonroom.staffroom import permissions
from commonroom.staffroom.models import Category, Post, PostRevision, ReadMarker, Thread
from commonroom.staffroom.services.telling import tell_about_post, tell_answer_accepted

SEARCH_KIND = "staffroom_thread"
ANTISPAM_KIND = "forum"


def reindex(thread: Thread) -> None:
    transaction.on_commit(partial(search_index_sync, kind=SEARCH_KIND, object_id=thread.pk))


def _clean_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise ValidationError(_("Write a message first."), code="empty")
    if len(body) > 10000:
        raise ValidationError(
            _("A message has at most %(n)d characters.") % {"n": 10000}, code="too_long"
        )
    return body


def _check_member(member: Member) -> None:
    if not (member.is_authenticated and member.is_active):
        raise PermissionDenied


def thread_refresh(thread: Thread) -> None:
    """Recount a thread's visible replies and its latest post (after a post
    is hidden or let through)."""
    visible = Post.objects.filter(thread=thread).visible()
    last_id: int = visible.aggregate(n=Max("pk"))["n"] or 0
    last = visible.filter(pk=last_id).values_list("created_at", flat=True).first()
    count = visible.exclude(pk=thread.opening_post_id or 0).count()
    Thread.objects.filter(pk=thread.pk).update(
        reply_count=count, last_post_id=last_id, last_post_at=last or thread.created_at
    )


def post_shown(post: Post) -> None:
    """A post becomes visible (at once, or let through by a moderator):
    the thread's counts, the search index and the people it concerns."""
    thread_refresh(post.thread)
    reindex(post.thread)
    tell_about_post(post)


def _auto_follow(member: Member, thread: Thread) -> None:
    """Writers follow their threads (not counted against the follow limit)."""
    Follow.objects.get_or_create(
        follower=member,
        content_type=ContentType.objects.get_for_model(Thread),
        object_id=thread.pk,
    )


def _store(post: Post, *, author: Member) -> Post:
    check = antispam.check_post(member=author, kind=ANTISPAM_KIND, text=post.body)
    post.held = check.held_for_review
    post.render()
    post.full_clean(exclude=["thread"])
    post.save()
    antispam.record_post(member=author, kind=ANTISPAM_KIND, text=post.body)
    return post


@transaction.atomic(durable=True)
def thread_start(*, category: Category, author: Member, title: str, body: str, kind: str) -> Thread:
    """Open a thread with its first post; the author follows it. A new
    account's post with a link waits for a moderator, and the thread with it."""
    _check_member(author)
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": _("Give the thread a title.")})
    body = _clean_body(body)
    thread = Thread(category=category, title=title, author=author, kind=kind)
    thread.full_clean(exclude=["opening_post", "accepted_post"])
    thread.save()
    post = _store(Post(thread=thread, author=author, body=body), author=author)
    thread.opening_post = post
    thread.save(update_fields=["opening_post"])
    _auto_follow(author, thread)
    if post.held:
        review_open(item=post, kind=Review.Kind.SUBMISSION)
    else:
        post_shown(post)
    thread.refresh_from_db()
    return thread


@transaction.atomic(durable=True)
def post_reply(*, thread: Thread, author: Member, body: str, quote: Post | None = None) -> Post:
    """Reply to a thread, perhaps quoting one of its posts; the author follows it."""
    _check_member(author)
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    if thread.is_locked:
        raise ValidationError(_("This thread is locked: it takes no more replies."), code="locked")
    body = _clean_body(body)
    if quote is not None and (quote.thread_id != thread.pk or not quote.is_visible):
        raise ValidationError(_("You can only quote a visible post of this thread."), code="quote")
    post = _store(Post(thread=thread, author=author, body=body, quote=quote), author=author)
    _auto_follow(author, thread)
    if post.held:
        review_open(item=post, kind=Review.Kind.SUBMISSION)
        return post
    Thread.objects.filter(pk=thread.pk).update(
        reply_count=F("reply_count") + 1, last_post_id=post.pk, last_post_at=post.created_at
    )
    reindex(thread)
    tell_about_post(post)
    return post


def revision_keep(post: Post, *, by: Member, by_moderator: bool, reason: str = "") -> None:
    PostRevision.objects.create(
        post=post, body=post.body, edited_by=by, by_moderator=by_moderator, reason=reason[:300]
    )


@transaction.atomic(durable=True)
def post_edit(*, post: Post, by: Member, body: str) -> Post:
    """The author changes their post; the earlier text is kept for moderators."""
    post = Post.objects.select_for_update().select_related("thread").get(pk=post.pk)
    if not permissions.can_edit_post(by, post):
        raise PermissionDenied
    body = _clean_body(body)
    if body == post.body:
        return post
    revision_keep(post, by=by, by_moderator=False)
    post.body = body
    post.render()
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "html", "edited_at"])
    if post.is_visible:
        reindex(post.thread)
    return post


@transaction.atomic(durable=True)
def answer_mark(*, thread: Thread, post: Post, by: Member) -> Thread:
    """The author of a question marks a reply as its answer (again: unmarks it)."""
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    if not permissions.can_mark_answer(by, thread, post):
        raise PermissionDenied
    if thread.accepted_post_id == post.pk:
        thread.accepted_post = None
    else:
        thread.accepted_post = post
        tell_answer_accepted(post, by)
    thread.save(update_fields=["accepted_post"])
    return thread


@transaction.atomic(durable=True)
def follow_set(*, member: Member, target: Thread | Category, on: bool) -> None:
    """Follow a thread or a category, or stop (one click, from its page)."""
    _check_member(member)
    if on:
        follows.follow(follower=member, target=target)
    else:
        follows.unfollow(follower=member, target=target)


def read_up_to(*, member: Any, thread: Thread, post_id: int) -> int:
    """Remember that the member has read the thread up to ``post_id``;
    returns the mark from before this visit (0: never read)."""
    if not getattr(member, "is_authenticated", False):
        return 0
    marker, created = ReadMarker.objects.get_or_create(
        member=member, thread=thread, defaults={"last_read_post_id": post_id}
    )
    before = 0 if created else marker.last_read_post_id
    if not created and post_id > marker.last_read_post_id:
        ReadMarker.objects.filter(pk=marker.pk).update(
            last_read_post_id=post_id, visited_at=timezone.now()
        )
    return before
