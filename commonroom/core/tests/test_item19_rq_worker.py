"""Issue 19 item 6: a task goes through the real RQ backend (django-tasks-rq)
to a Redis of the test's own and is run by `manage.py rqworker`, as deploy/
starts it, in a process of its own; its effect is in the database. A task
that fails is recorded as failed (the outbox's record: state, attempts and
the error), not lost.

On PostgreSQL the worker is a separate process on the test database. The
SQLite test database lives in this process's memory, where no other process
can reach it: there the same command runs in this process instead.
"""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings

from commonroom.core.models import OutboxEntry
from commonroom.core.outbox import task_enqueue_on_commit
from commonroom.core.tasks import send_email
from commonroom.core.tests.redis_server import RedisServer, redis_server, settings_module_for

__all__ = ["redis_server"]  # the fixture

ROOT = Path(__file__).resolve().parents[3]
WORKER = ["rqworker", "--burst", "--job-class", "django_tasks_rq.Job", "default"]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # closed again when the block ends


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}"
    )


def run_worker(
    redis: RedisServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], *, fail_mail: bool
) -> str:
    """One burst of `manage.py rqworker`; returns what it printed. With
    ``fail_mail`` mails go to a port where nothing listens, and a task
    that raises once has used up its attempts."""
    port = _closed_port()
    if connection.vendor != "postgresql":
        from django_rq.management.commands.rqworker import Command as RQWorker

        mail = (
            {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
             "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": port, "EMAIL_TIMEOUT": 5}
            if fail_mail
            else {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
        )  # fmt: skip
        with override_settings(OUTBOX_MAX_ATTEMPTS=1 if fail_mail else 5, **mail):
            call_command(RQWorker(), *WORKER[1:], "--worker-class", "rq.SimpleWorker")
        return capsys.readouterr().out
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "VAR_DIR": str(tmp_path),
        "SECRET_KEY": "rq-worker-test-secret-key-0123456789-abcdefghijklmnopq",
        "DEBUG": "false",
        "HTTPS": "false",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis.url,
        "TASKS_BACKEND": "rq",
        "COUNTER_FLUSH_SECONDS": "0",
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "EMAIL_URL": f"smtp://127.0.0.1:{port}" if fail_mail else "consolemail://",
        "OUTBOX_MAX_ATTEMPTS": "1" if fail_mail else "5",
    }
    finished = subprocess.run(  # noqa: S603 -- this interpreter, the project's manage.py
        [sys.executable, "manage.py", *WORKER],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    return finished.stdout + finished.stderr


def _enqueue_mail(subject: str) -> OutboxEntry:
    with transaction.atomic():
        entry = task_enqueue_on_commit(
            task=send_email,
            kwargs={"subject": subject, "body": "Hello from RQ", "to": ["teacher@example.com"]},
        )
    entry.refresh_from_db()
    return entry


@pytest.mark.django_db(transaction=True)
def test_issue19_a_task_through_rq_runs_in_a_worker_and_a_failure_is_recorded(
    redis_server: RedisServer, tmp_path, capsys
):
    import django_rq

    configured = settings_module_for(REDIS_URL=redis_server.url, TASKS_BACKEND="rq")
    with override_settings(TASKS=configured.TASKS, RQ_QUEUES=configured.RQ_QUEUES):
        delivered = _enqueue_mail("Your resource was published")
        assert delivered.state == OutboxEntry.State.QUEUED
        queue = django_rq.get_queue("default")
        assert queue.count == 1  # in Redis, waiting for a worker

        output = run_worker(redis_server, tmp_path, capsys, fail_mail=False)

        assert "Subject: Your resource was published" in output
        delivered.refresh_from_db()
        assert (delivered.state, delivered.attempts, delivered.kwargs, delivered.last_error) == (
            OutboxEntry.State.DONE,
            1,
            {},
            "",
        )
        assert queue.count == 0

        # The mail server refuses: the run is recorded as failed, with its error.
        refused = _enqueue_mail("Your report was handled")
        run_worker(redis_server, tmp_path, capsys, fail_mail=True)
        refused.refresh_from_db()
        assert (refused.state, refused.attempts) == (OutboxEntry.State.FAILED, 1)
        assert refused.last_error.startswith("ConnectionRefusedError: [Errno 111]")
        assert refused.finished_at is not None
        assert refused.kwargs["subject"] == "Your report was handled"  # kept for a retry
