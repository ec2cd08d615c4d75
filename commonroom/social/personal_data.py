"""What the social app keeps about a member. Reactions are public
contributions (terms 4) and stay under the member's name after they leave,
like their resources; ratings, follows and "used in class" signals are
deleted (notifications and e-mail settings: notifications.personal_data)."""

from functools import partial
from typing import Any

from django.db import transaction

from commonroom.accounts.models import Member
from commonroom.search.services import search_quality_refresh_many
from commonroom.social.models import (
    ClassroomUse,
    Follow,
    Rating,
    Reaction,
)


def export(member: Member) -> dict[str, Any]:
    return {
        "reactions": [
            {
                "resource": r.resource_id,
                "body": r.body,
                "created_at": r.created_at.isoformat(),
                "hidden": r.hidden_at is not None,
            }
            for r in Reaction.objects.filter(author=member)
        ],
        "ratings": [
            {"resource": r.resource_id, "stars": r.stars}
            for r in Rating.objects.filter(member=member)
        ],
        "classroom_uses": [
            {
                "resource": u.resource_id,
                "level": u.level_id,
                "subject": u.subject_id,
                "note": u.note,
                "created_at": u.created_at.isoformat(),
            }
            for u in ClassroomUse.objects.filter(member=member)
        ],
        "follows": [
            {"type": f.content_type.model, "id": f.object_id, "since": f.created_at.isoformat()}
            for f in Follow.objects.filter(follower=member).select_related("content_type")
        ],
    }


def erase(member: Member) -> None:
    from django.contrib.contenttypes.models import ContentType

    ratings = Rating.objects.filter(member=member)
    uses = ClassroomUse.objects.filter(member=member)
    resource_ids = sorted(
        {
            *ratings.values_list("resource_id", flat=True),
            *uses.values_list("resource_id", flat=True),
        }
    )
    ratings.delete()
    uses.delete()
    # Their ratings and "used in class" counted in search ranking go too.
    transaction.on_commit(
        partial(search_quality_refresh_many, kind="resource", object_ids=resource_ids)
    )
    Follow.objects.filter(follower=member).delete()
    Follow.objects.filter(
        content_type=ContentType.objects.get_for_model(Member), object_id=member.pk
    ).delete()
