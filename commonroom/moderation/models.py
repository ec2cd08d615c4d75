"""Reviews, decisions with reasons, objections, notices, reports and the
audit log (R26 to R30)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Reports live in their own module (one model for every kind of content).
from commonroom.moderation.report_models import Report as Report
from commonroom.moderation.report_models import ReportReason as ReportReason
from commonroom.taxonomy.languages import label_in


class Criterion(models.Model):
    """One line of the moderation checklist; staff edit the list (R26)."""

    slug = models.SlugField(unique=True)
    label_nl = models.CharField(_("Dutch label"), max_length=200)
    label_en = models.CharField(_("English label"), max_length=200)
    explanation_nl = models.TextField(_("explanation (Dutch)"), blank=True)
    explanation_en = models.TextField(_("explanation (English)"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("moderation criterion")
        verbose_name_plural = _("moderation criteria")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return label_in(self.label_nl, self.label_en)

    @property
    def explanation(self) -> str:
        return label_in(self.explanation_nl, self.explanation_en)


def _target_fields(*, null: bool = False) -> tuple[Any, Any]:
    """The item of a registered moderated kind a row is about (moderation/protocol.py)."""
    return (
        models.ForeignKey(
            "contenttypes.ContentType",
            null=null,
            blank=null,
            on_delete=models.CASCADE,
            related_name="+",
        ),
        models.PositiveBigIntegerField(null=null, blank=null),
    )


class AboutQuerySet(models.QuerySet[Any]):
    def about(self, item: models.Model) -> AboutQuerySet:
        """The rows about ``item``, an item of any moderated kind."""
        from django.contrib.contenttypes.models import ContentType

        return self.filter(content_type=ContentType.objects.get_for_model(item), object_id=item.pk)


class AboutItem:
    """What pages show of the item a row is about, through its kind."""

    target: Any

    def _kind(self) -> Any:
        from commonroom.moderation.protocol import kind_of

        return kind_of(self.target)

    @property
    def target_title(self) -> str:
        return self._kind().title(self.target) if self.target is not None else ""

    @property
    def target_label(self) -> str:
        if self.target is None:
            return ""
        return str(self._kind().label or self.target._meta.verbose_name).capitalize()

    @property
    def target_summary(self) -> tuple[str, str]:
        return self._kind().queue_summary(self.target) if self.target is not None else ("", "")

    @property
    def target_author(self) -> Any:
        return self._kind().author(self.target) if self.target is not None else None

    @property
    def target_url(self) -> str:
        return self._kind().public_url(self.target) if self.target is not None else ""

    @property
    def target_state_display(self) -> str:
        from commonroom.moderation.lifecycle import State

        if self.target is None:
            return ""
        state = self._kind().state(self.target)
        return str(dict(State.choices).get(state, state))


class Review(AboutItem, models.Model):
    """An item in the moderators' queue: an item of any registered kind."""

    class Kind(models.TextChoices):
        SUBMISSION = "submission", _("New")
        REVISION = "revision", _("Edit of a published resource")
        REREVIEW = "rereview", _("Due for periodic review")
        REPORT = "report", _("Report")

    content_type, object_id = _target_fields()
    target = GenericForeignKey("content_type", "object_id")
    # A proposed change to a published item (an edit), when the review is about that change.
    change_type, change_id = _target_fields(null=True)
    change = GenericForeignKey("change_type", "change_id")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    opened_at = models.DateTimeField(default=timezone.now, db_index=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = AboutQuerySet.as_manager()

    class Meta:
        ordering = ["opened_at"]
        indexes = [
            models.Index(fields=["closed_at", "opened_at"], name="review_queue_idx"),
            models.Index(fields=["content_type", "object_id"], name="review_target_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.content_type_id}:{self.object_id}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Decision(AboutItem, models.Model):
    """What a moderator decided, with the criteria and free text (R28)."""

    class Action(models.TextChoices):
        PUBLISH = "publish", _("Published")
        REQUEST_CHANGES = "request_changes", _("Changes requested")
        REJECT = "reject", _("Rejected")
        REMOVE = "remove", _("Removed")
        EDIT = "edit", _("Metadata edited")
        REMOVE_FILE = "remove_file", _("File removed")

    content_type, object_id = _target_fields()
    target = GenericForeignKey("content_type", "object_id")
    review = models.ForeignKey(
        Review, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    # The part of the item acted on (a file of a resource), when not the whole item.
    part_type, part_id = _target_fields(null=True)
    part = GenericForeignKey("part_type", "part_id")
    criteria = models.ManyToManyField(Criterion, blank=True, related_name="decisions")
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = AboutQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="decision_target_idx")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.content_type_id}:{self.object_id}"


class Objection(models.Model):
    """An author's objection to a refusal; staff decide (R28)."""

    class Status(models.TextChoices):
        FILED = "filed", _("Filed")
        UPHELD = "upheld", _("Refusal upheld")
        OVERTURNED = "overturned", _("Refusal overturned")

    decision = models.OneToOneField(Decision, on_delete=models.CASCADE, related_name="objection")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="objections"
    )
    text = models.TextField(_("why the refusal is wrong"), max_length=5000)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.FILED)
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Objection to {self.decision_id}"


class Notice(AboutItem, models.Model):
    """A notice of intellectual-property abuse, from anyone (R29)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Under investigation")
        RESTORED = "restored", _("Resource restored")
        REMOVED = "removed", _("Resource removed")

    content_type, object_id = _target_fields()
    target = GenericForeignKey("content_type", "object_id")
    name = models.CharField(_("your name"), max_length=150)
    email = models.EmailField(_("your email address"))
    work = models.TextField(_("the work that is infringed"), max_length=2000)
    reasons = models.TextField(_("why this resource infringes it"), max_length=5000)
    good_faith = models.BooleanField(
        _(
            "I declare in good faith that this information is correct and that I am the "
            "rights holder or act on their behalf."
        )
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    # The item's state before the first open notice, restored if unfounded.
    state_before = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    objects = AboutQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="notice_target_idx")]

    def __str__(self) -> str:
        return f"Notice on {self.content_type_id}:{self.object_id} by {self.name}"


class AuditEntry(models.Model):
    """Every moderation action: who, what, when, why (R30). Never edited."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=40, db_index=True)
    # The moderated item concerned, if any (the audit row outlives it).
    content_type, object_id = _target_fields(null=True)
    subject = GenericForeignKey("content_type", "object_id")
    target = models.CharField(max_length=100, help_text="model:id of what was acted on")
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    reason = models.TextField(blank=True)
    criteria = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = AboutQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_subject_idx")]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target}"
