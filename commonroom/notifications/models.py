"""What the platform told a member, and how each member wants e-mail per kind.

The tables were ``social_notification`` and ``social_notificationpreference``
until issue 14 moved them here (social 0005 renamed them; no row moved)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonroom.notifications import texts


class EmailFrequency(models.TextChoices):
    """How a notification reaches a member besides the app, where it always appears."""

    IMMEDIATELY = "immediately", _("Immediately")
    DAILY = "daily", _("In a daily digest")
    NEVER = "never", _("Never")


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # The key of a registered kind (notifications.kinds); not a closed list of
    # choices, so that an app adds a kind without a migration here.
    kind = models.CharField(max_length=40)
    # In the recipient's language when it was made; what older rows, made
    # before ``texts``, show to everyone.
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    # The same title and body in every language of the site ({"nl": {"title":
    # …, "body": …}, "en": …}), written once by `notify`, so that each reader
    # sees the one of the language they read the site in (notifications.texts).
    texts = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set when the notification waits for the member's daily digest e-mail.
    digest_pending = models.BooleanField(default=False, db_index=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            # notifications_withdraw finds what a hidden item told, by its address.
            models.Index(fields=["url"], name="notification_url_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def shown_title(self) -> str:
        """The title in the active language (the reader's, or a mail's recipient's)."""
        return texts.shown_text(self)[0]

    @property
    def shown_body(self) -> str:
        return texts.shown_text(self)[1]


class NotificationPreference(models.Model):
    """How a member wants e-mail for one kind of notification; in-app
    notifications always appear. No row means the kind's default."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=40)
    frequency = models.CharField(max_length=12, choices=EmailFrequency.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.kind}: {self.frequency}"
