"""Issue 12 item 16: the scheduler outlives database and Redis restarts."""

import logging

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.db.models.query import QuerySet
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend
from redis.exceptions import ConnectionError as RedisConnectionError

from commonroom.core import scheduler
from commonroom.core.models import ScheduledRun

RUNS: list[str] = []
REFUSED = "Error 111 connecting to 127.0.0.1:6379. Connection refused."


@task()
def probe() -> None:
    RUNS.append("probe")


class Stop(Exception):
    """Ends the scheduler's endless loop from the test."""


@pytest.fixture
def probe_job(monkeypatch):
    from datetime import timedelta

    RUNS.clear()
    job = scheduler.Job("probe", timedelta(hours=1), f"{__name__}.probe")
    monkeypatch.setattr(scheduler, "JOBS", (job,))
    return job


def stop_after(monkeypatch, ticks: int) -> list[float]:
    """Let the loop sleep `ticks - 1` times, then stop it."""
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        if len(sleeps) >= ticks:
            raise Stop

    monkeypatch.setattr("time.sleep", sleep)
    return sleeps


# Transactional: the scheduler closes the broken connection and opens a new
# one, which a test wrapped in one transaction cannot do.
@pytest.mark.django_db(transaction=True)
def test_item16_scheduler_goes_on_after_a_database_error(monkeypatch, probe_job, caplog):
    sleeps = stop_after(monkeypatch, 2)
    real = QuerySet.get_or_create
    calls = []

    def flaky_get_or_create(self, **kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(self, **kwargs)

    monkeypatch.setattr(QuerySet, "get_or_create", flaky_get_or_create)

    with caplog.at_level(logging.WARNING, logger="commonroom.core.scheduler"), pytest.raises(Stop):
        call_command("scheduler", "--interval", "5")

    assert sleeps == [5.0, 5.0]
    assert RUNS == ["probe"]
    assert list(ScheduledRun.objects.values_list("name", flat=True)) == ["probe"]
    assert [r.getMessage() for r in caplog.records] == [
        "Scheduler tick failed, retrying in 5.0 s: "
        "OperationalError: server closed the connection unexpectedly"
    ]


@pytest.mark.django_db(transaction=True)
def test_item16_scheduler_retries_a_job_the_queue_refused(monkeypatch, probe_job, caplog):
    """Redis down at enqueue: the job is not marked as run, the next tick queues it."""
    sleeps = stop_after(monkeypatch, 3)
    real = ImmediateBackend.enqueue
    attempts = []

    def flaky_enqueue(self, task, args, kwargs):
        attempts.append(task.name)
        if len(attempts) == 1:
            raise RedisConnectionError(REFUSED)
        return real(self, task, args, kwargs)

    monkeypatch.setattr(ImmediateBackend, "enqueue", flaky_enqueue)

    with caplog.at_level(logging.WARNING, logger="commonroom.core.scheduler"), pytest.raises(Stop):
        call_command("scheduler", "--interval", "1")

    # Tick 1 refused, tick 2 queued, tick 3 within the hour: nothing.
    assert attempts == ["probe", "probe"]
    assert RUNS == ["probe"]
    assert len(sleeps) == 3
    assert ScheduledRun.objects.get(name="probe").last_enqueued_at is not None
    assert len(caplog.records) == 1
    assert caplog.records[0].getMessage() == (
        f"Scheduler tick failed, retrying in 1.0 s: ConnectionError: {REFUSED}"
    )


@pytest.mark.django_db(transaction=True)
def test_item16_scheduler_once_reports_an_outage_as_a_failure(monkeypatch, probe_job):
    """Under cron (--once) a failed tick is an error exit, not a silent success."""

    def refuse(**kwargs):
        raise OperationalError("the database system is starting up")

    monkeypatch.setattr(QuerySet, "get_or_create", lambda self, **kwargs: refuse())
    with pytest.raises(OperationalError, match="starting up"):
        call_command("scheduler", "--once")
    assert RUNS == []
