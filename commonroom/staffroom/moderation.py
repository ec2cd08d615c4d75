"""Staffroom posts as a moderated and reportable kind (moderation/protocol.py):
a new account's post with a link is held and waits in the one moderation
queue (R20); members report posts into the one report queue (R21)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from commonroom.accounts.models import Member
from commonroom.moderation.kinds import HeldPostKind
from commonroom.moderation.models import Decision
from commonroom.moderation.permissions import authors_of
from commonroom.moderation.report_registry import Reportable
from commonroom.staffroom.models import Post, Thread
from commonroom.staffroom.permissions import can_see_post, can_see_thread

Action = Decision.Action


class ModeratedPosts(HeldPostKind):
    model = Post
    label = gettext_lazy("Staffroom post")

    def title(self, item: Post) -> str:
        return f"{item.author.display_name}: {item.thread.title}"

    def authors(self, item: Post) -> frozenset[int]:
        return frozenset({item.author_id})

    def author(self, item: Post) -> Member:
        return item.author

    def authored_by(self, member: Member) -> QuerySet[Post]:
        return Post.objects.filter(author=member)

    def public_url(self, item: Post) -> str:
        return item.get_absolute_url()

    def review_text(self, item: Post) -> str:
        return item.body

    def lock(self, item: Post) -> Post:
        return (
            Post.objects.select_for_update(of=("self",))
            .select_related("author", "thread__category")
            .get(pk=item.pk)
        )

    hidden_reason_field = "hidden_reason"

    def let_through(self, item: Post) -> None:
        """Shown, counted, indexed and told."""
        from commonroom.staffroom.services import post_shown

        post_shown(item)

    def refused(self, item: Post, decision: Decision) -> None:
        from commonroom.staffroom.services.telling import tell_author_of_decision

        if decision.action == Action.REJECT:
            tell_author_of_decision(
                item,
                gettext_noop("A moderator did not publish your post in “%(title)s”"),
                decision.reason,
            )

    def queue_summary(self, item: Post) -> tuple[str, str]:
        on = _("In “%(title)s”") % {"title": item.thread.title}
        return (on, _("Held: a link from a new account") if item.held else "")

    def queue_queryset(self) -> QuerySet[Post]:
        return Post.objects.select_related("author", "thread")


MODERATED = [ModeratedPosts()]

# The staffroom's audit codes in words (moderation/audit_labels.py).
AUDIT_ACTIONS = {
    "staffroom_post_hide": gettext_lazy("Staffroom post hidden"),
    "staffroom_post_edit": gettext_lazy("Staffroom post edited by a moderator"),
    "staffroom_thread_lock": gettext_lazy("Staffroom thread locked"),
    "staffroom_thread_unlock": gettext_lazy("Staffroom thread unlocked"),
    "staffroom_thread_pin": gettext_lazy("Staffroom thread pinned"),
    "staffroom_thread_unpin": gettext_lazy("Staffroom thread unpinned"),
    "staffroom_thread_move": gettext_lazy("Staffroom thread moved"),
    "staffroom_thread_merge": gettext_lazy("Staffroom thread merged into another"),
    "staffroom_thread_split": gettext_lazy("Staffroom thread split"),
}
AUDIT_TARGETS = {
    "post": gettext_lazy("Staffroom post"),
    "thread": gettext_lazy("Staffroom thread"),
}


@authors_of.register(Thread)
def _thread_authors(thread: Thread) -> frozenset[int]:
    """Nobody locks, pins or moves their own thread."""
    return frozenset({thread.author_id})


# --- reports (R21): moderators hide a reported post; removing blanks it the same way.


def _hide(post: Post, by: Member, reason: str) -> None:
    from commonroom.staffroom.services import post_take_down

    post_take_down(post=post, by=by, reason=reason)


def _visible(post: Post, user: Any) -> bool:
    return post.is_visible and can_see_post(user, post) and can_see_thread(user, post.thread)


def _posts() -> QuerySet[Post]:
    return Post.objects.select_related("author", "thread__opening_post")


REPORTABLE = {
    "staffroom_post": Reportable(
        model=Post,
        label=gettext_lazy("Staffroom post"),
        author=lambda post: post.author,
        excerpt=lambda post: Truncator(post.body).chars(300),
        url=lambda post: post.get_absolute_url(),
        hide=_hide,
        remove=_hide,
        visible_to=_visible,
        queryset=_posts,
    )
}
