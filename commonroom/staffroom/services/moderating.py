"""What moderators do in the staffroom (R21, terms 1.2): hide or edit a post
(audited, the author told why), lock, pin and move a thread. Each is a
moderation action: nobody acts on their own work."""

from __future__ import annotations

from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from commonroom.accounts.models import Member
from commonroom.moderation import audit
from commonroom.moderation.permissions import moderation_action, refuse_own_work
from commonroom.moderation.services import reviews_close
from commonroom.notifications.services import notifications_withdraw
from commonroom.search.services import search_index_sync
from commonroom.social.models import Follow
from commonroom.staffroom.models import Category, Post, Thread, ThreadKind
from commonroom.staffroom.permissions import can_moderate_staffroom
from commonroom.staffroom.services.posting import (
    SEARCH_KIND,
    _clean_body,
    reindex,
    revision_keep,
    thread_refresh,
)
from commonroom.staffroom.services.telling import tell_author_of_decision


def _moderator(by: Member) -> None:
    if not can_moderate_staffroom(by):
        raise PermissionDenied


def _reason(reason: str, message: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": message})
    return reason


def post_take_down(*, post: Post, by: Member, reason: str) -> Post:
    """Hide a post (inside the caller's transaction, e.g. a report's action):
    it leaves the thread, the search index and the notifications about it."""
    post = Post.objects.select_for_update().select_related("thread").get(pk=post.pk)
    if post.hidden_at is None:
        post.hidden_at = timezone.now()
        post.hidden_by = by
        post.hidden_reason = reason[:300]
        post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    reviews_close(item=post)
    audit.record(
        actor=by,
        action="staffroom_post_hide",
        subject=post,
        target=f"post:{post.pk}",
        reason=reason,
    )
    thread = post.thread
    if thread.accepted_post_id == post.pk:
        Thread.objects.filter(pk=thread.pk).update(accepted_post=None)
    thread_refresh(thread)
    reindex(thread)
    notifications_withdraw(urls=[post.get_absolute_url()])
    return post


@moderation_action(subject="post")
@transaction.atomic(durable=True)
def post_hide(*, post: Post, by: Member, reason: str) -> Post:
    _moderator(by)
    reason = _reason(reason, _("Say why you hide this post."))
    post = post_take_down(post=post, by=by, reason=reason)
    tell_author_of_decision(post, gettext_noop("A moderator hid your post in “%(title)s”"), reason)
    return post


@moderation_action(subject="post")
@transaction.atomic(durable=True)
def post_edit_by_moderator(*, post: Post, by: Member, body: str, reason: str) -> Post:
    """The operator may edit a posting that breaks the terms (terms 1.2):
    the earlier text is kept, the edit audited and the author told why."""
    _moderator(by)
    body = _clean_body(body)
    reason = _reason(reason, _("Say why you edit this post."))
    post = Post.objects.select_for_update().select_related("thread").get(pk=post.pk)
    revision_keep(post, by=by, by_moderator=True, reason=reason)
    post.body = body
    post.render()
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "html", "edited_at"])
    audit.record(
        actor=by,
        action="staffroom_post_edit",
        subject=post,
        target=f"post:{post.pk}",
        reason=reason,
    )
    reindex(post.thread)
    tell_author_of_decision(
        post, gettext_noop("A moderator edited your post in “%(title)s”"), reason
    )
    return post


def _thread_action(thread: Thread, by: Member, action: str, reason: str = "") -> Thread:
    _moderator(by)
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    audit.record(
        actor=by,
        action=f"staffroom_thread_{action}",
        subject=thread.opening_post,
        target=f"thread:{thread.pk}",
        reason=reason,
    )
    return thread


@moderation_action(subject="thread")
@transaction.atomic(durable=True)
def thread_lock(*, thread: Thread, by: Member, locked: bool, reason: str = "") -> Thread:
    """A locked thread takes no more replies; its posts can no longer be edited."""
    thread = _thread_action(thread, by, "lock" if locked else "unlock", reason)
    thread.locked_at = timezone.now() if locked else None
    thread.save(update_fields=["locked_at"])
    return thread


@moderation_action(subject="thread")
@transaction.atomic(durable=True)
def thread_pin(*, thread: Thread, by: Member, pinned: bool) -> Thread:
    """A pinned thread stays at the top of its category."""
    thread = _thread_action(thread, by, "pin" if pinned else "unpin")
    thread.pinned = pinned
    thread.save(update_fields=["pinned"])
    return thread


@moderation_action(subject="thread")
@transaction.atomic(durable=True)
def thread_move(*, thread: Thread, by: Member, category: Category, reason: str = "") -> Thread:
    """Move a thread to the category it belongs in (its search facets follow)."""
    thread = _thread_action(thread, by, "move", f"→ {category.slug}. {reason}".strip())
    thread.category = category
    thread.save(update_fields=["category"])
    reindex(thread)
    return thread


def _move_follows(source: Thread, target: Thread) -> None:
    """Followers of a merged thread follow the thread it joined."""
    kind = ContentType.objects.get_for_model(Thread)
    already = Follow.objects.filter(content_type=kind, object_id=target.pk).values("follower_id")
    Follow.objects.filter(content_type=kind, object_id=source.pk).exclude(
        follower_id__in=already
    ).update(object_id=target.pk)
    Follow.objects.filter(content_type=kind, object_id=source.pk).delete()


@moderation_action(subject="thread")
@transaction.atomic(durable=True)
def thread_merge(*, thread: Thread, by: Member, into: Thread, reason: str = "") -> Thread:
    """Merge a thread into another (a question asked twice): its posts join
    the other thread in the order they were written, its followers follow
    the other; the merged thread is gone (and from search)."""
    _moderator(by)
    if into.pk == thread.pk:
        raise ValidationError({"into": _("Choose another thread to merge into.")})
    refuse_own_work(by=by, subject=into)
    thread = _thread_action(thread, by, "merge", f"→ thread:{into.pk}. {reason}".strip())
    into = Thread.objects.select_for_update().get(pk=into.pk)
    Post.objects.filter(thread=thread).update(thread=into)
    _move_follows(thread, into)
    source_id = thread.pk
    thread.delete()
    thread_refresh(into)
    reindex(into)
    transaction.on_commit(partial(search_index_sync, kind=SEARCH_KIND, object_id=source_id))
    into.refresh_from_db()
    return into


@moderation_action(subject="thread")
@transaction.atomic(durable=True)
def thread_split(*, thread: Thread, by: Member, post: Post, title: str, reason: str = "") -> Thread:
    """Split a thread from one of its replies on: that reply opens a new
    thread (a discussion, in the same category) with the replies after it."""
    _moderator(by)
    if post.thread_id != thread.pk or post.pk == thread.opening_post_id:
        raise ValidationError(
            _("Choose a reply of this thread to split off from."), code="not_a_reply"
        )
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": _("Give the new thread a title.")})
    thread = _thread_action(thread, by, "split", f"from post:{post.pk}. {reason}".strip())
    new = Thread.objects.create(
        category=thread.category,
        title=title[:150],
        author=post.author,
        kind=ThreadKind.DISCUSSION,
        created_at=post.created_at,
        opening_post=post,
    )
    Post.objects.filter(thread=thread, pk__gte=post.pk).update(thread=new, quote=None)
    if thread.accepted_post_id and thread.accepted_post_id >= post.pk:
        Thread.objects.filter(pk=thread.pk).update(accepted_post=None)
    for changed in (thread, new):
        thread_refresh(changed)
        reindex(changed)
    new.refresh_from_db()
    return new
