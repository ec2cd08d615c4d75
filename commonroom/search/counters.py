"""What search counts through core.counters: searches and searches that
found nothing per folded query per ISO week, written into ``QueryStat`` in
batches (search insight, search.insight)."""

from __future__ import annotations

from datetime import date

from django.db import connection

from commonroom.core.counters import Batch, Counter, chunks, count
from commonroom.search.models import QueryStat

QUERY_STAT = "search.query_stat"


def query_stat_count(*, week: date, query: str, found: int) -> None:
    """Count one search of ``query`` in ``week``; no write now."""
    count(QUERY_STAT, (week.isoformat(), query), searches=1, zero_results=0 if found else 1)


def query_stats_write(batch: Batch) -> None:
    """Add a batch to ``QueryStat``: one INSERT ... ON CONFLICT per 300 keys."""
    table = QueryStat._meta.db_table
    with connection.cursor() as cursor:
        for chunk in chunks(batch):
            values = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
            params: list[int | str | date] = []
            for (week, query), n in chunk:
                params += [
                    date.fromisoformat(str(week)),
                    str(query),
                    n.get("searches", 0),
                    n.get("zero_results", 0),
                ]
            cursor.execute(
                f"INSERT INTO {table} (week, query, searches, zero_results) "  # noqa: S608
                f"VALUES {values} ON CONFLICT (week, query) DO UPDATE SET "
                f"searches = {table}.searches + excluded.searches, "
                f"zero_results = {table}.zero_results + excluded.zero_results",
                params,
            )


COUNTERS = (Counter(QUERY_STAT, ("searches", "zero_results"), query_stats_write),)
