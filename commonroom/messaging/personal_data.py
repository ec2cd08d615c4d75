"""What private messaging stores about a member (R6, R7).

Export: the conversations the member takes part in (with the other
participants' names), the messages the member sent and the members they
blocked; the messages they reported are in moderation's "reports_filed".

Erase (leaving the platform): the messages stay, so that the other
participants keep their conversation; they keep pointing at the member row,
which after erasure holds only the name (terms 3.1: "messages' sender
details beyond the name" go with the account). The member's place in each
conversation is marked as left, with the read marker cleared, so nobody can
write to them any more. Their blocks are deleted. Their reports are
moderation's (one report model), erased there.
Blocks others made against the member are those members' data and stay.
"""

from typing import Any

from django.utils import timezone

from commonroom.accounts.models import Member
from commonroom.messaging.models import Block, Message, Participant


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def export(member: Member) -> dict[str, Any]:
    memberships = Participant.objects.filter(member=member).select_related("conversation")
    others: dict[int, list[str]] = {}
    for p in (
        Participant.objects.filter(conversation__participants__member=member)
        .exclude(member=member)
        .select_related("member")
        .order_by("pk")
    ):
        others.setdefault(p.conversation_id, []).append(p.member.display_name)
    return {
        "conversations": [
            {
                "id": p.conversation_id,
                "with": others.get(p.conversation_id, []),
                "joined_at": _iso(p.joined_at),
                "last_read_at": _iso(p.last_read_at),
            }
            for p in memberships.order_by("pk")
        ],
        "messages_sent": [
            {
                "conversation": m.conversation_id,
                "body": m.body,
                "sent_at": _iso(m.created_at),
                "held_for_review": m.held,
                "removed_by_moderator_at": _iso(m.hidden_at),
            }
            for m in Message.objects.filter(sender=member).order_by("created_at", "pk")
        ],
        "members_blocked": [
            {"member": b.blocked.display_name, "since": _iso(b.created_at)}
            for b in Block.objects.filter(blocker=member).select_related("blocked")
        ],
    }


def erase(member: Member) -> None:
    Participant.objects.filter(member=member, left_at__isnull=True).update(
        left_at=timezone.now(), last_read_at=None
    )
    Block.objects.filter(blocker=member).delete()
