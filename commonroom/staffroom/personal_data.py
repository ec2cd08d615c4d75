"""What the staffroom keeps about a member (R6, R7).

Export: the threads they opened and every post they wrote (with its
earlier versions they wrote themselves), and how far they read threads.

Erase (leaving the platform): threads and posts are public contributions
(terms 4: "your name will still appear on ... content that you have
provided") and stay under the member's name, like reactions; the member row
keeps only that name. Their read markers go; their follows are social's
(social.personal_data deletes them)."""

from __future__ import annotations

from typing import Any

from commonroom.accounts.models import Member
from commonroom.staffroom.models import PostRevision, ReadMarker, Thread
from commonroom.staffroom.selectors import posts_of


def export(member: Member) -> dict[str, Any]:
    earlier: dict[int, list[str]] = {}
    for post_id, body in (
        PostRevision.objects.filter(edited_by=member, post__author=member)
        .order_by("pk")
        .values_list("post_id", "body")
    ):
        earlier.setdefault(post_id, []).append(body)
    return {
        "staffroom_threads": [
            {
                "id": t.pk,
                "title": t.title,
                "category": t.category.name,
                "kind": t.kind,
                "created_at": t.created_at.isoformat(),
            }
            for t in Thread.objects.filter(author=member).select_related("category").order_by("pk")
        ],
        "staffroom_posts": [
            {
                "id": p.pk,
                "thread": p.thread_id,
                "thread_title": p.thread.title,
                "body": p.body,
                "created_at": p.created_at.isoformat(),
                "edited_at": p.edited_at.isoformat() if p.edited_at else None,
                "hidden": p.hidden_at is not None,
                "held": p.held,
                "earlier_versions": earlier.get(p.pk, []),
            }
            for p in posts_of(member)
        ],
        "staffroom_read": [
            {"thread": m.thread_id, "read_to_post": m.last_read_post_id}
            for m in ReadMarker.objects.filter(member=member).order_by("pk")
        ],
    }


def erase(member: Member) -> None:
    ReadMarker.objects.filter(member=member).delete()
