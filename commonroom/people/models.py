"""The tutor database (R18) and the organisations staff have verified (R21).

The member directory itself needs no table of its own: it reads
``accounts.Profile``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonroom.core.fields import validate_single_line_fields
from commonroom.core.models import TimeStampedModel


class TutorListingQuerySet(models.QuerySet["TutorListing"]):
    def active(self) -> TutorListingQuerySet:
        return self.filter(is_active=True)


class TutorListing(TimeStampedModel):
    """A member offers tutoring or expertise; contact goes through private messages."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tutor_listing"
    )
    subjects = models.ManyToManyField(
        "taxonomy.Subject", verbose_name=_("subjects"), related_name="tutor_listings"
    )
    levels = models.ManyToManyField(
        "taxonomy.EducationLevel", verbose_name=_("levels"), related_name="tutor_listings"
    )
    provinces = models.ManyToManyField(
        "taxonomy.Province", verbose_name=_("regions"), related_name="tutor_listings"
    )
    availability = models.CharField(
        _("when you are available"),
        max_length=200,
        help_text=_("For example: Wednesday afternoons, or during school holidays."),
    )
    offer = models.TextField(
        _("what you offer"),
        max_length=1000,
        help_text=_("Tutoring, coaching, a workshop… in a few sentences. No contact details."),
    )
    is_active = models.BooleanField(
        _("show my listing"),
        default=True,
        help_text=_("Untick to take a break without losing what you wrote."),
    )

    objects = TutorListingQuerySet.as_manager()

    class Meta:
        verbose_name = _("tutor listing")
        verbose_name_plural = _("tutor listings")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return str(self.member)

    def clean(self) -> None:
        super().clean()
        # Shown on one line in the tutor database.
        validate_single_line_fields(self, "availability")


class VerifiedProfile(models.Model):
    """Staff confirmed that this profile belongs to the organisation it names,
    against impersonation (R21)."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="verification"
    )
    organisation_name = models.CharField(_("organisation"), max_length=200)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified on"), default=timezone.now)

    class Meta:
        verbose_name = _("verified organisation")
        verbose_name_plural = _("verified organisations")
        ordering = ["organisation_name"]

    def __str__(self) -> str:
        return self.organisation_name

    def clean(self) -> None:
        super().clean()
        # Shown on one line beside the member's name.
        validate_single_line_fields(self, "organisation_name")
