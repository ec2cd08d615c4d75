"""Periodic jobs: a small scheduler that queues tasks at fixed intervals.

`manage.py scheduler` calls `scheduler_tick` every minute (scripts/serve
starts it beside the worker); cron can call `manage.py scheduler --once`
instead. The last run of each job is kept in the database, so restarts and
several schedulers do not run a job twice in one interval.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from commonroom.core.models import ScheduledRun


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    task: str  # dotted path of a django_tasks task


JOBS = (
    Job("links_check", timedelta(hours=1), "commonroom.resources.tasks.links_check"),
    Job("rereview_due", timedelta(hours=6), "commonroom.moderation.periodic.rereview_due"),
    Job("digests_send", timedelta(days=1), "commonroom.social.tasks.digests_send"),
    Job("saved_search_alerts", timedelta(hours=1), "commonroom.search.tasks.saved_search_alerts"),
    Job("search_words_refresh", timedelta(hours=1), "commonroom.search.tasks.search_words_refresh"),
    Job("term_sets_refresh", timedelta(hours=1), "commonroom.search.tasks.term_sets_refresh"),
)


def scheduler_tick(*, now: datetime | None = None, jobs: tuple[Job, ...] = JOBS) -> list[str]:
    """Queue every job whose interval has passed; returns their names."""
    now = now or timezone.now()
    queued = []
    for job in jobs:
        with transaction.atomic():
            run, _created = ScheduledRun.objects.select_for_update().get_or_create(name=job.name)
            if run.last_enqueued_at and run.last_enqueued_at + job.every > now:
                continue
            run.last_enqueued_at = now
            run.save(update_fields=["last_enqueued_at"])
            task = import_string(job.task)
            transaction.on_commit(task.enqueue)
        queued.append(job.name)
    return queued
