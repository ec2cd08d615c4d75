"""Issue 12 items 13, 11 and 5: background work goes through a durable
outbox; a queue outage delays it, a failing mail is retried and then shown
to staff, and finished results are pruned."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_tasks.backends.immediate import ImmediateBackend
from redis.exceptions import ConnectionError as RedisConnectionError

from commonroom.core.models import OutboxEntry
from commonroom.core.outbox import outbox_drain, task_enqueue_on_commit
from commonroom.core.tests.test_upload_text import pdf_with
from commonroom.resources.models import Resource, ResourceFile
from commonroom.resources.tests.helpers import upload
from commonroom.resources.tests.test_upload_flow import form_data

REFUSED = "Error 111 connecting to 127.0.0.1:6379. Connection refused."
State = OutboxEntry.State


@pytest.fixture
def queue_down(monkeypatch):
    """The queue refuses every hand-over (Redis gone) until `.restore()`."""
    real = ImmediateBackend.enqueue
    calls: list[str] = []

    def refuse(self, task, args, kwargs):
        calls.append(task.name)
        raise RedisConnectionError(REFUSED)

    monkeypatch.setattr(ImmediateBackend, "enqueue", refuse)

    class Switch:
        attempts = calls

        @staticmethod
        def restore() -> None:
            monkeypatch.setattr(ImmediateBackend, "enqueue", real)

    return Switch


def later(minutes: int) -> object:
    return timezone.now() + timedelta(minutes=minutes)


@pytest.mark.django_db
def test_item13_upload_while_the_queue_is_down_is_whole_and_extracted_when_it_returns(
    member_client, queue_down, django_capture_on_commit_callbacks
):
    document = pdf_with("Chlorofyl vangt het licht")
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            "/resources/new/", form_data(files=upload("blad.pdf", document))
        )

    # The member sees the upload succeed, and it is whole: rows and file.
    resource = Resource.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/resources/{resource.pk}/licence/"
    stored = ResourceFile.objects.get()
    with stored.file.open("rb") as content:
        assert content.read() == document
    assert stored.extracted_text == ""
    # The extraction waits in the outbox, with why.
    entry = OutboxEntry.objects.get()
    assert (entry.task_path, entry.kwargs, entry.state) == (
        "commonroom.resources.tasks.file_text_extract",
        {"file_id": stored.pk},
        State.PENDING,
    )
    assert (entry.enqueue_failures, entry.attempts) == (1, 0)
    assert entry.last_error == f"ConnectionError: {REFUSED}"
    assert queue_down.attempts == ["outbox_run"]

    # Still down a minute later: the drain tries once, stops, backs off.
    assert outbox_drain(now=later(2)) == 0
    entry.refresh_from_db()
    assert entry.enqueue_failures == 2

    queue_down.restore()
    assert outbox_drain(now=later(10)) == 1
    stored.refresh_from_db()
    assert "Chlorofyl vangt het licht" in stored.extracted_text
    entry.refresh_from_db()
    assert (entry.state, entry.attempts, entry.kwargs, entry.last_error) == (
        State.DONE,
        1,
        {},
        "",
    )


@pytest.mark.django_db
def test_item13_an_error_after_the_commit_keeps_the_files_of_stored_rows(member, monkeypatch):
    """Work queued on commit that raises (the failure of the review) must not
    delete the files of the rows that were committed."""
    from contextlib import contextmanager

    from django.db import transaction

    from commonroom.resources import file_uploads, services
    from commonroom.resources.tests.factories import ResourceFactory

    real_atomic = transaction.atomic

    outermost: list[bool] = []

    @contextmanager
    def atomic_then_fail(*args, **kwargs):
        outermost.append(not outermost)
        first = outermost[-1]
        with real_atomic(*args, **kwargs):
            yield
        if first:
            raise RedisConnectionError(REFUSED)  # as an on_commit callback would

    resource = ResourceFactory(author=member)
    monkeypatch.setattr(file_uploads.transaction, "atomic", atomic_then_fail)
    with pytest.raises(RedisConnectionError):
        services.resource_update(
            resource=resource,
            by=member,
            fields={},
            uploads=[upload("blad.pdf", pdf_with("Bladgroen"))],
        )
    stored = ResourceFile.objects.get(resource=resource)
    assert stored.file.storage.exists(stored.file.name)


@pytest.mark.django_db
def test_item13_a_rolled_back_upload_leaves_no_file(member, monkeypatch):
    from commonroom.resources import file_uploads, services
    from commonroom.resources.tests.factories import ResourceFactory

    resource = ResourceFactory(author=member)
    written: list[str] = []
    real_add = file_uploads.resource_file_add

    def add_then_fail(**kwargs):
        record = real_add(**kwargs)
        written.append(record.file.name)
        raise RuntimeError("disk full")

    monkeypatch.setattr(file_uploads, "resource_file_add", add_then_fail)
    with pytest.raises(RuntimeError):
        services.resource_update(
            resource=resource, by=member, fields={}, uploads=[upload("a.pdf", pdf_with("x"))]
        )
    assert not ResourceFile.objects.exists()
    assert len(written) == 1
    assert not ResourceFile.file.field.storage.exists(written[0])


@pytest.mark.django_db
def test_item13_the_next_successful_hand_over_catches_up_on_refused_ones(
    queue_down, django_capture_on_commit_callbacks
):
    from commonroom.core.tasks import task_results_prune

    with django_capture_on_commit_callbacks(execute=True):
        first = task_enqueue_on_commit(task=task_results_prune)
    first.refresh_from_db()
    assert first.state == State.PENDING
    # Its backoff has passed when the queue answers the next one.
    OutboxEntry.objects.filter(pk=first.pk).update(next_attempt_at=timezone.now())
    queue_down.restore()
    with django_capture_on_commit_callbacks(execute=True):
        second = task_enqueue_on_commit(task=task_results_prune)
    assert list(OutboxEntry.objects.order_by("pk").values_list("pk", "state")) == [
        (first.pk, State.DONE),
        (second.pk, State.DONE),
    ]


@pytest.fixture
def outbox_staff_client(staff, staff_client):
    """Staff who may see the background tasks in the admin."""
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(Permission.objects.get(codename="view_outboxentry"))
    return staff_client


@pytest.mark.django_db
def test_item11_a_mail_the_server_refuses_is_retried_then_shown_to_staff(
    settings, monkeypatch, outbox_staff_client, django_capture_on_commit_callbacks
):
    """R38 contact mail: the SMTP server refuses it on every attempt."""
    from commonroom.legal.services import contact_message_send

    settings.OUTBOX_MAX_ATTEMPTS = 3
    tries: list[str] = []

    def refuse(self, messages):
        tries.append(messages[0].subject)
        raise smtplib.SMTPDataError(554, b"Transaction failed")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        contact = contact_message_send(
            name="Ann", email="ann@example.org", subject="Hello", message="Hi!", member=None
        )
    entry = OutboxEntry.objects.get()
    assert (entry.state, entry.attempts) == (State.PENDING, 1)
    assert entry.last_error == "SMTPDataError: (554, b'Transaction failed')"
    assert entry.kwargs == {"contact_id": contact.pk}
    # Not again before its backoff (1 minute, then 4).
    assert outbox_drain(now=timezone.now()) == 0
    assert outbox_drain(now=later(2)) == 1
    entry.refresh_from_db()
    assert (entry.state, entry.attempts) == (State.PENDING, 2)
    assert entry.next_attempt_at > timezone.now() + timedelta(minutes=3)
    assert outbox_drain(now=later(6)) == 1
    entry.refresh_from_db()
    assert (entry.state, entry.attempts) == (State.FAILED, 3)
    assert tries == ["[Commonroom contact] Hello"] * 3
    # Given up: nothing runs it again by itself; staff see it.
    assert outbox_drain(now=later(600)) == 0
    page = outbox_staff_client.get("/admin/core/outboxentry/?state__exact=failed")
    assert page.status_code == 200
    assert page.context["cl"].result_count == 1
    html = page.content.decode()
    assert "contact_message_email_send" in html
    assert "failed, gave up" in html
    assert "SMTPDataError: (554, b&#x27;Transaction failed&#x27;)" in html
    assert mail.outbox == []


@pytest.mark.django_db
def test_item11_staff_send_a_failed_mail_again(
    outbox_staff_client, django_capture_on_commit_callbacks
):
    from commonroom.legal.models import ContactMessage
    from commonroom.legal.tasks import contact_message_email_send

    contact = ContactMessage.objects.create(
        name="Ann", email="ann@example.org", subject="Hello", message="Hi!"
    )
    entry = OutboxEntry.objects.create(
        task_path=contact_message_email_send.module_path,
        kwargs={"contact_id": contact.pk},
        state=State.FAILED,
        attempts=5,
        next_attempt_at=timezone.now(),
        last_error="SMTPDataError: (554, b'Transaction failed')",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = outbox_staff_client.post(
            "/admin/core/outboxentry/",
            {"action": "retry", "_selected_action": [entry.pk]},
        )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.state, entry.attempts, entry.last_error) == (State.DONE, 1, "")
    assert [m.subject for m in mail.outbox] == ["[Commonroom contact] Hello"]
    assert mail.outbox[0].reply_to == ["ann@example.org"]


@pytest.mark.django_db
def test_item5_queued_mail_carries_ids_only(member, django_capture_on_commit_callbacks):
    """No address, name or text in what the queue and its results keep."""
    from django_tasks_db.models import DBTaskResult

    from commonroom.moderation.notifications import NOTICE
    from commonroom.notifications.services import notify

    member.email = "zoe.quist@example.org"
    member.save()
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(
            recipient=member,
            kind=NOTICE,
            title="Secret title",
            body="Private body",
            url="/x/",
        )
    entry = OutboxEntry.objects.get()
    assert entry.kwargs == {}  # sent: even the ids are gone
    assert (entry.task_path, entry.member_id, entry.state) == (
        "commonroom.notifications.tasks.notification_email_send",
        member.pk,
        State.DONE,
    )
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["zoe.quist@example.org"], "[Commonroom] Secret title")
    ]
    assert mail.outbox[0].body.startswith("Private body\n\nhttp")
    assert notification.pk
    assert not DBTaskResult.objects.exists()  # the immediate backend stores none


@pytest.mark.django_db
def test_item5_finished_task_results_are_pruned_after_the_retention(settings):
    from django_tasks_db.models import DBTaskResult

    from commonroom.core.tasks import task_results_prune

    settings.TASK_RESULT_RETENTION_DAYS = 7
    old = timezone.now() - timedelta(days=8)
    recent = timezone.now() - timedelta(days=6)

    def result(status: str, finished_at: object) -> DBTaskResult:
        return DBTaskResult.objects.create(
            status=status,
            finished_at=finished_at,
            args_kwargs={"args": [], "kwargs": {"entry_id": 1}},
            task_path="commonroom.core.tasks.outbox_run",
            backend_name="default",
            run_after=timezone.now(),
        )

    keep = [result("SUCCESSFUL", recent), result("READY", None), result("RUNNING", None)]
    result("SUCCESSFUL", old)
    result("FAILED", old)

    def entry(state: str, finished_at: object) -> OutboxEntry:
        return OutboxEntry.objects.create(
            task_path="commonroom.core.tasks.task_results_prune",
            state=state,
            finished_at=finished_at,
            next_attempt_at=timezone.now(),
        )

    kept_entries = [entry(State.DONE, recent), entry(State.FAILED, old), entry(State.PENDING, None)]
    entry(State.DONE, old)

    assert task_results_prune.call() == 3
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {r.pk for r in keep}
    assert set(OutboxEntry.objects.values_list("pk", flat=True)) == {e.pk for e in kept_entries}


def test_item5_the_scheduler_prunes_daily():
    from commonroom.core.scheduler import JOBS

    assert [(j.every, j.task) for j in JOBS if j.name == "task_results_prune"] == [
        (timedelta(days=1), "commonroom.core.tasks.task_results_prune")
    ]


@pytest.mark.django_db
def test_item13_the_scheduler_drains_the_outbox_every_tick(
    queue_down, django_capture_on_commit_callbacks
):
    from commonroom.core.scheduler import scheduler_tick
    from commonroom.core.tasks import task_results_prune

    with django_capture_on_commit_callbacks(execute=True):
        entry = task_enqueue_on_commit(task=task_results_prune)
    queue_down.restore()
    scheduler_tick(now=later(5), jobs=())
    entry.refresh_from_db()
    assert entry.state == State.DONE


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


@pytest.mark.django_db
def test_item5_a_password_reset_link_is_kept_only_until_sent_and_shown_to_nobody(
    database_queue, member, admin_client, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from commonroom.core.tasks import outbox_run

    with django_capture_on_commit_callbacks(execute=True):
        Client().post("/accounts/password/reset/", {"email": member.email})
    entry = OutboxEntry.objects.get()
    assert entry.member_id == member.pk
    assert "/accounts/password/reset/key/" in entry.kwargs["body"]
    # The queue and its stored result hold the entry's id, nothing else.
    result = DBTaskResult.objects.get()
    assert result.args_kwargs == {"args": [], "kwargs": {"entry_id": entry.pk}}
    # Not even a superuser reads the link in the admin.
    page = admin_client.get(f"/admin/core/outboxentry/{entry.pk}/change/")
    assert page.status_code == 200
    assert "a rendered e-mail (not shown)" in page.content.decode()
    assert "/accounts/password/reset/key/" not in page.content.decode()

    # What the worker runs for that result (db_worker itself closes the
    # test's database connection on PostgreSQL).
    assert result.task_path == "commonroom.core.tasks.outbox_run"
    assert outbox_run.call(**result.args_kwargs["kwargs"]) == "done"

    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    entry.refresh_from_db()
    assert (entry.state, entry.kwargs) == (State.DONE, {})


@pytest.mark.django_db
def test_item11_the_staff_dashboard_counts_failed_and_waiting_tasks(staff_client):
    from commonroom.moderation.tests.factories import moderator

    for state, refused in ((State.FAILED, 0), (State.FAILED, 0), (State.PENDING, 3)):
        OutboxEntry.objects.create(
            task_path="commonroom.legal.tasks.contact_message_email_send",
            state=state,
            enqueue_failures=refused,
            next_attempt_at=timezone.now(),
        )
    page = staff_client.get("/moderation/dashboard/")
    assert page.status_code == 200
    assert (page.context["background"].failed, page.context["background"].waiting) == (2, 1)
    assert "/admin/core/outboxentry/?state__exact=failed" in page.content.decode()
    moderator_client = Client()
    moderator_client.force_login(moderator())
    page = moderator_client.get("/moderation/dashboard/")
    assert page.status_code == 200
    assert page.context["background"] is None
