"""Background work that survives a queue outage (issue 12 items 5, 11, 13).

Every task the app starts goes through ``task_enqueue_on_commit``: it writes
an ``OutboxEntry`` in the caller's transaction, so the work is stored exactly
when the change that asks for it is, and hands the entry to the queue once
the transaction has committed. The queue carries nothing but the entry's id
(``core.tasks.outbox_run``), so task results hold no personal data.

A queue that refuses the entry (Redis down, the database backend's table
locked) never fails the request: the entry stays pending and is queued
again, with backoff, by ``outbox_drain``, which the scheduler runs every
tick and every successful hand-over runs too. A task that raises is run
again with backoff up to ``OUTBOX_MAX_ATTEMPTS`` times; then the entry is
``failed`` and staff see it in the admin (nothing is lost silently).

Entries are claimed with a conditional UPDATE (a lease on
``next_attempt_at``), so two processes draining at once queue an entry once;
an entry queued or running for longer than ``OUTBOX_LEASE_SECONDS`` (a job
lost with a Redis that restarted empty, a worker killed mid-run) is queued
again. Tasks must therefore be idempotent, as they already had to be.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any, Literal

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import Task

from commonroom.core.metrics import task_observe
from commonroom.core.models import OutboxEntry
from commonroom.core.requestlog import request_id, request_id_bound

logger = logging.getLogger(__name__)

State = OutboxEntry.State
# Entries a drain may hand to the queue once their next_attempt_at has come.
_DUE_STATES = (State.PENDING, State.QUEUED, State.RUNNING)
# While one process hands an entry over, no other takes it.
_CLAIM = timedelta(minutes=1)
_draining: ContextVar[bool] = ContextVar("outbox_draining", default=False)


def _lease() -> timedelta:
    return timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)


def backoff(failures: int) -> timedelta:
    """1 min, 4 min, 16 min, ... capped at an hour."""
    return timedelta(seconds=min(60 * 4 ** max(failures - 1, 0), 3600))


def task_enqueue_on_commit(
    *,
    task: Task[..., Any],
    kwargs: dict[str, Any] | None = None,
    member_id: int | None = None,
) -> OutboxEntry:
    """Store the task beside the caller's writes; queue it after commit.

    ``kwargs`` are ids and codes only: the task reads the rows it needs when
    it runs. ``member_id`` names whom the work concerns, for erasure.
    """
    entry = OutboxEntry.objects.create(
        task_path=task.module_path,
        kwargs=kwargs or {},
        # The task's log lines carry the id of the request that asked for it.
        request_id=request_id(),
        member_id=member_id,
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(partial(outbox_deliver, entry_id=entry.pk))
    return entry


def outbox_deliver(*, entry_id: int, drain: bool = True) -> bool:
    """Hand one entry to the queue; never raises (it runs after commit,
    where an error would turn a stored change into an error page)."""
    try:
        queued = _hand_over(entry_id, timezone.now()) == "queued"
    except Exception:
        logger.exception("Could not hand background task %s to the queue", entry_id)
        return False
    if queued and drain and not _draining.get():
        # The queue answers again: catch up on what it refused before.
        try:
            outbox_drain(limit=settings.OUTBOX_DRAIN_BATCH)
        except Exception:
            logger.exception("Could not drain the background task outbox")
    return queued


def _hand_over(entry_id: int, now: datetime) -> Literal["queued", "refused", "taken"]:
    from commonroom.core.tasks import outbox_run

    claimed = OutboxEntry.objects.filter(
        pk=entry_id, state__in=_DUE_STATES, next_attempt_at__lte=now
    ).update(next_attempt_at=now + _CLAIM)
    if not claimed:
        return "taken"
    try:
        outbox_run.enqueue(entry_id=entry_id)
    except Exception as error:
        logger.warning("The queue refused background task %s: %r", entry_id, error)
        entry = OutboxEntry.objects.get(pk=entry_id)
        OutboxEntry.objects.filter(pk=entry_id).update(
            enqueue_failures=F("enqueue_failures") + 1,
            next_attempt_at=now + backoff(entry.enqueue_failures + 1),
            last_error=_describe(error),
        )
        return "refused"
    # A run that already started (immediate backend) has moved the state on.
    OutboxEntry.objects.filter(pk=entry_id, next_attempt_at=now + _CLAIM).update(
        state=State.QUEUED, next_attempt_at=now + _lease()
    )
    return "queued"


def outbox_drain(*, limit: int = 500, now: datetime | None = None) -> int:
    """Queue the entries that are due (refused before, or lost); returns how
    many were queued. Run by the scheduler every tick."""
    now = now or timezone.now()
    due = list(
        OutboxEntry.objects.filter(state__in=_DUE_STATES, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    token = _draining.set(True)
    try:
        queued = 0
        for entry_id in due:
            outcome = _hand_over(entry_id, now)
            if outcome == "refused":
                break  # the queue is down: the rest wait for the next drain
            queued += outcome == "queued"
        return queued
    finally:
        _draining.reset(token)


def outbox_run_entry(*, entry_id: int) -> str:
    """Run one entry's task in the worker; returns the entry's new state.

    An error is kept on the entry and the task is tried again later; the
    exception is not re-raised, so the queue's own result (which would keep
    the traceback, addresses included) records nothing personal.
    """
    now = timezone.now()
    claimed = OutboxEntry.objects.filter(
        Q(state__in=(State.PENDING, State.QUEUED))
        | Q(state=State.RUNNING, next_attempt_at__lte=now),
        pk=entry_id,
    ).update(state=State.RUNNING, attempts=F("attempts") + 1, next_attempt_at=now + _lease())
    if not claimed:
        return "skipped"  # done, failed, or run by another worker right now
    entry = OutboxEntry.objects.get(pk=entry_id)
    with request_id_bound(entry.request_id):
        return _run(entry)


def _run(entry: OutboxEntry) -> str:
    entry_id = entry.pk
    try:
        task = _task_at(entry.task_path)
        task.call(**entry.kwargs)
    except Exception as error:
        logger.exception("Background task %s (%s) failed", entry.pk, entry.task_path)
        gave_up = entry.attempts >= settings.OUTBOX_MAX_ATTEMPTS
        task_observe(task=entry.task_path, outcome="failed" if gave_up else "retry")
        OutboxEntry.objects.filter(pk=entry_id).update(
            state=State.FAILED if gave_up else State.PENDING,
            next_attempt_at=timezone.now() + backoff(entry.attempts),
            last_error=_describe(error),
            finished_at=timezone.now() if gave_up else None,
        )
        return State.FAILED if gave_up else State.PENDING
    task_observe(task=entry.task_path, outcome="done")
    # The arguments are not needed any more; a rendered mail's link goes now.
    OutboxEntry.objects.filter(pk=entry_id).update(
        state=State.DONE, kwargs={}, last_error="", finished_at=timezone.now()
    )
    return State.DONE


def outbox_retry(*, entry_ids: list[int]) -> int:
    """Staff send failed entries round again (admin action)."""
    with transaction.atomic():
        count = OutboxEntry.objects.filter(pk__in=entry_ids, state=State.FAILED).update(
            state=State.PENDING, attempts=0, next_attempt_at=timezone.now(), finished_at=None
        )
        for entry_id in entry_ids:
            transaction.on_commit(partial(outbox_deliver, entry_id=entry_id, drain=False))
    return count


@dataclass(frozen=True)
class OutboxCounts:
    failed: int
    waiting: int


def outbox_counts() -> OutboxCounts:
    """For the staff dashboard: entries that gave up, and entries the queue
    has refused so far (waiting for it to come back)."""
    counts = OutboxEntry.objects.aggregate(
        failed=Count("pk", filter=Q(state=State.FAILED)),
        waiting=Count("pk", filter=Q(state=State.PENDING, enqueue_failures__gt=0)),
    )
    return OutboxCounts(failed=counts["failed"], waiting=counts["waiting"])


def _task_at(path: str) -> Task[..., Any]:
    # Only the app's own tasks: an entry is data, never a way to call anything.
    if not path.startswith(("commonroom.", "tests.")):
        raise ValueError(f"Not a Commonroom task: {path}")
    task: Any = import_string(path)
    if not isinstance(task, Task):
        raise TypeError(f"Not a task: {path}")
    return task


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:2000]
