from django.db import models


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
