from typing import Any

from commonroom.accounts.models import Member
from commonroom.social.models import Notification


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
        ]
    }


def erase(member: Member) -> None:
    Notification.objects.filter(recipient=member).delete()
