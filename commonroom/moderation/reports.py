"""Reports from members and visitors (R21, §2.4): a report opens (or joins)
a report review in the moderators' queue; founded reports remove the item."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonroom.accounts.models import Member
from commonroom.moderation import audit
from commonroom.moderation.models import Criterion, Decision, Report, Review
from commonroom.moderation.permissions import moderation_action
from commonroom.moderation.services import item_remove, lock


def visitor_email_check(*, reporter: Member | None, email: str) -> str:
    """A visitor's report needs an address for the moderators' questions (§2.4);
    a member's report has the account, so no address is stored for it."""
    if reporter is not None:
        return ""
    email = email.strip()
    if not email:
        raise ValidationError(
            {"reporter_email": _("Give your email address: moderators may need to ask you more.")},
            code="email_required",
        )
    return email


@transaction.atomic
def report_file(
    *, resource: Any, by: Member | None, reason: str, text: str = "", email: str = ""
) -> Report:
    """Anyone reports a resource (R21, §2.4); it lands in the moderators' queue.
    ``by`` is None for a visitor, who then gives ``email``."""
    email = visitor_email_check(reporter=by, email=email)
    resource = lock(resource)
    report = Report(
        resource=resource, reporter=by, reporter_email=email, reason=reason, text=text.strip()
    )
    report.full_clean()
    review = (
        Review.objects.about(resource)
        .filter(kind=Review.Kind.REPORT, closed_at__isnull=True)
        .first()
    )
    if review is None:
        review = Review.objects.create(target=resource, kind=Review.Kind.REPORT)
    report.review = review
    report.save()
    audit.record(
        actor=by,
        action="report_file",
        subject=resource,
        target=f"report:{report.pk}",
        reason=f"{reason}: {report.text}",
    )
    return report


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
