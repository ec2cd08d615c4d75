"""What moderators do in the staffroom (R21, terms 1.2): hide or edit a post
(audited, the author told why), lock, pin and move a thread. Each is a
moderation action: nobody acts on their own work."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from commonroom.accounts.models import Member
from commonroom.moderation import audit
from commonroom.moderation.permissions import moderation_action
from commonroom.moderation.services import reviews_close
from commonroom.notifications.services import notifications_withdraw
from commonroom.staffroom.models import Category, Post, Thread
from commonroom.staffroom.permissions import can_moderate_staffroom
from commonroom.staffroom.services.posting import (
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
