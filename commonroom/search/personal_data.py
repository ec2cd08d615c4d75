"""What search keeps about a member: their saved searches. The search
insight counters (QueryStat) hold no link to anyone, so there is nothing
else to export or erase."""

from typing import Any

from commonroom.accounts.models import Member
from commonroom.search.models import SavedSearch


def export(member: Member) -> dict[str, Any]:
    return {
        "saved_searches": [
            {
                "name": s.name,
                "query": s.query,
                "filters": s.filters,
                "sort": s.sort,
                "alerts": s.frequency,
                "url": s.get_search_url(),
                "created_at": s.created_at.isoformat(),
                "last_checked_at": s.last_checked_at.isoformat() if s.last_checked_at else None,
            }
            for s in SavedSearch.objects.filter(member=member).order_by("pk")
        ]
    }


def erase(member: Member) -> None:
    SavedSearch.objects.filter(member=member).delete()
