"""Staffroom threads through the API: the threads anyone may read (held or
hidden opening posts left out, as on the site), and one thread with the
posts the caller may see (``selectors.posts_visible_to``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Query, Router, Schema

from commonroom.api import auth
from commonroom.api.attribution import attribution_text
from commonroom.api.pagination import ObjectId, PageParams, keyset_page, links
from commonroom.staffroom import permissions, selectors
from commonroom.staffroom.models import Thread

router = Router(tags=["staffroom"])
MAX_POSTS = 200


class ThreadOut(Schema):
    id: int
    title: str
    kind: str
    category: str
    author: str
    created_at: datetime
    last_post_at: datetime
    reply_count: int
    url: str


class ThreadListOut(Schema):
    items: list[ThreadOut]
    next: str | None
    attribution: str


class PostOut(Schema):
    id: int
    author: str
    body: str
    created_at: datetime
    accepted: bool


class ThreadDetailOut(ThreadOut):
    posts: list[PostOut]
    attribution: str


def _out(t: Thread) -> dict[str, Any]:
    return {
        "id": t.pk,
        "title": t.title,
        "kind": t.kind,
        "category": t.category.slug,
        "author": t.author.display_name,
        "created_at": t.created_at,
        "last_post_at": t.last_post_at,
        "reply_count": t.reply_count,
        "url": settings.SITE_URL + t.get_absolute_url(),
    }


def _serialise(page: Sequence[Thread]) -> list[dict[str, Any]]:
    return [_out(t) for t in page]


@router.get(
    "/threads",
    response=ThreadListOut,
    auth=auth.PUBLIC,
    summary="Staffroom threads, newest first",
    operation_id="thread_list",
    openapi_extra=links(200, GetThread=("thread_detail", "thread_id", "/items/0/id")),
)
def thread_list(
    request: HttpRequest,
    page: Query[PageParams],
    category: str | None = Query(None, max_length=80),
) -> dict[str, Any]:
    threads = Thread.objects.visible().select_related("author", "category")
    if category:
        threads = threads.filter(category__slug=category)
    return keyset_page(request, threads, page, serialise=_serialise)


@router.get(
    "/threads/{thread_id}",
    response=ThreadDetailOut,
    auth=auth.PUBLIC,
    summary="One thread and the posts one may read",
    operation_id="thread_detail",
)
def thread_detail(request: HttpRequest, thread_id: ObjectId) -> dict[str, Any]:
    thread = permissions.thread_for_view(request.user, thread_id)
    posts = (
        selectors.posts_visible_to(thread, request.user)
        .select_related("author")
        .order_by("created_at", "pk")[:MAX_POSTS]
    )
    body = _out(thread)
    body["posts"] = [
        {
            "id": p.pk,
            "author": p.author.display_name,
            "body": p.body,
            "created_at": p.created_at,
            "accepted": p.pk == thread.accepted_post_id,
        }
        for p in posts
    ]
    body["attribution"] = attribution_text()
    return body


ROUTERS = [("", router)]
