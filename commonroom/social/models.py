"""Follows, reactions, ratings and "used in class" signals. Notifications
live in their own app (commonroom.notifications) since issue 14."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
