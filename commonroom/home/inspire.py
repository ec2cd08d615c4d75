"""Inspire (R12): on a member's home, the newest resources for the
subjects and levels in their profile.

Through the search index: its tree facets hold every ancestor of an
assigned term, so a member who teaches "secondary education" sees resources
for each of its years. With subjects and levels both in the profile a
resource must match one of each; with only one kind, one of those. Four
queries whatever the profile (pinned in tests/test_insight.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from commonroom.accounts.models import Member
from commonroom.accounts.selectors import profile_terms
from commonroom.resources.models import Resource
from commonroom.resources.selectors import resources_for_listing
from commonroom.search.models import SearchDocument, SearchFacetValue

INSPIRE_DAYS = 30
INSPIRE_LIMIT = 8


def inspire_for(
    member: Member, *, limit: int = INSPIRE_LIMIT, now: datetime | None = None
) -> list[Resource]:
    """Up to ``limit`` resources published in the last 30 days for the
    member's subjects and levels, newest first, never their own."""
    subject_ids, level_ids = profile_terms(member)
    if not subject_ids and not level_ids:
        return []
    since = (now or timezone.now()) - timedelta(days=INSPIRE_DAYS)
    documents = SearchDocument.objects.filter(kind="resource", published_at__gte=since)
    for facet, ids in (("subject", subject_ids), ("level", level_ids)):
        if ids:
            documents = documents.filter(
                pk__in=SearchFacetValue.objects.filter(facet=facet, value__in=ids).values(
                    "document_id"
                )
            )
    return list(
        resources_for_listing()
        .filter(pk__in=documents.values("object_id"), published_at__gte=since)
        .exclude(author_id=member.pk)[:limit]
    )
