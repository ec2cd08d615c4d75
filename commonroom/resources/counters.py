"""What resources count through core.counters: views and downloads per
resource per day, written into ``DailyStat`` in batches (no IP address or
member is kept, in the buffer or in the table)."""

from __future__ import annotations

from datetime import date

from django.db import connection

from commonroom.core.counters import Batch, Counter, chunks, count
from commonroom.resources.models import DailyStat, Resource

DAILY_STAT = "resources.daily_stat"


def daily_stat_count(*, resource_id: int, day: date, views: int = 0, downloads: int = 0) -> None:
    """Count views or downloads of one resource on ``day``; no write now."""
    count(DAILY_STAT, (resource_id, day.isoformat()), views=views, downloads=downloads)


def daily_stats_write(batch: Batch) -> None:
    """Add a batch to ``DailyStat``: one SELECT of the resources that still
    exist, then one INSERT ... ON CONFLICT per 300 keys (increments are
    added to the row, so concurrent batches never overwrite each other)."""
    ids = {int(key[0]) for key in batch}
    alive = set(Resource.objects.filter(pk__in=ids).values_list("pk", flat=True))
    rows = {key: n for key, n in batch.items() if int(key[0]) in alive}
    table = DailyStat._meta.db_table
    with connection.cursor() as cursor:
        for chunk in chunks(rows):
            values = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
            params: list[int | str | date] = []
            for (resource_id, day), n in chunk:
                params += [
                    int(resource_id),
                    date.fromisoformat(str(day)),
                    n.get("views", 0),
                    n.get("downloads", 0),
                ]
            cursor.execute(
                f"INSERT INTO {table} (resource_id, day, views, downloads) "  # noqa: S608
                f"VALUES {values} ON CONFLICT (resource_id, day) DO UPDATE SET "
                f"views = {table}.views + excluded.views, "
                f"downloads = {table}.downloads + excluded.downloads",
                params,
            )


COUNTERS = (Counter(DAILY_STAT, ("views", "downloads"), daily_stats_write),)
