"""The report review of a resource (R21, §2.4): a resource's reports join one
review in the moderators' queue (report_services.report_file opens it);
the moderator dismisses them or, when founded, removes the resource."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonroom.accounts.models import Member
from commonroom.moderation import audit
from commonroom.moderation.models import Criterion, Decision, Report, Review
from commonroom.moderation.permissions import moderation_action
from commonroom.moderation.services import item_remove


@moderation_action(subject="review")
@transaction.atomic
def report_dismiss(*, review: Review, by: Member, reason: str) -> Review:
    """The reports on an item are unfounded: close them, the item stays."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.kind != Review.Kind.REPORT or review.closed_at:
        raise ValidationError(_("There is no open report to dismiss."), code="closed")
    now = timezone.now()
    review.closed_at = now
    review.save(update_fields=["closed_at"])
    review.reports.update(status=Report.Status.DISMISSED, handled_by=by, handled_at=now)
    audit.record(
        actor=by,
        action="report_dismiss",
        subject=review.target,
        target=f"review:{review.pk}",
        reason=reason,
    )
    return review


@moderation_action(subject="review")
@transaction.atomic
def report_uphold(
    *, review: Review, by: Member, reason: str, criteria: Sequence[Criterion] = ()
) -> Decision:
    """The reports are founded: the item is removed (R21, R27)."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.kind != Review.Kind.REPORT or review.closed_at:
        raise ValidationError(_("There is no open report to act on."), code="closed")
    decision = item_remove(item=review.target, by=by, reason=reason, criteria=criteria)
    now = timezone.now()
    Review.objects.filter(pk=review.pk).update(closed_at=now)
    review.reports.update(status=Report.Status.ACTIONED, handled_by=by, handled_at=now)
    return decision
