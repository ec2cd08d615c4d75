"""Read use cases of moderation: the queue, the review page, the dashboard,
the transparency report (R26 to R30). Joins and prefetches are decided here
so pages run a fixed number of queries whatever their length."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonroom.accounts.models import Member
from commonroom.moderation.models import (
    AuditEntry,
    Criterion,
    Decision,
    Notice,
    Objection,
    ReportReason,
)
from commonroom.moderation.permissions import open_to
from commonroom.moderation.queue_selectors import queue_counts
from commonroom.moderation.report_counts import ReportCounts, count_reports

# The review decisions that end a submission; edits and removals are not timed.
REVIEW_DECISIONS = ("decision_publish", "decision_request_changes", "decision_reject")


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


# --- staff lists --------------------------------------------------------------------------


def objections_for_staff(status: str = "", for_member: Member | None = None) -> QuerySet[Objection]:
    """Without those about the member's own work or own decision."""
    objections = Objection.objects.select_related(
        "author", "decision__moderator", "decided_by"
    ).prefetch_related("decision__criteria", "decision__target")
    if for_member is not None:
        objections = objections.filter(open_to(for_member)[Objection])
    if status:
        objections = objections.filter(status=status)
    return objections.order_by("created_at", "pk")


def notices_for_staff(status: str = "", for_member: Member | None = None) -> QuerySet[Notice]:
    """Without those about the member's own work or filed by the member."""
    notices = Notice.objects.select_related("decided_by", "filed_by").prefetch_related("target")
    if for_member is not None:
        notices = notices.filter(open_to(for_member)[Notice])
    if status:
        notices = notices.filter(status=status)
    return notices.order_by("created_at", "pk")


# The audit page filters by resource number (its form's field); rows about
# other kinds are found by action. Named, not imported: moderation imports no content app.
AUDIT_FILTER_KIND = ("resources", "resource")


def audit_log(*, action: str = "", resource_id: int | None = None) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.select_related("actor").prefetch_related("subject")
    if action:
        entries = entries.filter(action=action)
    if resource_id is not None:
        entries = entries.filter(
            content_type=ContentType.objects.get_by_natural_key(*AUDIT_FILTER_KIND),
            object_id=resource_id,
        )
    return entries.order_by("-created_at", "-pk")


def audit_actions() -> list[str]:
    return list(AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct())


# --- numbers ------------------------------------------------------------------------------


def decision_durations(start: datetime, end: datetime) -> list[timedelta]:
    """For every review decision in [start, end): the time since the
    submission it answered. A submission is answered by the first decision
    after it, so a later decision on an edit is not timed from the original
    submission."""
    decided = AuditEntry.objects.filter(
        action__in=REVIEW_DECISIONS, created_at__gte=start, created_at__lt=end
    ).values("object_id")
    events = (
        AuditEntry.objects.filter(
            object_id__in=decided,
            created_at__lt=end,
            action__in=(*REVIEW_DECISIONS, "resource_submit"),
        )
        .order_by("content_type_id", "object_id", "created_at", "pk")
        .values_list("content_type_id", "object_id", "action", "created_at")
    )
    durations = []
    waiting: dict[tuple[int, int | None], datetime] = {}
    for content_type_id, object_id, action, at in events:
        item = (content_type_id, object_id)
        if action == "resource_submit":
            waiting[item] = at
        elif item in waiting:
            submitted = waiting.pop(item)
            if at >= start:
                durations.append(at - submitted)
    return durations


def median_hours(durations: list[timedelta]) -> float | None:
    if not durations:
        return None
    return round(statistics.median(d.total_seconds() for d in durations) / 3600, 1)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class Dashboard:
    queue: dict[str, int]
    median_hours: float | None
    decisions_timed: int
    weeks: list[date]
    per_criterion: dict[str, list[int]]  # criterion label -> a count per week
    per_action: dict[str, int]  # action label -> count over the last 30 days


def dashboard(*, today: date | None = None) -> Dashboard:
    today = today or timezone.localdate()
    tomorrow = _day_start(today + timedelta(days=1))
    durations = decision_durations(tomorrow - timedelta(days=30), tomorrow)
    weeks = [week_start(today) - timedelta(weeks=11 - i) for i in range(12)]
    used = Decision.criteria.through.objects.filter(
        decision__created_at__gte=_day_start(weeks[0])
    ).values_list("criterion_id", "decision__created_at")
    criteria = {c.pk: c for c in Criterion.objects.all()}
    per_criterion: dict[str, list[int]] = {}
    for criterion_id, at in used:
        week = week_start(timezone.localtime(at).date())
        if week in weeks:
            row = per_criterion.setdefault(criteria[criterion_id].label, [0] * len(weeks))
            row[weeks.index(week)] += 1
    since = tomorrow - timedelta(days=30)
    actions = dict(
        Decision.objects.filter(created_at__gte=since).values_list("action").annotate(n=Count("pk"))
    )
    return Dashboard(
        queue=queue_counts(),
        median_hours=median_hours(durations),
        decisions_timed=len(durations),
        weeks=weeks,
        per_criterion=dict(sorted(per_criterion.items())),
        per_action={str(label): actions.get(value, 0) for value, label in Decision.Action.choices},
    )


# --- the transparency report (R30) ----------------------------------------------------------


def last_full_quarter(today: date) -> tuple[date, date]:
    this_quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = this_quarter - timedelta(days=1)
    return date(end.year, 3 * ((end.month - 1) // 3) + 1, 1), end


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    value: int | float | None
    section: str


@dataclass(frozen=True)
class TransparencyReport:
    """What the platform did in a period, counted from the audit log and the
    notice, report and objection rows; every number is a row of ``metrics``."""

    start: date
    end: date
    notices_received: int
    notices_restored: int
    notices_removed: int
    reports_received: int
    reports_by_reason: dict[str, int]
    reports_by_kind: dict[str, ReportCounts]
    reports_total: ReportCounts
    decisions_by_action: dict[str, int]
    decisions_by_criterion: dict[str, int]
    median_hours_to_decision: float | None
    decisions_timed: int
    objections_filed: int
    objections_upheld: int
    objections_overturned: int
    criterion_labels: dict[str, str] = field(default_factory=dict)
    kind_labels: dict[str, Any] = field(default_factory=dict)

    def report_outcomes(self) -> list[Metric]:
        """Per kind of content and in total: received, still open, acted upon,
        dismissed (where the reports received in the period stand now)."""
        section = str(_("Reports by kind of content"))
        rows = [*self.reports_by_kind.items(), ("total", self.reports_total)]
        metrics = []
        for kind, counts in rows:
            label = str(self.kind_labels.get(kind, _("All kinds")))
            for outcome, name, value in [
                ("received", _("received"), counts.received),
                ("open", _("still open"), counts.open),
                ("actioned", _("acted upon"), counts.actioned),
                ("dismissed", _("dismissed"), counts.dismissed),
            ]:
                metric_label = _("%(kind)s: %(outcome)s") % {"kind": label, "outcome": name}
                metrics.append(Metric(f"reports_{kind}_{outcome}", metric_label, value, section))
        return metrics

    def metrics(self) -> list[Metric]:
        notices, reports = str(_("Notices of infringement")), str(_("Reports by members"))
        decisions, criteria = str(_("Moderation decisions")), str(_("Decisions by criterion"))
        timing, objections = str(_("Time to decision")), str(_("Objections"))
        reasons = dict(ReportReason.choices)
        actions = dict(Decision.Action.choices)
        return [
            Metric("notices_received", str(_("Notices received")), self.notices_received, notices),
            Metric(
                "notices_restored",
                str(_("Resources restored after a notice")),
                self.notices_restored,
                notices,
            ),
            Metric(
                "notices_removed",
                str(_("Resources removed after a notice")),
                self.notices_removed,
                notices,
            ),
            Metric("reports_received", str(_("Reports received")), self.reports_received, reports),
            *(
                Metric(f"reports_{reason}", str(reasons[reason]), n, reports)
                for reason, n in self.reports_by_reason.items()
            ),
            *self.report_outcomes(),
            *(
                Metric(f"decisions_{action}", str(actions[action]), n, decisions)
                for action, n in self.decisions_by_action.items()
            ),
            *(
                Metric(f"criterion_{slug}", self.criterion_labels.get(slug, slug), n, criteria)
                for slug, n in self.decisions_by_criterion.items()
            ),
            Metric(
                "median_hours_to_decision",
                str(_("Median time from submission to decision (hours)")),
                self.median_hours_to_decision,
                timing,
            ),
            Metric("decisions_timed", str(_("Decisions timed")), self.decisions_timed, timing),
            Metric(
                "objections_filed", str(_("Objections filed")), self.objections_filed, objections
            ),
            Metric(
                "objections_upheld", str(_("Refusals upheld")), self.objections_upheld, objections
            ),
            Metric(
                "objections_overturned",
                str(_("Refusals overturned")),
                self.objections_overturned,
                objections,
            ),
        ]

    def sections(self) -> list[tuple[str, list[Metric]]]:
        grouped: dict[str, list[Metric]] = {}
        for metric in self.metrics():
            grouped.setdefault(metric.section, []).append(metric)
        return list(grouped.items())


def transparency_report(start: date, end: date) -> TransparencyReport:
    """Counts for the days from ``start`` to ``end``, both included, in the
    platform's time zone. Criteria are counted in Python: ``AuditEntry.criteria``
    is a JSON list and JSON lookups differ between SQLite and PostgreSQL."""
    since, until = _day_start(start), _day_start(end + timedelta(days=1))
    in_period = {"created_at__gte": since, "created_at__lt": until}
    audit = AuditEntry.objects.filter(**in_period)
    by_action = dict(audit.values_list("action").annotate(n=Count("pk")).order_by())
    reports = count_reports(since, until)
    criteria = Counter(
        slug
        for slugs in audit.filter(action__startswith="decision_").values_list("criteria", flat=True)
        for slug in slugs or []
    )
    known = list(Criterion.objects.all())
    slugs = [c.slug for c in known if c.active or c.slug in criteria]
    slugs += sorted(set(criteria) - set(slugs))
    durations = decision_durations(since, until)
    return TransparencyReport(
        start=start,
        end=end,
        notices_received=Notice.objects.filter(**in_period).count(),
        notices_restored=by_action.get("notice_restore", 0),
        notices_removed=by_action.get("notice_remove", 0),
        reports_received=reports.total.received,
        reports_by_reason={reason: reports.by_reason[reason] for reason in ReportReason.values},
        reports_by_kind=reports.by_kind,
        reports_total=reports.total,
        kind_labels=reports.kind_labels,
        decisions_by_action={
            action: by_action.get(f"decision_{action}", 0) for action in Decision.Action.values
        },
        decisions_by_criterion={slug: criteria.get(slug, 0) for slug in slugs},
        median_hours_to_decision=median_hours(durations),
        decisions_timed=len(durations),
        objections_filed=Objection.objects.filter(**in_period).count(),
        objections_upheld=by_action.get("objection_uphold", 0),
        objections_overturned=by_action.get("objection_overturn", 0),
        criterion_labels={c.slug: c.label for c in known},
    )
