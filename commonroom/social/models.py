"""In-app notifications; the networking issue adds follows, reactions and
e-mail preferences around the same ``notify`` service."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    REACTION = "reaction", _("A reaction on my resource")
    NEW_MESSAGE = "new_message", _("A new private message")
    NEW_FOLLOWER = "new_follower", _("A new follower")
    SAVED_SEARCH = "saved_search", _("New results for a saved search")
    COLLECTION_UPDATE = "collection_update", _("An update in a collection I follow")
    MODERATION_DECISION = "moderation_decision", _("A moderation decision on my resource")
    OBJECTION_DECISION = "objection_decision", _("A decision on my objection")
    NOTICE = "notice", _("A notice about my resource")
    LINK_BROKEN = "link_broken", _("A broken link in my resource")
    REVIEW_DUE = "review_due", _("A resource of mine is due for review")


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40, choices=NotificationKind.choices)
    # In the recipient's language when it was made; what older rows, made
    # before ``texts``, show to everyone.
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    # The same title and body in every language of the site ({"nl": {"title":
    # …, "body": …}, "en": …}), written once by `notify`, so that each reader
    # sees the one of the language they read the site in.
    texts = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set when the notification waits for the member's daily digest e-mail.
    digest_pending = models.BooleanField(default=False, db_index=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.title

    def text_in(self, language: str) -> tuple[str, str]:
        """Title and body in ``language``, else as the recipient first read them."""
        text = self.texts.get(language) or self.texts.get(language.split("-")[0])
        if not isinstance(text, dict):
            return self.title, self.body
        return str(text.get("title") or self.title), str(text.get("body", self.body))

    @property
    def shown_title(self) -> str:
        """The title in the active language (the reader's, or a mail's recipient's)."""
        return self.text_in(get_language() or settings.LANGUAGE_CODE)[0]

    @property
    def shown_body(self) -> str:
        return self.text_in(get_language() or settings.LANGUAGE_CODE)[1]


class Follow(models.Model):
    """A member follows a member, a subject, a public collection or (later)
    an organisation (R12, R18). Generic so that new kinds need no new table."""

    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["follower", "content_type", "object_id"], name="follow_once"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="follow_target")]

    def __str__(self) -> str:
        return f"{self.follower_id} → {self.content_type_id}:{self.object_id}"


class EmailFrequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately")
    DAILY = "daily", _("In a daily digest")
    NEVER = "never", _("Never")


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


class ReactionQuerySet(models.QuerySet["Reaction"]):
    def visible(self) -> "ReactionQuerySet":
        return self.filter(hidden_at__isnull=True, held=False)


class Reaction(models.Model):
    """A public reaction on a resource (R19, R39), written in Markdown."""

    resource = models.ForeignKey(
        "resources.Resource", on_delete=models.CASCADE, related_name="reactions"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reactions"
    )
    body = models.TextField(_("your reaction"), max_length=3000)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    # A new account's reaction with a link waits for a moderator (R20).
    held = models.BooleanField(default=False)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.CharField(max_length=300, blank=True)
    # A held reaction's review (moderation) goes with it.
    reviews = GenericRelation("moderation.Review")

    objects = ReactionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["resource", "created_at"], name="reaction_by_resource")]

    def __str__(self) -> str:
        return f"{self.author_id} on {self.resource_id}"

    @property
    def body_html(self) -> str:
        from commonroom.core.text import render_markdown

        return render_markdown(self.body)


class Rating(models.Model):
    """One to five stars, one rating per member per resource (R19)."""

    resource = models.ForeignKey(
        "resources.Resource", on_delete=models.CASCADE, related_name="ratings"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ratings"
    )
    stars = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resource", "member"], name="rate_once"),
            models.CheckConstraint(
                condition=models.Q(stars__gte=1, stars__lte=5), name="stars_one_to_five"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stars}★ {self.resource_id}"


class ClassroomUse(models.Model):
    """ "Used it in class": a structured signal for the author."""

    resource = models.ForeignKey(
        "resources.Resource", on_delete=models.CASCADE, related_name="classroom_uses"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="classroom_uses"
    )
    level = models.ForeignKey(
        "taxonomy.EducationLevel",
        verbose_name=_("level"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    subject = models.ForeignKey(
        "taxonomy.Subject",
        verbose_name=_("subject"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    note = models.CharField(_("how it went (optional)"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"used {self.resource_id}"
