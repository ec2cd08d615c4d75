from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from django_tasks import task


@task()
def outbox_run(*, entry_id: int) -> str:
    """The one task the queue carries: run a stored outbox entry (core.outbox)."""
    from commonroom.core.outbox import outbox_run_entry

    return outbox_run_entry(entry_id=entry_id)


@task()
def send_email(
    *,
    subject: str,
    body: str,
    to: list[str],
    html: str = "",
    from_email: str | None = None,
    reply_to: list[str] | None = None,
    headers: dict[str, str] | None = None,
) -> None:
    """A mail rendered before it was queued (allauth's, which carry one-time
    links that cannot be rendered again later); the outbox clears these
    arguments as soon as the mail has left."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        to=to,
        from_email=from_email,
        reply_to=reply_to,
        headers=headers,
    )
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


@task()
def task_results_prune() -> int:
    """Daily (core.scheduler): forget finished task results and outbox entries
    after TASK_RESULT_RETENTION_DAYS; failed entries stay until staff act."""
    from django_tasks_db.models import DBTaskResult

    from commonroom.core.counters import prune_batches
    from commonroom.core.models import OutboxEntry

    before = timezone.now() - timedelta(days=settings.TASK_RESULT_RETENTION_DAYS)
    results, _kinds = DBTaskResult.objects.finished().filter(finished_at__lt=before).delete()
    entries, _kinds = OutboxEntry.objects.filter(
        state=OutboxEntry.State.DONE, finished_at__lt=before
    ).delete()
    return results + entries + prune_batches()


@task()
def counters_flush() -> int:
    """Every minute (core.scheduler): write the views, downloads and searches
    waiting in Redis, batches left by a process that died mid-flush
    included (core.counters). Each web process also flushes its own every
    COUNTER_FLUSH_SECONDS; without Redis this task finds nothing of theirs."""
    from commonroom.core.counters import flush

    return flush()


@task()
def stored_files_delete(*, alias: str, names: list[str]) -> int:
    """Delete stored files no row names any more (core.storage.files_delete_on_commit);
    idempotent, so the outbox may run it again after an outage."""
    from commonroom.core.storage import stored_files_delete as delete

    return delete(alias=alias, names=names)
