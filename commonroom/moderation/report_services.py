"""Every write on reports (R21): anyone files one on any registered kind;
moderators dismiss it or act on the content, and every open report on that
content closes with the decision."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonroom.accounts.models import Member
from commonroom.accounts.permissions import can_suspend
from commonroom.core import antispam
from commonroom.moderation import audit, permissions
from commonroom.moderation.models import Report, Review
from commonroom.moderation.notifications import MODERATION_DECISION
from commonroom.moderation.report_models import ReportQuerySet
from commonroom.moderation.report_registry import (
    Reportable,
    content_type_for,
    kind_for_model,
    kind_of_type,
    reportables,
)
from commonroom.moderation.suspensions import member_suspend
from commonroom.notifications.services import notify

Action = Report.Action
Status = Report.Status
RATE_LIMITED = gettext_lazy(
    "You have sent many reports in a short time. Please wait before sending another."
)


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
    *, target: models.Model, reporter: Member | None, reason: str, text: str = "", email: str = ""
) -> Report:
    """Anyone reports content (R21, §2.4); a member reporting the same thing
    again while the first report is open changes nothing. ``reporter`` is None
    for a visitor, who then gives ``email`` (the views limit visitors per address)."""
    email = visitor_email_check(reporter=reporter, email=email)
    kind = kind_for_model(type(target))
    reportable = reportables()[kind]
    if reporter is not None:
        existing = Report.objects.on(target).open().filter(reporter=reporter).first()
        if existing is not None:
            return existing
        if antispam.rate_limit_hit(member=reporter, kind="report"):
            raise ValidationError(str(RATE_LIMITED), code="rate_limited")
    report = Report(
        content_type=content_type_for(kind),
        object_id=target.pk,
        reporter=reporter,
        reporter_email=email,
        reason=reason,
        text=text.strip(),
    )
    report.full_clean()
    if reportable.review_for is not None:
        report.review = reportable.review_for(target)
    report.save()
    audit.record(
        actor=reporter,
        action="report_file",
        resource=target if report.review is not None else None,
        target=f"{kind}:{target.pk}",
        reason=f"{reason}: {report.text}".rstrip(": "),
    )
    return report


def reports_close(
    *, target: models.Model, by: Member, status: str, action: str = "", reason: str = ""
) -> list[Report]:
    """Close every open report on ``target`` (a decision is about the content,
    not one report) and the report reviews they wait in; the closed reports."""
    return _close_open(
        Report.objects.on(target), by=by, status=status, action=action, reason=reason
    )


def _close_open(
    reports: ReportQuerySet, *, by: Member, status: str, action: str, reason: str
) -> list[Report]:
    closing = list(
        reports.open().select_for_update(of=("self",)).select_related("reporter", "content_type")
    )
    now = timezone.now()
    Report.objects.filter(pk__in=[r.pk for r in closing]).update(
        status=status, action_taken=action, handled_by=by, handled_at=now, decision_reason=reason
    )
    Review.objects.filter(
        pk__in={r.review_id for r in closing if r.review_id},
        kind=Review.Kind.REPORT,
        closed_at__isnull=True,
    ).update(closed_at=now)
    for report in closing:
        report.status, report.action_taken, report.decision_reason = status, action, reason
        report.handled_by, report.handled_at = by, now
    return closing


def _lock_open(report: Report) -> Report:
    report = Report.objects.select_for_update().select_related("content_type").get(pk=report.pk)
    if report.status != Status.OPEN:
        raise ValidationError(_("This report has already been handled."), code="closed")
    return report


def _same_target(report: Report) -> ReportQuerySet:
    return Report.objects.filter(content_type=report.content_type_id, object_id=report.object_id)


@permissions.moderation_action(subject="report")
@transaction.atomic
def report_dismiss(*, report: Report, by: Member, reason: str = "") -> Report:
    """The reports on the content are unfounded: they close, the content stays."""
    report = _lock_open(report)
    reason = reason.strip()
    closed = _close_open(
        _same_target(report), by=by, status=Status.DISMISSED, action="", reason=reason
    )
    kind = kind_of_type(report.content_type_id)
    audit.record(
        actor=by,
        action="report_dismiss",
        target=f"{kind}:{report.object_id}",
        from_state=Status.OPEN,
        to_state=Status.DISMISSED,
        reason=reason,
    )
    reportable = reportables().get(kind)
    if reportable is not None and reportable.reports_dismissed is not None:
        reportable.reports_dismissed(closed)
    report.refresh_from_db()
    return report


AUTHOR_TITLES = {
    Action.HIDE: gettext_lazy("Moderators have hidden something you posted"),
    Action.REMOVE: gettext_lazy("Moderators have removed something you posted"),
    Action.WARN: gettext_lazy("A warning from the moderators"),
}


def _tell_author(author: Member, action: str, reportable: Reportable, url: str, why: str) -> None:
    notify(
        recipient=author,
        kind=MODERATION_DECISION,
        text=lambda: (
            str(AUTHOR_TITLES[Action(action)]),
            _("%(what)s: %(reason)s") % {"what": reportable.label, "reason": why},
        ),
        url=url,
    )


def _apply(
    action: str, *, reportable: Reportable, target: Any, author: Member | None, by: Member,
    reason: str, until: datetime | None,
) -> None:  # fmt: skip
    # Read before the hook runs: a removal may delete the target (a
    # collection), whose url can no longer be built and would lead nowhere.
    url = reportable.url(target)
    if action == Action.HIDE:
        reportable.hide(target, by, reason)
    elif action == Action.REMOVE:
        reportable.remove(target, by, reason)
    elif action == Action.SUSPEND:
        if author is None or not can_suspend(by, author):
            raise ValidationError(_("Only staff can suspend this member."), code="not_allowed")
        member_suspend(member=author, reason=reason, until=until, by=by)
    told_by_hook = reportable.hooks_tell_author and action in (Action.HIDE, Action.REMOVE)
    if author is not None and action != Action.SUSPEND and not told_by_hook:
        _tell_author(author, action, reportable, url if target.pk is not None else "", reason)


@permissions.moderation_action(subject="report")
@transaction.atomic
def report_act(
    *, report: Report, by: Member, action: str, reason: str, until: datetime | None = None
) -> Report:
    """A moderator acts on reported content: hide or remove it, warn its
    author, or (staff only) suspend the author until ``until`` or for good."""
    report = _lock_open(report)
    reason = reason.strip()
    if action not in Action.values:
        raise ValidationError(_("Choose what to do."), code="invalid_action")
    if not reason:
        raise ValidationError(_("Give the reason; the author receives it."), code="reason_required")
    kind = kind_of_type(report.content_type_id)
    reportable = reportables().get(kind)
    target = reportable.objects().filter(pk=report.object_id).first() if reportable else None
    if reportable is None or target is None:
        raise ValidationError(_("The reported content no longer exists."), code="gone")
    author = reportable.author(target)
    if action in (Action.WARN, Action.SUSPEND) and author is None:
        raise ValidationError(_("This content has no author to act on."), code="no_author")
    started = timezone.now()
    _apply(action, reportable=reportable, target=target, author=author, by=by, reason=reason,
           until=until)  # fmt: skip
    # The hook may have closed the reports already (a removed resource's, a
    # hidden message's); the rest close here, all with this action.
    _close_open(_same_target(report), by=by, status=Status.ACTIONED, action=action, reason=reason)
    _same_target(report).filter(
        status=Status.ACTIONED, action_taken="", handled_by=by, handled_at__gte=started
    ).update(action_taken=action, decision_reason=reason)
    audit.record(
        actor=by,
        action=f"report_{action}",
        target=f"{kind}:{report.object_id}",
        from_state=Status.OPEN,
        to_state=Status.ACTIONED,
        reason=reason,
    )
    report.refresh_from_db()
    return report
