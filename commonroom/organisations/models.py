"""Organisation pages (R17, R24) and the training offers of training course
organisations (R23, R25), with the selection guide's saved answers.

An organisation passes through the content lifecycle of the moderation
kernel (``state``): proposed (submitted), verified by staff (published),
rejected, or excluded later (removed). Its offers are public while it is.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import PurePosixPath
from secrets import token_urlsafe

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from commonroom.core.fields import validate_single_line_fields
from commonroom.core.models import TimeStampedModel
from commonroom.core.storage import private_storage
from commonroom.core.text import render_markdown
from commonroom.moderation.lifecycle import PUBLIC_STATES, State


class OrganisationKind(models.TextChoices):
    SCHOOL = "school", _("School")
    SCHOOL_GROUP = "school_group", _("School group")
    PUBLISHER = "publisher", _("Publisher")
    NON_PROFIT = "non_profit", _("Non-profit organisation")
    GOVERNMENT = "government", _("Government")
    TRAINING_PROVIDER = "training_provider", _("Training provider")
    OTHER = "other", _("Other")


def logo_path(instance: object, filename: str) -> str:
    # A random name: a logo's address cannot be guessed, and a new logo gets a new one.
    return f"organisation-logos/{token_urlsafe(16)}.jpg"


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def public(self) -> OrganisationQuerySet:
        """Verified and not excluded: anyone may see these (R2)."""
        return self.filter(state__in=PUBLIC_STATES)

    def training_providers(self) -> OrganisationQuerySet:
        return self.public().filter(kind=OrganisationKind.TRAINING_PROVIDER)

    def administered_by(self, member_id: int) -> OrganisationQuerySet:
        return self.filter(administrators__member_id=member_id)


class Organisation(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind of organisation"), max_length=20, choices=OrganisationKind)
    address = models.CharField(_("address"), max_length=300)
    province = models.ForeignKey(
        "taxonomy.Province",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    website = models.URLField(_("website"), max_length=300)
    email = models.EmailField(
        _("contact e-mail"),
        help_text=_("Staff write to this address to verify the organisation; shown on its page."),
    )
    description = models.TextField(
        _("description"), max_length=5000, help_text=_("Markdown: **bold**, lists and links.")
    )
    logo = models.ImageField(_("logo"), upload_to=logo_path, storage=private_storage, blank=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisations_proposed",
    )
    published_at = models.DateTimeField(null=True, blank=True)
    # Staff exclude an organisation later with the reason recorded (R24).
    excluded_at = models.DateTimeField(null=True, blank=True)
    excluded_reason = models.TextField(blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [
            models.Index(fields=["state", "kind"], name="organisation_listing"),
            # The directory's version check reads the newest change per request.
            models.Index(fields=["updated_at"], name="organisation_updated"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        validate_single_line_fields(self, "name", "address")

    @property
    def slug(self) -> str:
        return slugify(self.name)[:60] or "organisation"

    def get_absolute_url(self) -> str:
        return reverse("organisations:detail", args=[self.pk, self.slug])

    @property
    def is_public(self) -> bool:
        return self.state in PUBLIC_STATES

    @property
    def offers_training(self) -> bool:
        return self.kind == OrganisationKind.TRAINING_PROVIDER

    @property
    def description_html(self) -> str:
        return render_markdown(self.description)

    @property
    def logo_token(self) -> str:
        return PurePosixPath(self.logo.name or "").stem if self.logo else ""


class OrganisationAdmin(models.Model):
    """A member who runs the organisation's page (R17)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="administrators"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_roles"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "member"], name="organisation_admin_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} @ {self.organisation_id}"


# How long an administrator's invitation may be accepted (R17).
INVITATION_DAYS = 14


def invitation_expiry() -> datetime:
    return timezone.now() + timedelta(days=INVITATION_DAYS)


class OrganisationInvitation(models.Model):
    """An administrator invites a member to run the organisation's page with
    them (R17); only the member's accepting makes them an administrator."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="organisation_invitations",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=invitation_expiry)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "member"],
                condition=models.Q(status="pending"),
                name="organisation_invitation_pending_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} invited to {self.organisation_id}"

    def get_absolute_url(self) -> str:
        return reverse("organisations:invitation", args=[self.pk])

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_open(self) -> bool:
        """Pending and not expired: it may still be accepted or declined."""
        return self.status == self.Status.PENDING and not self.is_expired


class OrganisationChange(models.Model):
    """An administrator's edit of a verified organisation's page, waiting for a
    moderator like an edit of a published resource (Review.change)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPLIED = "applied", _("Applied")
        DECLINED = "declined", _("Declined")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="changes")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(default=dict)
    logo = models.ImageField(upload_to=logo_path, storage=private_storage, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"change {self.pk} of {self.organisation_id}"


class TrainingRole(models.TextChoices):
    TEACHERS = "teachers", _("Teachers")
    PRINCIPALS = "principals", _("Principals")
    SUPPORT = "support_staff", _("Support staff")


class TrainingFormat(models.TextChoices):
    AT_SCHOOL = "at_school", _("At the school")
    OPEN = "open_course", _("Open course")
    ONLINE = "online", _("Online")
    COACHING = "coaching", _("Coaching")


class PriceRange(models.TextChoices):
    FREE = "free", _("Free")
    LOW = "low", _("Up to €250")
    MEDIUM = "medium", _("€250 to €1,000")
    HIGH = "high", _("More than €1,000")
    ON_REQUEST = "on_request", _("On request")


class TrainingOfferQuerySet(models.QuerySet["TrainingOffer"]):
    def public(self) -> TrainingOfferQuerySet:
        """Active offers of public training providers: an excluded
        organisation's offers go with it at once (R24)."""
        return self.filter(
            is_active=True,
            withdrawn_at__isnull=True,
            organisation__state__in=PUBLIC_STATES,
            organisation__kind=OrganisationKind.TRAINING_PROVIDER,
        )


class TrainingOffer(TimeStampedModel):
    """Professional development an organisation offers (R23); written by its
    administrators, who alone answer for it: no quality label (R25)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="offers")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000)
    themes = models.ManyToManyField(
        "taxonomy.TrainingTheme", verbose_name=_("themes"), related_name="offers"
    )
    levels = models.ManyToManyField(
        "taxonomy.EducationLevel",
        verbose_name=_("education levels"),
        related_name="training_offers",
        blank=True,
    )
    roles = models.JSONField(_("for whom"), default=list)
    provinces = models.ManyToManyField(
        "taxonomy.Province", verbose_name=_("provinces served"), related_name="training_offers"
    )
    formats = models.JSONField(_("formats"), default=list)
    sessions = models.PositiveSmallIntegerField(
        _("number of sessions"), default=1, help_text=_("How many sessions the route usually has.")
    )
    duration = models.CharField(
        _("duration"), max_length=200, help_text=_("For example: three afternoons of 3 hours.")
    )
    price_range = models.CharField(_("price"), max_length=12, choices=PriceRange.choices)
    contact_person = models.CharField(_("contact person"), max_length=200)
    contact_channel = models.CharField(
        _("how to reach them"),
        max_length=300,
        help_text=_("An e-mail address, a telephone number or a web address."),
    )
    is_active = models.BooleanField(_("show this offer"), default=True)
    # Moderators withdraw an offer after a report (R21); its administrators
    # cannot show it again.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TrainingOfferQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("training offer")
        verbose_name_plural = _("training offers")
        # The directory's version check reads the newest change per request.
        indexes = [models.Index(fields=["updated_at"], name="trainingoffer_updated")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        validate_single_line_fields(self, "title", "duration", "contact_person", "contact_channel")

    def get_absolute_url(self) -> str:
        return reverse("organisations:offer", args=[self.pk])

    @property
    def description_html(self) -> str:
        return render_markdown(self.description)

    @property
    def is_shown(self) -> bool:
        """Shown by its administrators and not withdrawn by moderators; the
        organisation's side of ``public()`` is checked apart."""
        return self.is_active and self.withdrawn_at is None

    def role_labels(self) -> list[str]:
        return [str(TrainingRole(r).label) for r in self.roles if r in TrainingRole.values]

    def format_labels(self) -> list[str]:
        return [str(TrainingFormat(f).label) for f in self.formats if f in TrainingFormat.values]


class SavedGuide(models.Model):
    """A member's selection guide answers, kept to hear of new matching offers."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_guides"
    )
    query = models.CharField(max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["member", "query"], name="saved_guide_once")]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.query}"

    def get_absolute_url(self) -> str:
        return reverse("organisations:guide") + "?" + self.query


class OrganisationResource(models.Model):
    """A resource its author published under an organisation they administer
    (R17): the attribution names both. The link lives here, so resources
    need not know organisations."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="resource_links"
    )
    resource = models.OneToOneField(
        "resources.Resource", on_delete=models.CASCADE, related_name="organisation_link"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.resource_id} for {self.organisation_id}"
