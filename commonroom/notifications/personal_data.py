"""What the notifications app keeps about a member: their notifications and
e-mail settings, exported and deleted with them. Other members'
notifications that name them ("… follows you") lose the name."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Q, Value
from django.db.models.functions import Replace
from django.utils import translation
from django.utils.translation import gettext as _

from commonroom.accounts.models import Member
from commonroom.notifications.models import Notification, NotificationPreference


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
    }


def erase(member: Member) -> None:
    Notification.objects.filter(recipient=member).delete()
    _name_in_notifications_erase(member)
    NotificationPreference.objects.filter(member=member).delete()


def _name_in_notifications_erase(member: Member) -> None:
    """Other members' notifications name the member in their text ("… follows
    you", "New message from …"); the name goes from those copies. It stays
    only where it is the attribution of a contribution."""
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
