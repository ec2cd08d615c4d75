"""Search insight for staff: what teachers look for and miss, per ISO week.

Only the folded query text and two counters per week are kept: no member,
session, address, time of day or filters, so nothing says who searched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Sum
from django.utils import timezone

from commonroom.search.counters import query_stat_count
from commonroom.search.models import QueryStat
from commonroom.search.stemming import fold

MAX_STAT_QUERY = 200
WEEKS_SHOWN = 8
TOP_PER_WEEK = 20


def normalise_query(text: str) -> str:
    """The form a query is counted under: folded like the index (lower
    case, accents removed), control characters and runs of whitespace made
    one space, at most 200 characters."""
    printable = "".join(c if c.isprintable() else " " for c in fold(text or ""))
    return " ".join(printable.split())[:MAX_STAT_QUERY].strip()


def week_of(moment: datetime | date) -> date:
    """The Monday of the ISO week of ``moment`` (local time)."""
    day = timezone.localdate(moment) if isinstance(moment, datetime) else moment
    return day - timedelta(days=day.weekday())


def query_stat_record(*, text: str, found: int, now: datetime | None = None) -> None:
    """Count one search without writing: the count waits in the counter
    buffer (core.counters) and reaches the week's ``QueryStat`` row with
    the next flush, within COUNTER_FLUSH_SECONDS; the insight page lags by
    that much."""
    query = normalise_query(text)
    if not query:
        return
    query_stat_count(week=week_of(now or timezone.now()), query=query, found=found)


@dataclass
class WeekInsight:
    week: date
    searches: int
    top: list[QueryStat]
    missed: list[QueryStat]

    @property
    def week_number(self) -> int:
        return self.week.isocalendar().week

    @property
    def week_end(self) -> date:
        return self.week + timedelta(days=6)


def insight_weeks(*, today: date | None = None, weeks: int = WEEKS_SHOWN) -> list[WeekInsight]:
    """The last ``weeks`` ISO weeks, newest first, with the most frequent
    queries and the most frequent queries that found nothing (two
    queries per week and one for the totals, whatever the number of
    distinct queries)."""
    current = week_of(today or timezone.localdate())
    oldest = current - timedelta(weeks=weeks - 1)
    totals = dict(
        QueryStat.objects.filter(week__gte=oldest, week__lte=current)
        .order_by()
        .values("week")
        .annotate(n=Sum("searches"))
        .values_list("week", "n")
    )
    result = []
    for n in range(weeks):
        week = current - timedelta(weeks=n)
        rows = QueryStat.objects.filter(week=week)
        result.append(
            WeekInsight(
                week=week,
                searches=totals.get(week) or 0,
                top=list(rows.order_by("-searches", "query")[:TOP_PER_WEEK]),
                missed=list(
                    rows.filter(zero_results__gt=0).order_by("-zero_results", "query")[
                        :TOP_PER_WEEK
                    ]
                ),
            )
        )
    return result
