"""What the social app keeps about a member. Reactions are public
contributions (terms 4) and stay under the member's name after they leave,
like their resources; ratings, follows, "used in class" signals, e-mail
settings and notifications are deleted."""

from functools import partial
from typing import Any

from django.db import transaction

from commonroom.accounts.models import Member
from commonroom.search.services import search_quality_refresh_many
from commonroom.social.models import (
    ClassroomUse,
    Follow,
    Notification,
    NotificationPreference,
    Rating,
    Reaction,
)


def export(member: Member) -> dict[str, Any]:
    return {
        "notifications": [
            {
                "kind": n.kind,
                "title": n.title,
                "body": n.body,
                "created_at": n.created_at.isoformat(),
                "read": n.read_at is not None,
            }
            for n in Notification.objects.filter(recipient=member)
        ],
        "notification_settings": {
            p.kind: p.frequency for p in NotificationPreference.objects.filter(member=member)
        },
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

    Notification.objects.filter(recipient=member).delete()
    _name_in_notifications_erase(member)
    NotificationPreference.objects.filter(member=member).delete()
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


def _name_in_notifications_erase(member: Member) -> None:
    """Other members' notifications name the member in their text ("… follows
    you", "New message from …"); the name goes from those copies. It stays
    only where it is the attribution of a contribution."""
    from django.db.models import F, Q, Value
    from django.db.models.functions import Replace
    from django.utils import translation
    from django.utils.translation import gettext as _

    name = member.display_name
    if not name:
        return
    former = _("a former member")
    # Each language's copy names them the same way as the recipient's own
    # (title, body), so the rows to rewrite are those.
    named = Notification.objects.filter(Q(title__contains=name) | Q(body__contains=name))
    for notification in named.exclude(texts={}).only("pk", "texts").iterator():
        texts = {}
        for language, text in notification.texts.items():
            with translation.override(language):
                former_here = _("a former member")
            texts[language] = {
                part: str(words).replace(name, former_here) for part, words in text.items()
            }
        Notification.objects.filter(pk=notification.pk).update(texts=texts)
    Notification.objects.filter(title__contains=name).update(
        title=Replace(F("title"), Value(name), Value(former))
    )
    Notification.objects.filter(body__contains=name).update(
        body=Replace(F("body"), Value(name), Value(former))
    )
