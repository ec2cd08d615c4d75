"""Members and their profiles.

A member's personal data lives in ``Profile`` and in a few columns of
``Member``; erasure (R6) deletes the first and blanks the second, keeping
only the name that stays on the member's contributions.
"""

from __future__ import annotations

import secrets
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonroom.core.fields import validate_single_line_fields
from commonroom.core.models import TimeStampedModel
from commonroom.core.storage import private_storage

if TYPE_CHECKING:
    from datetime import datetime


class MemberManager(BaseUserManager["Member"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> Member:
        member = self.model(email=self.normalize_email(email), **extra)
        member.set_password(password)
        member.save(using=self._db)
        return member

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> Member:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class Member(AbstractUser):
    username = None  # type: ignore[assignment]
    # Null once the member has left, so the address can sign up again.
    email = models.EmailField(  # type: ignore[assignment]
        _("email address"), unique=True, null=True, blank=True
    )
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("surname"), max_length=150)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    declared_not_pupil_at = models.DateTimeField(
        _("declared not to be a pupil in compulsory education"), null=True, blank=True
    )
    erased_at = models.DateTimeField(_("left the platform"), null=True, blank=True)
    # Mails and notifications reach the member in this language.
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    objects = MemberManager()  # type: ignore[assignment,misc]

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.display_name

    def clean(self) -> None:
        super().clean()
        # Names head mails ("… follows you") and sign every contribution.
        validate_single_line_fields(self, "first_name", "last_name")

    @property
    def display_name(self) -> str:
        """The name shown on contributions (terms 1.1), kept after erasure."""
        return f"{self.first_name} {self.last_name}".strip()

    def get_full_name(self) -> str:
        return self.display_name

    @property
    def is_moderator(self) -> bool:
        from commonroom.accounts.roles import is_moderator

        return is_moderator(self)


class ProfileVisibility(models.TextChoices):
    MEMBERS = "members", _("Signed-in members only")
    PUBLIC = "public", _("Everyone, also visitors")
    HIDDEN = "hidden", _("Nobody (not listed in the member directory)")


PROFILE_PHOTO_DIR = "profile-photos"


def profile_photo_path(profile: Profile, filename: str) -> str:
    # A random name: the address of a photo says neither whose it is nor when
    # it was taken, and cannot be guessed; each new photo gets a new one.
    return f"{PROFILE_PHOTO_DIR}/{secrets.token_urlsafe(24)}.jpg"


class Profile(TimeStampedModel):
    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="profile")
    # Private storage: a photo goes out only through accounts.views.profile_photo,
    # which applies the profile's visibility.
    photo = models.ImageField(
        _("photo"), upload_to=profile_photo_path, storage=private_storage, blank=True
    )
    bio = models.TextField(_("about me"), blank=True, max_length=2000)
    expertise = models.TextField(_("expertise"), blank=True, max_length=1000)
    school = models.CharField(_("school or organisation"), max_length=200, blank=True)
    province = models.ForeignKey(
        "taxonomy.Province",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    subjects = models.ManyToManyField(
        "taxonomy.Subject", verbose_name=_("subjects I teach"), blank=True
    )
    levels = models.ManyToManyField(
        "taxonomy.EducationLevel", verbose_name=_("levels I teach"), blank=True
    )
    visibility = models.CharField(
        _("who can see my profile"),
        max_length=10,
        choices=ProfileVisibility.choices,
        default=ProfileVisibility.MEMBERS,
    )
    # Set when a moderator hides the profile after a report (R21): only staff
    # can show it again, not the member.
    hidden_by_moderator = models.BooleanField(
        _("hidden by a moderator"),
        default=False,
        help_text=_("While set, the member cannot make the profile visible again."),
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return str(self.member)

    def clean(self) -> None:
        super().clean()
        validate_single_line_fields(self, "school")

    @property
    def photo_token(self) -> str:
        """The random part of the photo's name, which its address carries."""
        return PurePosixPath(self.photo.name or "").stem if self.photo else ""

    @property
    def photo_url(self) -> str:
        if not self.photo:
            return ""
        return reverse("accounts:profile_photo", args=[self.member_id, self.photo_token])


class SuspensionQuerySet(models.QuerySet["Suspension"]):
    def active(self, at: datetime | None = None) -> SuspensionQuerySet:
        at = at or timezone.now()
        return self.filter(lifted_at__isnull=True, starts_at__lte=at).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=at)
        )


class Suspension(models.Model):
    """Staff deny a member access for a while or for good (R5)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="suspensions")
    reason = models.TextField(_("reason"))
    starts_at = models.DateTimeField(_("from"), default=timezone.now)
    ends_at = models.DateTimeField(
        _("until"), null=True, blank=True, help_text=_("Empty: permanent.")
    )
    suspended_by = models.ForeignKey(Member, null=True, on_delete=models.SET_NULL, related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SuspensionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")

    def __str__(self) -> str:
        return f"{self.member} ({self.starts_at:%Y-%m-%d})"

    @property
    def is_permanent(self) -> bool:
        return self.ends_at is None


class StaffAction(models.Model):
    """Audit row for every privileged action on a member account."""

    class Kind(models.TextChoices):
        SUSPEND = "suspend", _("suspended")
        LIFT = "lift", _("suspension lifted")
        ERASE = "erase", _("account erased")

    actor = models.ForeignKey(Member, null=True, on_delete=models.SET_NULL, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="staff_actions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.member}"
