"""Private conversations between members and blocks (R18, R20, R22); reports
on messages are moderation's one ``Report`` (R21, messaging/moderation.py).

A conversation is readable by its participants only; moderators and staff
reach a message and the messages around it through a report or a message
held for review, never by browsing (permissions.py).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

BODY_MAX_LENGTH = 5000


class Conversation(models.Model):
    created_at = models.DateTimeField(default=timezone.now)
    # The time of the newest message every participant can see; orders the inbox.
    last_message_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self) -> str:
        return f"conversation {self.pk}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("messaging:conversation", args=[self.pk])


class ParticipantQuerySet(models.QuerySet["Participant"]):
    def present(self) -> ParticipantQuerySet:
        return self.filter(left_at__isnull=True)


class Participant(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversation_memberships"
    )
    joined_at = models.DateTimeField(default=timezone.now)
    # Messages after this moment are unread; empty: nothing read yet.
    last_read_at = models.DateTimeField(null=True, blank=True)
    # Set when the member leaves the platform: the others keep the conversation.
    left_at = models.DateTimeField(null=True, blank=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["conversation", "member"], name="participant_once")
        ]
        indexes = [models.Index(fields=["member", "left_at"], name="participant_member")]

    def __str__(self) -> str:
        return f"{self.member_id} in {self.conversation_id}"


class MessageQuerySet(models.QuerySet["Message"]):
    def visible_to(self, member: object) -> MessageQuerySet:
        """A message held for review is seen by its sender only."""
        return self.filter(Q(held=False) | Q(sender=member))


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages_sent"
    )
    # TextField's max_length binds forms only; the validator binds full_clean.
    body = models.TextField(
        _("message"),
        max_length=BODY_MAX_LENGTH,
        validators=[MaxLengthValidator(BODY_MAX_LENGTH)],
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # A link from a new account waits for a moderator (R20).
    held = models.BooleanField(default=False, db_index=True)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A held message's review (moderation) goes with it.
    reviews = GenericRelation("moderation.Review")

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["conversation", "created_at"], name="message_thread")]

    def __str__(self) -> str:
        return f"message {self.pk}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Block(models.Model):
    """The blocker no longer receives messages from the blocked member (R22).
    The blocked member is never told."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocked_by"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_once"),
            models.CheckConstraint(condition=~Q(blocker=F("blocked")), name="block_not_oneself"),
        ]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocks {self.blocked_id}"
