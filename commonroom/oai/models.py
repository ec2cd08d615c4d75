"""Tombstones of records that left public view, and the harvester keys
staff issue (issue 18)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TombstoneQuerySet(models.QuerySet["Tombstone"]):
    def in_set(self, spec: str) -> TombstoneQuerySet:
        return self.filter(set_specs__contains=f" {spec} ")


class Tombstone(models.Model):
    """A record a harvester may hold that is no longer public: reported as
    deleted for ever (``deletedRecord`` is ``persistent``). Written when a
    row of a kind that does not keep hidden rows is hidden or deleted; gone
    again when it is public once more."""

    kind = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField()
    deleted_at = models.DateTimeField(db_index=True)
    # The record's sets when it was deleted, each with its ancestors, space
    # separated with a space at both ends (" subject subject:mathematics ").
    set_specs = models.TextField(blank=True, default=" ")

    objects = TombstoneQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="one_tombstone_per_record")
        ]
        verbose_name = _("deleted OAI-PMH record")
        verbose_name_plural = _("deleted OAI-PMH records")

    def __str__(self) -> str:
        return f"{self.kind}/{self.object_id}"


class HarvesterKeyQuerySet(models.QuerySet["HarvesterKey"]):
    def active(self) -> HarvesterKeyQuerySet:
        return self.filter(revoked_at__isnull=True)


class HarvesterKey(models.Model):
    """A key staff issue to a harvesting platform: it has its own request
    budget, and it is required when ``OAI_REQUIRE_KEY`` is on. Only a hash
    is kept; the key itself is shown once, when it is made."""

    name = models.CharField(_("name"), max_length=120, help_text=_("The harvesting platform."))
    contact = models.CharField(
        _("contact"), max_length=200, help_text=_("Who to reach about it: a name and address.")
    )
    # The first characters of the key, to recognise it in lists and logs.
    prefix = models.CharField(_("key starts with"), max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    objects = HarvesterKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("OAI-PMH harvester key")
        verbose_name_plural = _("OAI-PMH harvester keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
