"""Reports, notices and objections a member filed. Reports and notices stay
for the moderation record without the link to the member; objections are
part of the decision record about a resource that stays online."""

from typing import Any

from django.db.models import Q

from commonroom.accounts.models import Member
from commonroom.moderation.models import Notice, Objection, Report
from commonroom.moderation.report_registry import kind_of_type


def export(member: Member) -> dict[str, Any]:
    return {
        # Reports on every kind of content, from the one report model.
        "reports_filed": [
            {
                "kind": kind_of_type(r.content_type_id),
                "object": r.object_id,
                "reason": r.reason,
                "text": r.text,
                "filed_at": r.created_at.isoformat(),
                "status": r.status,
            }
            for r in Report.objects.filter(reporter=member)
        ],
        "notices_filed": [
            {
                "resource": n.object_id,  # notices are filed on resources only
                "name": n.name,
                "email": n.email,
                "work": n.work,
                "reasons": n.reasons,
                "filed_at": n.created_at.isoformat(),
                "status": n.status,
            }
            for n in Notice.objects.filter(filed_by=member)
        ],
        "objections": [
            {
                "decision": o.decision_id,
                "text": o.text,
                "filed_at": o.created_at.isoformat(),
                "status": o.status,
                "decision_reason": o.decision_reason,
            }
            for o in Objection.objects.filter(author=member)
        ],
    }


def erase(member: Member) -> None:
    Report.objects.filter(reporter=member).update(reporter=None)
    # A report sent as a visitor with the member's address keeps no trace of it either.
    if member.email:
        Report.objects.filter(reporter_email__iexact=member.email).update(reporter_email="")
    # The notice stays for the moderation record; who filed it does not.
    filed = Q(filed_by=member)
    if member.email:
        filed |= Q(email__iexact=member.email)
    Notice.objects.filter(filed).update(filed_by=None, name="", email="")
