"""Whom a post is brought to (notifications app): members it mentions, the
author it quotes, followers of its thread (and of its category for a new
thread). One notification per member and post, the strongest reason first;
nobody who blocked the writer is told (R22), nor the writer."""

from __future__ import annotations

from django.utils.text import Truncator
from django.utils.translation import gettext as _

from commonroom.accounts.models import Member
from commonroom.core.text import markdown_to_text
from commonroom.moderation.notifications import MODERATION_DECISION
from commonroom.notifications.services import notify
from commonroom.staffroom import selectors
from commonroom.staffroom.models import Post
from commonroom.staffroom.notifications import ANSWER, MENTION, NEW_THREAD, QUOTE, REPLY


def excerpt_of(post: Post) -> str:
    return Truncator(markdown_to_text(post.body)).chars(300)


def tell_about_post(post: Post) -> int:
    """Notify everyone a newly shown post concerns; returns how many were told."""
    thread = post.thread
    author = post.author
    reasons: dict[int, str] = {}
    for member in selectors.members_mentioned(post.body):
        reasons.setdefault(member.pk, MENTION)
    if post.quote is not None and post.quote.is_visible:
        reasons.setdefault(post.quote.author_id, QUOTE)
    if post.pk == thread.opening_post_id:
        for member_id in selectors.follower_ids(thread.category):
            reasons.setdefault(member_id, NEW_THREAD)
    else:
        for member_id in selectors.follower_ids(thread):
            reasons.setdefault(member_id, REPLY)
    reasons.pop(author.pk, None)
    for member_id in selectors.blocking(author, reasons):
        reasons.pop(member_id)
    if not reasons:
        return 0
    context = {
        "name": author.display_name,
        "title": thread.title,
        "category": thread.category.name,
        "excerpt": excerpt_of(post),
    }
    recipients = Member.objects.filter(pk__in=list(reasons), is_active=True)
    told = 0
    for recipient in recipients:
        notify(
            recipient=recipient,
            kind=reasons[recipient.pk],
            context=context,
            url=post.get_absolute_url(),
        )
        told += 1
    return told


def tell_answer_accepted(post: Post, by: Member) -> None:
    if post.author_id == by.pk or not post.author.is_active:
        return
    notify(
        recipient=post.author,
        kind=ANSWER,
        context={"name": by.display_name, "title": post.thread.title},
        url=post.get_absolute_url(),
    )


def tell_author_of_decision(post: Post, headline: str, reason: str) -> None:
    """Tells a post's author what a moderator did and why; ``headline`` is a
    msgid (gettext_noop) with ``%(title)s``, translated into each language."""
    title = post.thread.title
    notify(
        recipient=post.author,
        kind=MODERATION_DECISION,
        text=lambda: (_(headline) % {"title": title}, reason),
        url=post.get_absolute_url(),
    )
