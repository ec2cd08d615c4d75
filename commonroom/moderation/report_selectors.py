"""Reads for the one report queue (R21): reports on every kind, each with its
content, fetched in one query per kind on the page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from commonroom.accounts.models import Member
from commonroom.moderation import permissions
from commonroom.moderation.models import Report
from commonroom.moderation.report_registry import (
    Reportable,
    content_type_for,
    kind_of_type,
    reportables,
)


@dataclass(frozen=True)
class Row:
    report: Report
    kind: str
    reportable: Reportable | None
    target: Any
    # The viewer authored the content: it stays listed, another moderator decides.
    own_work: bool = False

    @property
    def private(self) -> bool:
        return self.reportable is not None and self.reportable.moderation_url is not None

    @property
    def excerpt(self) -> str:
        if self.private or not (self.reportable and self.target):
            return ""
        return self.reportable.excerpt(self.target)

    @property
    def url(self) -> str:
        return self.reportable.url(self.target) if self.reportable and self.target else ""

    @property
    def author(self) -> Member | None:
        return self.reportable.author(self.target) if self.reportable and self.target else None

    @property
    def detail_url(self) -> str:
        """Where a moderator handles the report: the owning app's page for
        private content, the report page otherwise."""
        if self.reportable is not None and self.reportable.moderation_url is not None:
            return self.reportable.moderation_url(self.report)
        return reverse("moderation:content_report", args=[self.report.pk])


def _own(viewer: Member | None, target: Any) -> bool:
    return (
        viewer is not None and target is not None and not permissions.may_decide_on(viewer, target)
    )


def reports_for_moderators(
    *, kind: str = "", reason: str = "", status: str = ""
) -> QuerySet[Report]:
    reports = Report.objects.select_related("reporter", "content_type")
    if kind:
        reports = reports.filter(content_type=content_type_for(kind))
    if reason:
        reports = reports.filter(reason=reason)
    if status:
        reports = reports.filter(status=status)
    # Open reports wait in a queue: oldest first.
    return reports.order_by("created_at", "pk") if status == Report.Status.OPEN else reports


def rows_for(reports: list[Report], viewer: Member | None = None) -> list[Row]:
    """Each report with its target, one query per kind on the page."""
    kinds = {r.content_type_id: kind_of_type(r.content_type_id) for r in reports}
    targets: dict[tuple[int, int], Any] = {}
    for type_id, kind in kinds.items():
        if not kind:
            continue
        ids = [r.object_id for r in reports if r.content_type_id == type_id]
        for pk, obj in reportables()[kind].objects().in_bulk(ids).items():
            targets[(type_id, pk)] = obj
    return [
        Row(
            report=r,
            kind=kinds[r.content_type_id],
            reportable=reportables().get(kinds[r.content_type_id]),
            target=targets.get((r.content_type_id, r.object_id)),
            own_work=_own(viewer, targets.get((r.content_type_id, r.object_id))),
        )
        for r in reports
    ]


def reports_on(report: Report) -> QuerySet[Report]:
    """Every report on the same content, the handled ones included."""
    return Report.objects.filter(
        content_type=report.content_type_id, object_id=report.object_id
    ).select_related("reporter", "handled_by")
