"""Resources stay online under the author's name after they leave (R6,
terms 3.1); what never went online is deleted with the account."""

from typing import Any

from commonroom.accounts.models import Member
from commonroom.core.storage import files_delete_on_commit
from commonroom.oai.services import records_leaving
from commonroom.resources.harvest import KEY as HARVEST_KIND
from commonroom.resources.models import PUBLIC_STATES, Resource, State

# Kept after erasure: public resources, and those under investigation or
# decided by moderators, whose record must remain.
KEPT_STATES = (*PUBLIC_STATES, State.REMOVED_PENDING, State.REMOVED, State.OBJECTION_FILED)


def export(member: Member) -> dict[str, Any]:
    return {
        "resources": [
            {
                "id": r.pk,
                "title": r.title,
                "state": r.state,
                "created_at": r.created_at.isoformat(),
                "published_at": r.published_at.isoformat() if r.published_at else None,
                "url": r.get_absolute_url(),
            }
            for r in Resource.objects.filter(author=member).order_by("pk")
        ]
    }


def erase(member: Member) -> None:
    unpublished = Resource.objects.filter(author=member).exclude(state__in=KEPT_STATES)
    names = [
        name
        for r in unpublished.prefetch_related("files")
        for f in r.files.all()
        for name in (f.file.name, f.thumbnail.name, f.thumbnail_small.name)
        if name
    ]
    records_leaving(kind=HARVEST_KIND, objects=unpublished.prefetch_related("subjects", "levels"))
    unpublished.delete()
    # After the commit, retried through the outbox while the bucket is away.
    files_delete_on_commit(names=names)
