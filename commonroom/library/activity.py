"""What the library adds to a member's activity feed (R12): items added to
the public collections they follow. Found by ``social.selectors.feed_for``
through ``core.discovery``, so social needs no import of the library."""

from __future__ import annotations

from collections.abc import Sequence

from commonroom.accounts.models import Member
from commonroom.library.selectors import collection_updates_for
from commonroom.social.selectors import FeedItem


def feed_items(member: Member, *, follows: Sequence[tuple[str, int]], limit: int) -> list[FeedItem]:
    """``follows`` holds (model, object id) of what the member follows; no
    query at all when they follow no collection."""
    if not any(model == "collection" for model, _oid in follows):
        return []
    return [
        FeedItem(
            entry.added_at,
            "collection_item",
            entry.resource,
            collection=entry.collection,
            note=entry.note,
        )
        for entry in collection_updates_for(member, limit=limit)
    ]
