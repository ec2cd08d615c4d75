"""Reads of the staffroom, each in a fixed number of queries. A thread's
posts are paged by key (the post id), never by OFFSET, so its last page of
5,000 replies costs what its first does."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max, Q, QuerySet, Value
from django.db.models.functions import Concat, Lower

from commonroom.accounts.models import Member
from commonroom.accounts.roles import is_moderator
from commonroom.messaging.models import Block
from commonroom.social.models import Follow
from commonroom.staffroom.models import Category, Post, ReadMarker, Thread

PAGE_SIZE = 25
THREADS_PAGE = 30
MAX_MENTIONS = 10
# @[Anna de Smet] for any name; @Anna Peeters for a first name and surname of one word each.
MENTION = re.compile(
    r"@\[(?P<full>[^\]\n]{2,80})\]|@(?P<first>[^\W\d_][\w'-]*) (?P<last>[^\W\d_][\w'-]*)"
)


@dataclass(frozen=True)
class CategoryRow:
    category: Category
    threads: int
    last_post_at: Any


def categories() -> list[CategoryRow]:
    """Every category with its number of visible threads and latest activity (two queries)."""
    stats: dict[int, dict[str, Any]] = {
        row["category_id"]: dict(row)
        for row in Thread.objects.visible()
        .order_by()
        .values("category_id")
        .annotate(n=Count("pk"), last=Max("last_post_at"))
    }
    rows = []
    for category in Category.objects.select_related("level", "subject"):
        row = stats.get(category.pk, {})
        rows.append(CategoryRow(category, row.get("n", 0), row.get("last")))
    return rows


def category_threads(category: Category) -> QuerySet[Thread]:
    """Pinned threads first, then by latest visible post."""
    return (
        Thread.objects.visible()
        .filter(category=category)
        .select_related("author")
        .order_by("-pinned", "-last_post_at", "-pk")
    )


def read_markers(member: Any, thread_ids: Sequence[int]) -> dict[int, int]:
    """The last post each thread was read to by the member (none for a visitor)."""
    if not getattr(member, "is_authenticated", False):
        return {}
    return dict(
        ReadMarker.objects.filter(member=member, thread_id__in=list(thread_ids)).values_list(
            "thread_id", "last_read_post_id"
        )
    )


def unread_thread_ids(member: Any, threads: Iterable[Thread]) -> set[int]:
    """Threads with a post newer than the member's last visit (or never visited)."""
    threads = list(threads)
    if not getattr(member, "is_authenticated", False):
        return set()
    markers = read_markers(member, [t.pk for t in threads])
    return {t.pk for t in threads if t.last_post_id > markers.get(t.pk, 0)}


def posts_visible_to(thread: Thread, viewer: Any) -> QuerySet[Post]:
    """Visible posts; moderators also see held and hidden ones (marked), and
    an author sees their own held post."""
    posts = Post.objects.filter(thread=thread)
    if is_moderator(viewer):
        return posts
    if getattr(viewer, "is_authenticated", False):
        return posts.filter(Q(held=False, hidden_at__isnull=True) | Q(author=viewer, held=True))
    return posts.visible()


@dataclass
class PostPage:
    posts: list[Post]
    # The id to page back from (``?before=``) and forward from (``?after=``), when there are more.
    older_than: int | None = None
    newer_than: int | None = None
    new_ids: set[int] = field(default_factory=set)


def post_page(
    thread: Thread,
    viewer: Any,
    *,
    after: int | None = None,
    before: int | None = None,
    last: bool = False,
    size: int = PAGE_SIZE,
) -> PostPage:
    """One page of a thread by key: from the start, after a post, before a
    post or the last page; two queries whatever the page."""
    posts = posts_visible_to(thread, viewer).select_related("author", "quote__author")
    if before is not None or last:
        newest_first = posts.filter(pk__lt=before) if before is not None else posts
        rows = list(newest_first.order_by("-pk")[: size + 1])
        more_before = len(rows) > size
        rows = rows[:size][::-1]
        more_after = before is not None and bool(rows) and posts.filter(pk__gt=rows[-1].pk).exists()
        return PostPage(
            rows,
            older_than=rows[0].pk if more_before and rows else None,
            newer_than=rows[-1].pk if more_after else None,
        )
    forward = posts.filter(pk__gt=after) if after is not None else posts
    rows = list(forward.order_by("pk")[: size + 1])
    more_after = len(rows) > size
    rows = rows[:size]
    more_before = after is not None and bool(rows) and posts.filter(pk__lt=rows[0].pk).exists()
    return PostPage(
        rows,
        older_than=rows[0].pk if more_before else None,
        newer_than=rows[-1].pk if more_after and rows else None,
    )


def is_following(member: Any, target: Any) -> bool:
    if not getattr(member, "is_authenticated", False):
        return False
    return Follow.objects.filter(
        follower=member,
        content_type=ContentType.objects.get_for_model(type(target)),
        object_id=target.pk,
    ).exists()


def follower_ids(target: Any) -> set[int]:
    return set(
        Follow.objects.filter(
            content_type=ContentType.objects.get_for_model(type(target)), object_id=target.pk
        ).values_list("follower_id", flat=True)
    )


def mentioned_names(body: str) -> list[str]:
    """The names a post mentions, lower case, at most ``MAX_MENTIONS``."""
    names: list[str] = []
    for match in MENTION.finditer(body):
        name = match["full"] or f"{match['first']} {match['last']}"
        name = " ".join(name.split()).lower()
        if name not in names:
            names.append(name)
    return names[:MAX_MENTIONS]


def members_mentioned(body: str) -> list[Member]:
    """Active members named in a post; a name two members share names neither."""
    names = mentioned_names(body)
    if not names:
        return []
    found = list(
        Member.objects.filter(is_active=True)
        .annotate(full=Lower(Concat("first_name", Value(" "), "last_name")))
        .filter(full__in=names)
    )
    counts: dict[str, int] = {}
    for member in found:
        counts[member.full] = counts.get(member.full, 0) + 1
    return [m for m in found if counts[m.full] == 1]


def blocking(author: Member, member_ids: Iterable[int]) -> set[int]:
    """Those among ``member_ids`` who blocked ``author`` (R22): nothing the
    author writes is brought to their attention."""
    return set(
        Block.objects.filter(blocked=author, blocker_id__in=list(member_ids)).values_list(
            "blocker_id", flat=True
        )
    )


def posts_of(member: Member) -> QuerySet[Post]:
    return Post.objects.filter(author=member).select_related("thread").order_by("pk")


# Links to the platform's own resources and collections, shown as cards under a post.
RESOURCE_LINK = re.compile(r"/resources/(\d{1,18})(?:-[\w-]+)?/")
COLLECTION_LINK = re.compile(r"/library/collections/(\d{1,18})(?:-[\w-]+)?/")
MAX_CARDS = 3


@dataclass(frozen=True)
class LinkCard:
    kind: str  # "resource" or "collection"
    title: str
    url: str
    detail: str


def link_cards(posts: Sequence[Post]) -> dict[int, list[LinkCard]]:
    """The published resources and public collections each post links to, by
    post id: at most two queries for a page, none when nothing links."""
    from commonroom.library.models import Collection
    from commonroom.resources.models import Resource

    wanted: dict[int, list[tuple[str, int]]] = {}
    for post in posts:
        found = [("resource", int(n)) for n in RESOURCE_LINK.findall(post.body)]
        found += [("collection", int(n)) for n in COLLECTION_LINK.findall(post.body)]
        if found:
            wanted[post.pk] = list(dict.fromkeys(found))[:MAX_CARDS]
    if not wanted:
        return {}
    ids = {
        kind: {n for pairs in wanted.values() for k, n in pairs if k == kind}
        for kind in ("resource", "collection")
    }
    cards: dict[tuple[str, int], LinkCard] = {}
    if ids["resource"]:
        for r in Resource.objects.published().filter(pk__in=ids["resource"]).select_related("kind"):
            cards["resource", r.pk] = LinkCard(
                "resource", r.title, r.get_absolute_url(), r.kind.label
            )
    if ids["collection"]:
        for c in (
            Collection.objects.public().filter(pk__in=ids["collection"]).select_related("owner")
        ):
            cards["collection", c.pk] = LinkCard(
                "collection", c.title, c.get_absolute_url(), c.owner.display_name
            )
    return {pk: [cards[pair] for pair in pairs if pair in cards] for pk, pairs in wanted.items()}
