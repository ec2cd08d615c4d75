"""What organisations add to a member's activity feed (R12): new resources
published under the verified organisations they follow. Found by
``social.selectors.feed_for`` through ``core.discovery``."""

from __future__ import annotations

from collections.abc import Sequence

from commonroom.accounts.models import Member
from commonroom.moderation.lifecycle import PUBLIC_STATES
from commonroom.resources.models import Resource
from commonroom.social.selectors import FeedItem


def feed_items(member: Member, *, follows: Sequence[tuple[str, int]], limit: int) -> list[FeedItem]:
    """No query at all when the member follows no organisation; an excluded
    organisation's resources leave the feed at once (R24)."""
    followed = [oid for model, oid in follows if model == "organisation"]
    if not followed:
        return []
    resources = (
        Resource.objects.published()
        .filter(
            organisation_link__organisation_id__in=followed,
            organisation_link__organisation__state__in=PUBLIC_STATES,
        )
        .exclude(author=member)
        .select_related("author", "kind", "licence", "organisation_link__organisation")
        .order_by("-published_at")[:limit]
    )
    return [
        FeedItem(
            resource.published_at or resource.created_at,
            "resource",
            resource,
            because="organisation",
            note=resource.organisation_link.organisation.name,
        )
        for resource in resources
    ]
