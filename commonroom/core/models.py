from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class ScheduledRun(models.Model):
    """When each periodic job was last queued; shared by every process so a
    job runs once per interval however many schedulers are started."""

    name = models.CharField(max_length=100, unique=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class PostFingerprint(models.Model):
    """A member's recent posts in normalised form, to refuse the same or
    nearly the same text posted again and again (R20). Kept for a day."""

    member = models.ForeignKey(
        "accounts.Member", on_delete=models.CASCADE, related_name="post_fingerprints"
    )
    kind = models.CharField(max_length=20)
    text = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["member", "kind", "created_at"], name="fingerprint_recent")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.kind}"


class OutboxEntry(models.Model):
    """A task to run, written in the same transaction as the change that
    asks for it (issue 12 item 13), so a queue that is down when the change
    commits delays the work instead of losing it.

    ``kwargs`` hold ids only (never an address, name or message text), with
    one exception: a mail allauth rendered (it carries a one-time link) is
    stored whole until it has been sent and cleared at once after.
    ``member`` is whom the entry concerns, so erasure can delete it.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("waiting to be queued")
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed, gave up")

    task_path = models.CharField(_("task"), max_length=200)
    kwargs = models.JSONField(_("arguments"), default=dict, blank=True)
    member = models.ForeignKey(
        "accounts.Member",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("concerns"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("runs"), default=0)
    enqueue_failures = models.PositiveIntegerField(_("refused by the queue"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # The id of the request that asked for the work: the worker logs the
    # task's lines with it (core.requestlog).
    request_id = models.CharField(_("request id"), max_length=128, blank=True, default="")

    class Meta:
        verbose_name = _("background task")
        verbose_name_plural = _("background tasks")
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="outbox_due")]

    def __str__(self) -> str:
        return f"{self.task_path.rsplit('.', 1)[-1]} #{self.pk}"


class CounterBatch(models.Model):
    """A batch of buffered counts (core.counters) already written: a flush
    that died between writing a Redis batch and deleting it is not counted
    twice. Kept two days."""

    name = models.CharField(max_length=150, unique=True)
    written_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return self.name


class ContentVersion(models.Model):
    """How often something a page shows has changed (``core.versions``): a
    row per scope (``resources.resource:12``, ``accounts.member``), bumped
    by the writing services in their own transaction, read by pages kept
    rendered to know whether their copy still holds."""

    scope = models.CharField(max_length=120, primary_key=True)
    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.scope} {self.version}"
