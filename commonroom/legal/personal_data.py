from typing import Any

from commonroom.accounts.models import Member
from commonroom.legal.models import ContactMessage, TermsAcceptance


def export(member: Member) -> dict[str, Any]:
    return {
        "terms_accepted": [
            {
                "version": a.document.version,
                # null: accepted before the language was recorded.
                "language": a.language or None,
                "accepted_at": a.accepted_at.isoformat(),
            }
            for a in TermsAcceptance.objects.filter(member=member).select_related("document")
        ],
        "contact_messages": [
            {
                "name": m.name,
                "email": m.email,
                "subject": m.subject,
                "message": m.message,
                "sent_at": m.created_at.isoformat(),
            }
            for m in ContactMessage.objects.filter(member=member)
        ],
    }


def erase(member: Member) -> None:
    TermsAcceptance.objects.filter(member=member).delete()
    ContactMessage.objects.filter(member=member).delete()
