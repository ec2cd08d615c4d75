"""Issue 12 item 13 against a real Redis and RQ: the test's own Redis is
killed while a member uploads, then started again (empty, as a Redis without
persistence comes back); the outbox hands the extraction over once it answers."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from commonroom.core.models import OutboxEntry
from commonroom.core.outbox import outbox_drain
from commonroom.core.tests.redis_server import RedisServer, redis_server, settings_module_for
from commonroom.core.tests.test_upload_text import pdf_with
from commonroom.resources.models import ResourceFile
from commonroom.resources.tests.helpers import upload
from commonroom.resources.tests.test_upload_flow import form_data

__all__ = ["redis_server"]  # the fixture


def run_rq_worker() -> None:
    """One burst of an RQ worker in this process (it sees the test's rows)."""
    import django_rq
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    # As deploy/ runs it: rqworker --job-class django_tasks_rq.Job
    queue = django_rq.get_queue("default", job_class=Job)
    SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)


@pytest.mark.django_db
def test_item13_upload_while_redis_is_down_is_extracted_after_it_returns(
    redis_server: RedisServer, member_client, django_capture_on_commit_callbacks
):
    configured = settings_module_for(REDIS_URL=redis_server.url, TASKS_BACKEND="rq")
    with override_settings(TASKS=configured.TASKS, RQ_QUEUES=configured.RQ_QUEUES):
        redis_server.stop()
        document = pdf_with("Chlorofyl vangt het licht")
        with django_capture_on_commit_callbacks(execute=True):
            response = member_client.post(
                "/resources/new/", form_data(files=upload("blad.pdf", document))
            )
        assert response.status_code == 302
        stored = ResourceFile.objects.get()
        with stored.file.open("rb") as content:
            assert content.read() == document
        entry = OutboxEntry.objects.get()
        assert (entry.state, entry.enqueue_failures) == (OutboxEntry.State.PENDING, 1)
        assert entry.last_error.startswith("ConnectionError: Error 111 connecting to 127.0.0.1:")

        redis_server.start()
        assert outbox_drain(now=timezone.now() + timedelta(minutes=2)) == 1
        entry.refresh_from_db()
        assert entry.state == OutboxEntry.State.QUEUED
        run_rq_worker()

    stored.refresh_from_db()
    assert "Chlorofyl vangt het licht" in stored.extracted_text
    entry.refresh_from_db()
    assert (entry.state, entry.attempts, entry.kwargs) == (OutboxEntry.State.DONE, 1, {})


@pytest.mark.django_db
def test_item13_a_job_lost_with_redis_is_queued_again_after_the_lease(
    redis_server: RedisServer, member, django_capture_on_commit_callbacks
):
    """Queued, then Redis restarts empty before a worker took it."""
    from commonroom.core.outbox import task_enqueue_on_commit
    from commonroom.core.tasks import task_results_prune

    configured = settings_module_for(REDIS_URL=redis_server.url, TASKS_BACKEND="rq")
    with override_settings(TASKS=configured.TASKS, RQ_QUEUES=configured.RQ_QUEUES):
        with django_capture_on_commit_callbacks(execute=True):
            entry = task_enqueue_on_commit(task=task_results_prune)
        entry.refresh_from_db()
        assert entry.state == OutboxEntry.State.QUEUED
        redis_server.stop()
        redis_server.start()  # empty: the job is gone
        assert outbox_drain() == 0  # within the lease nothing is queued twice
        assert outbox_drain(now=timezone.now() + timedelta(hours=2)) == 1
        run_rq_worker()
    entry.refresh_from_db()
    assert entry.state == OutboxEntry.State.DONE
