"""One report model for every kind of content (R21, issue 14).

A report points at its object through content types: a resource, a
reaction, a message, a profile, a collection, or any kind an app registers
in its ``moderation`` module (``REPORTABLE``, see ``report_registry``).
Imported by ``moderation/models.py`` so Django finds the model.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportReason(models.TextChoices):
    """The grounds of R21, which are the rules of conduct of the terms of use
    (2.1): illegal or harmful material, privacy, malware, infringement of
    others' rights, spam, off-topic posts and impersonation."""

    ILLEGAL = "illegal", _("Illegal content")
    HARMFUL = "harmful", _("Harmful, insulting, hateful or sexual content")
    PRIVACY = "privacy", _("Infringes someone's privacy")
    MALWARE = "malware", _("Contains a virus or other malware")
    INFRINGEMENT = "infringement", _("Infringes copyright or other rights")
    SPAM = "spam", _("Spam or advertising")
    OFF_TOPIC = "off_topic", _("Off-topic or not relevant to education")
    IMPERSONATION = "impersonation", _("Impersonates someone")


class ReportQuerySet(models.QuerySet["Report"]):
    def on(self, target: models.Model) -> ReportQuerySet:
        """The reports on one object."""
        content_type = ContentType.objects.get_for_model(type(target))
        return self.filter(content_type=content_type, object_id=target.pk)

    def open(self) -> ReportQuerySet:
        return self.filter(status=Report.Status.OPEN)


class Report(models.Model):
    """Anyone's report on a piece of content; moderators act on it or dismiss it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACTIONED = "actioned", _("Acted upon")
        DISMISSED = "dismissed", _("Dismissed")

    class Action(models.TextChoices):
        HIDE = "hide", _("Hidden")
        REMOVE = "remove", _("Removed")
        WARN = "warn", _("Author warned")
        SUSPEND = "suspend", _("Author suspended")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,  # a visitor's report (§2.4) has no account behind it
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    # A visitor (no account) leaves an address for questions about the report;
    # personal data, shown only to moderators and blanked by member erasure.
    reporter_email = models.EmailField(_("your email address"), blank=True)
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason.choices)
    text = models.TextField(_("explanation"), max_length=3000, blank=True)
    # Kinds handled in the review queue (resources) join an open review there.
    review = models.ForeignKey(
        "moderation.Review",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    action_taken = models.CharField(max_length=10, choices=Action.choices, blank=True)
    decision_reason = models.TextField(blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="report_target"),
            models.Index(fields=["status", "created_at"], name="report_queue"),
        ]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"{self.get_reason_display()} on {self.content_type_id}:{self.object_id}"

    def target_object(self) -> Any:
        """The reported object, or None when it is gone."""
        model = self.content_type.model_class()
        return model._default_manager.filter(pk=self.object_id).first() if model else None
