"""Saved resources and named collections (R13, R14)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from commonroom.core.fields import validate_single_line_fields
from commonroom.core.text import render_markdown
from commonroom.resources.models import PUBLIC_STATES

NOTE_MAX_LENGTH = 500


class SavedItem(models.Model):
    """A resource a member keeps for later, saved with one click."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_items"
    )
    resource = models.ForeignKey(
        "resources.Resource", on_delete=models.CASCADE, related_name="saved_items"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("saved resource")
        verbose_name_plural = _("saved resources")
        constraints = [
            models.UniqueConstraint(fields=["member", "resource"], name="save_resource_once")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} ♥ {self.resource_id}"


class CollectionQuerySet(models.QuerySet["Collection"]):
    def public(self) -> CollectionQuerySet:
        return self.filter(is_public=True)

    def owned_by(self, member: object) -> CollectionQuerySet:
        return self.filter(owner=member)


class Collection(models.Model):
    """A named, ordered list of resources with notes; private or public."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collections"
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(
        _("description"),
        max_length=5000,
        blank=True,
        help_text=_("Optional. You can use Markdown: *italic*, **bold**, lists and links."),
    )
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_(
            "Everyone can see a public collection, also visitors, and members can follow it. "
            "A private collection is for you alone."
        ),
    )
    slug = models.SlugField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CollectionQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("collection")
        verbose_name_plural = _("collections")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:collection", args=[self.pk, self.slug or "collection"])

    def clean(self) -> None:
        super().clean()
        # A title is shown on one line, in lists and in mails.
        validate_single_line_fields(self, "title")

    @property
    def description_html(self) -> SafeString:
        return render_markdown(self.description)


class CollectionItemQuerySet(models.QuerySet["CollectionItem"]):
    def published(self) -> CollectionItemQuerySet:
        """Items whose resource everyone may see (R2)."""
        return self.filter(resource__state__in=PUBLIC_STATES)


class CollectionItem(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    resource = models.ForeignKey(
        "resources.Resource", on_delete=models.CASCADE, related_name="collection_items"
    )
    position = models.PositiveIntegerField(default=0)
    note = models.CharField(
        _("note"),
        max_length=NOTE_MAX_LENGTH,
        blank=True,
        help_text=_("Optional: why it is here, or how you use it in class."),
    )
    added_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = CollectionItemQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("collection item")
        verbose_name_plural = _("collection items")
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "resource"], name="resource_once_per_collection"
            )
        ]

    def __str__(self) -> str:
        return f"{self.collection_id}#{self.position} → {self.resource_id}"
