"""Suspending a member and lifting a suspension (R5): moderation acts on
an account, so they live here, above accounts, and obey the rule that
nobody decides on their own case."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from commonroom.accounts.models import Member, StaffAction, Suspension
from commonroom.moderation.permissions import moderation_action


@moderation_action(subject="member")
@transaction.atomic
def member_suspend(
    *, member: Member, reason: str, until: datetime | None, by: Member
) -> Suspension:
    """Deny a member access until a date, or for good when ``until`` is None (R5).

    Their sessions end at their next request (SuspensionMiddleware), and
    sign-in is refused with the reason while the suspension lasts.
    """
    suspension = Suspension(member=member, reason=reason.strip(), ends_at=until, suspended_by=by)
    suspension.full_clean()
    suspension.save()
    StaffAction.objects.create(
        actor=by, member=member, kind=StaffAction.Kind.SUSPEND, reason=suspension.reason
    )
    return suspension


@moderation_action(subject="suspension")
@transaction.atomic
def suspension_lift(*, suspension: Suspension, by: Member, reason: str = "") -> Suspension:
    suspension.lifted_at = timezone.now()
    suspension.lifted_by = by
    suspension.save(update_fields=["lifted_at", "lifted_by"])
    StaffAction.objects.create(
        actor=by, member=suspension.member, kind=StaffAction.Kind.LIFT, reason=reason
    )
    return suspension
