"""Who may read and do what in the staffroom (R19, R21). Reading is open to
everyone, like reactions; writing is for members; moderators hide, edit,
lock, pin and move. Helpers take the member (or the visitor), never the request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.timezone import localtime
from django.utils.translation import gettext

from commonroom.accounts.roles import is_moderator
from commonroom.moderation.permissions import can_moderate
from commonroom.staffroom.models import Post, Thread


def _is_member(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_see_post(user: Any, post: Post) -> bool:
    if post.is_visible:
        return True
    if is_moderator(user):
        return True
    return bool(
        _is_member(user) and post.author_id == user.pk and post.held and post.hidden_at is None
    )


def can_see_thread(user: Any, thread: Thread) -> bool:
    opening = thread.opening_post
    return opening is not None and can_see_post(user, opening)


def thread_for_view(user: Any, thread_id: int) -> Thread:
    """A thread the user may read; one they may not does not exist for them."""
    thread = get_object_or_404(
        Thread.objects.select_related("category", "author", "opening_post", "accepted_post"),
        pk=thread_id,
    )
    if not can_see_thread(user, thread):
        raise Http404
    return thread


def post_for_view(user: Any, post_id: int) -> Post:
    post = get_object_or_404(
        Post.objects.select_related(
            "author", "thread__category", "thread__opening_post", "quote__author"
        ),
        pk=post_id,
    )
    if not (can_see_post(user, post) and can_see_thread(user, post.thread)):
        raise Http404
    return post


def can_reply(user: Any, thread: Thread) -> bool:
    return _is_member(user) and not thread.is_locked


def can_edit_post(user: Any, post: Post) -> bool:
    """Authors edit their own posts while they are shown and the thread is open."""
    return (
        _is_member(user)
        and post.author_id == user.pk
        and post.hidden_at is None
        and not post.thread.is_locked
    )


def can_mark_answer(user: Any, thread: Thread, post: Post) -> bool:
    """The author of a question marks one visible reply (not their own opening post)."""
    return (
        _is_member(user)
        and thread.author_id == user.pk
        and thread.is_question
        and post.thread_id == thread.pk
        and post.pk != thread.opening_post_id
        and post.is_visible
    )


def can_moderate_staffroom(user: Any) -> bool:
    return bool(_is_member(user) and can_moderate(user))


@dataclass(frozen=True)
class PostItem:
    """A post on a thread page with what the viewer may do with it, decided
    here once rather than in the template (a page shows 25)."""

    post: Post
    url: str
    # The time as ISO 8601 for <time datetime>, and the quote link's words for screen readers.
    iso: str
    quote_label: str
    is_answer: bool
    is_new: bool
    is_own: bool
    can_quote: bool
    can_edit: bool
    can_mark: bool
    can_report: bool
    can_moderate: bool
    can_see_history: bool
    # Cards of the resources and collections it links to (selectors.link_cards).
    cards: list[Any]


def post_items(
    user: Any,
    thread: Thread,
    posts: list[Post],
    new_ids: set[int],
    cards: dict[int, list[Any]],
) -> list[PostItem]:
    member = _is_member(user)
    moderator = can_moderate_staffroom(user)
    replying = can_reply(user, thread)
    uid = user.pk if member else None
    items = []
    quote_label = gettext("the post by %(name)s")
    for post in posts:
        visible = post.is_visible
        own = post.author_id == uid
        items.append(
            PostItem(
                post=post,
                url=post.get_absolute_url(),
                iso=localtime(post.created_at).isoformat(),
                quote_label=quote_label % {"name": post.author.display_name},
                is_answer=post.pk == thread.accepted_post_id,
                is_new=post.pk in new_ids,
                is_own=own,
                can_quote=replying and visible,
                can_edit=own and post.hidden_at is None and not thread.is_locked,
                can_mark=member and can_mark_answer(user, thread, post),
                can_report=member and not own and visible,
                can_moderate=moderator and not own,
                can_see_history=moderator and post.edited_at is not None,
                cards=cards.get(post.pk, []),
            )
        )
    return items
