"""Reports counted per kind of content for the transparency report (R30).

Every kind's reports are rows of the one ``Report`` model, read once grouped
by content type, reason and status: one query whatever the number of rows.
The kinds are those the apps register (``REPORTABLE`` in ``<app>/moderation.py``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, QuerySet
from django.utils.functional import Promise

from commonroom.moderation.models import Report
from commonroom.moderation.report_registry import reportables

OPEN, ACTIONED, DISMISSED = "open", "actioned", "dismissed"


@dataclass(frozen=True)
class ReportCounts:
    """Reports received in a period and where they stand now."""

    received: int = 0
    open: int = 0
    actioned: int = 0
    dismissed: int = 0

    def __iter__(self) -> Iterator[int]:
        return iter((self.received, self.open, self.actioned, self.dismissed))

    def __add__(self, other: ReportCounts) -> ReportCounts:
        return ReportCounts(*(a + b for a, b in zip(self, other, strict=True)))


@dataclass(frozen=True)
class CountedReports:
    by_kind: dict[str, ReportCounts]
    kind_labels: dict[str, str | Promise]
    by_reason: Counter[str]

    @property
    def total(self) -> ReportCounts:
        return sum(self.by_kind.values(), ReportCounts())


def _grouped(rows: QuerySet[Any], *fields: str) -> list[tuple[Any, ...]]:
    return list(rows.values_list(*fields).annotate(n=Count("pk")).order_by())


def _counts(statuses: Counter[str]) -> ReportCounts:
    return ReportCounts(
        received=sum(statuses.values()),
        open=statuses[OPEN],
        actioned=statuses[ACTIONED],
        dismissed=statuses[DISMISSED],
    )


def count_reports(since: datetime, until: datetime) -> CountedReports:
    """Reports created from ``since`` up to (not including) ``until``, per
    registered kind in the apps' order."""
    statuses: dict[str, Counter[str]] = {}
    labels: dict[str, str | Promise] = {}
    kind_of_type: dict[int, str] = {}
    for kind, reportable in reportables().items():
        kind_of_type[ContentType.objects.get_for_model(reportable.model).pk] = kind
        statuses[kind], labels[kind] = Counter(), reportable.label
    by_reason: Counter[str] = Counter()
    reports = Report.objects.filter(created_at__gte=since, created_at__lt=until)
    for type_id, reason, status, n in _grouped(reports, "content_type", "reason", "status"):
        registered = kind_of_type.get(type_id)
        if registered is not None:  # a kind no app registers any more is not counted
            statuses[registered][status] += n
            by_reason[reason] += n
    return CountedReports(
        by_kind={kind: _counts(counted) for kind, counted in statuses.items()},
        kind_labels=labels,
        by_reason=by_reason,
    )
