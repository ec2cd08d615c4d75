"""Periodic jobs: a small scheduler that queues tasks at fixed intervals.

`manage.py scheduler` calls `scheduler_tick` every minute (scripts/serve
starts it beside the worker); cron can call `manage.py scheduler --once`
instead. The last run of each job is kept in the database, so restarts and
several schedulers do not run a job twice in one interval.

The loop outlives its dependencies: a tick that fails because PostgreSQL or
Redis is restarting is logged and retried at the next tick, on a fresh
database connection.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import DatabaseError, close_old_connections, connections, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from redis.exceptions import RedisError

from commonroom.core.models import ScheduledRun
from commonroom.core.outbox import outbox_drain

logger = logging.getLogger(__name__)

# What a restarting database or Redis raises; anything else is a bug that
# should stop the process loudly (and the supervisor starts it again).
OUTAGE_ERRORS: tuple[type[BaseException], ...] = (DatabaseError, RedisError)


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    task: str  # dotted path of a django_tasks task
    quiet: bool = False  # routine: `manage.py scheduler` does not print it


JOBS = (
    Job("links_check", timedelta(hours=1), "commonroom.resources.tasks.links_check"),
    Job("rereview_due", timedelta(hours=6), "commonroom.moderation.periodic.rereview_due"),
    Job("digests_send", timedelta(days=1), "commonroom.notifications.tasks.digests_send"),
    Job("saved_search_alerts", timedelta(hours=1), "commonroom.search.tasks.saved_search_alerts"),
    Job("search_words_refresh", timedelta(hours=1), "commonroom.search.tasks.search_words_refresh"),
    Job("term_sets_refresh", timedelta(hours=1), "commonroom.search.tasks.term_sets_refresh"),
    Job(
        "counters_flush",
        timedelta(minutes=1),
        "commonroom.core.tasks.counters_flush",
        quiet=True,
    ),
    Job("task_results_prune", timedelta(days=1), "commonroom.core.tasks.task_results_prune"),
)


def scheduler_tick(
    *, now: datetime | None = None, jobs: tuple[Job, ...] | None = None
) -> list[str]:
    """Queue every job whose interval has passed; returns their names."""
    now = now or timezone.now()
    # First the work the queue refused before (core.outbox); it runs here,
    # not as a queued job, because it is what must work while the queue is down.
    outbox_drain(now=now)
    queued = []
    for job in JOBS if jobs is None else jobs:
        with transaction.atomic():
            run, _created = ScheduledRun.objects.select_for_update().get_or_create(name=job.name)
            if run.last_enqueued_at and run.last_enqueued_at + job.every > now:
                continue
            run.last_enqueued_at = now
            run.save(update_fields=["last_enqueued_at"])
            # Queued inside the transaction, not after commit: when the queue
            # is down the error rolls the mark back and the next tick tries
            # again; a commit that fails after queueing only runs an
            # idempotent job once more.
            import_string(job.task).enqueue()
        queued.append(job.name)
    return queued


def scheduler_run(
    *,
    interval: float,
    once: bool = False,
    report: Callable[[list[str]], None] = lambda queued: None,
) -> None:
    """Tick every `interval` seconds for ever (or once), surviving outages."""
    while True:
        # A connection broken by a database restart is dropped here and the
        # next query opens a new one, as Django does between requests.
        close_old_connections()
        try:
            report(scheduler_tick())
        except OUTAGE_ERRORS as error:
            logger.warning(
                "Scheduler tick failed, retrying in %s s: %s: %s",
                interval,
                type(error).__name__,
                error,
            )
            _close_database_connections()
            if once:
                raise
        if once:
            return
        time.sleep(interval)


def _close_database_connections() -> None:
    for connection in connections.all(initialized_only=True):
        # A connection to a server that went away may fail to close too.
        with contextlib.suppress(DatabaseError):
            connection.close()
