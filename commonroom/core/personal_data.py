from typing import Any

from commonroom.accounts.models import Member
from commonroom.core.models import PostFingerprint


def export(member: Member) -> dict[str, Any]:
    return {
        "recent_post_fingerprints": [
            {"kind": f.kind, "normalised_text": f.text, "created_at": f.created_at.isoformat()}
            for f in PostFingerprint.objects.filter(member=member)
        ]
    }


def erase(member: Member) -> None:
    PostFingerprint.objects.filter(member=member).delete()
