"""Learning resources (R9, R10), their files, revisions and statistics."""

from __future__ import annotations

import functools

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from commonroom.accounts.roles import is_moderator
from commonroom.core.fields import validate_single_line_fields
from commonroom.core.storage import private_storage
from commonroom.core.text import render_markdown

# The lifecycle's states are the moderation kernel's (moderation/lifecycle.py).
from commonroom.moderation.lifecycle import PUBLIC_STATES as PUBLIC_STATES
from commonroom.moderation.lifecycle import State as State
from commonroom.resources.withholding import withheld_condition

# The author edits these directly; in the others an edit waits for review.
EDITABLE_STATES = (State.DRAFT, State.CHANGES_REQUESTED, State.WITHDRAWN, State.REJECTED)


class ResourceQuerySet(models.QuerySet["Resource"]):
    def published(self) -> ResourceQuerySet:
        """Public, and not withheld from discovery by another app (withholding.py)."""
        published = self.filter(state__in=PUBLIC_STATES)
        withheld = withheld_condition()
        return published if withheld is None else published.exclude(withheld)

    def by(self, member: object) -> ResourceQuerySet:
        return self.filter(author=member)

    def visible_to(self, user: object) -> ResourceQuerySet:
        """Published resources, plus one's own, plus everything for moderators."""
        if getattr(user, "is_authenticated", False):
            if is_moderator(user):  # type: ignore[arg-type]
                return self
            public = Q(state__in=PUBLIC_STATES)
            if (withheld := withheld_condition()) is not None:
                public &= ~withheld
            return self.filter(public | Q(author=user))
        return self.published()


def resource_slug(title: str) -> str:
    """The words after a resource's number in its address."""
    return slugify(title)[:60] or "resource"


def resource_url(pk: int, title: str) -> str:
    """A resource's address from its number and title: what a search card
    needs, without making a model instance for it (a sixth of a card's
    rendering time), nor resolving the route each time (``reverse`` took
    half of a card written in Python)."""
    head, tail = _detail_address(get_script_prefix(), get_urlconf())
    return f"{head}{int(pk)}-{resource_slug(title)}{tail}"


@functools.lru_cache(maxsize=8)
def _detail_address(script_prefix: str, urlconf: str | None) -> tuple[str, str]:
    """The resource page's address around "<number>-<slug>", once per
    script prefix and URL configuration. A slug is ASCII letters, digits,
    "-" and "_", which ``reverse`` would leave as they are."""
    head, found, tail = reverse("resources:detail", args=[1, "x"], urlconf=urlconf).rpartition(
        "/1-x/"
    )
    if not found:
        raise ImproperlyConfigured("The route resources:detail must end in <id>-<slug>/.")
    return head + "/", "/" + tail


class Resource(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="resources"
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000)
    kind = models.ForeignKey(
        "taxonomy.ResourceKind", verbose_name=_("kind"), on_delete=models.PROTECT
    )
    language = models.ForeignKey(
        "taxonomy.Language", verbose_name=_("language"), on_delete=models.PROTECT
    )
    subjects = models.ManyToManyField("taxonomy.Subject", verbose_name=_("subjects"))
    levels = models.ManyToManyField("taxonomy.EducationLevel", verbose_name=_("education levels"))
    curriculum_goals = models.ManyToManyField(
        "taxonomy.CurriculumGoal", verbose_name=_("curriculum goals"), blank=True
    )
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    age_min = models.PositiveSmallIntegerField(_("from age"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("to age"), null=True, blank=True)
    licence = models.ForeignKey(
        "taxonomy.Licence",
        verbose_name=_("licence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    external_url = models.URLField(_("link to a website"), max_length=500, blank=True)
    video_url = models.URLField(_("video link (YouTube or Vimeo)"), max_length=500, blank=True)
    body = models.TextField(_("text"), blank=True, max_length=50_000)
    adapted_from = models.ForeignKey(
        "self",
        verbose_name=_("adapted from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="adaptations",
    )
    rights_confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # When moderators last approved it; drives the periodic re-review.
    reviewed_at = models.DateTimeField(null=True, blank=True)
    link_checked_at = models.DateTimeField(null=True, blank=True)
    # The moderation rows about it go with it (moderation points at any kind).
    reviews = GenericRelation("moderation.Review", related_query_name="resource")
    decisions = GenericRelation("moderation.Decision", related_query_name="resource")
    notices = GenericRelation("moderation.Notice", related_query_name="resource")
    link_broken_since = models.DateTimeField(null=True, blank=True)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("learning resource")
        verbose_name_plural = _("learning resources")
        constraints = [
            models.CheckConstraint(
                condition=Q(age_min__isnull=True)
                | Q(age_max__isnull=True)
                | Q(age_min__lte=models.F("age_max")),
                name="resource_age_range_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return resource_url(self.pk, self.title)

    def clean(self) -> None:
        super().clean()
        # The title heads the author's mails (published, changes requested).
        validate_single_line_fields(self, "title")

    @property
    def slug(self) -> str:
        return resource_slug(self.title)

    @property
    def body_html(self) -> str:
        return render_markdown(self.body)

    @property
    def is_public(self) -> bool:
        return self.state in PUBLIC_STATES

    @property
    def files_withheld(self) -> bool:
        """Files are not served while a notice is investigated or after removal."""
        return self.state in (State.REMOVED_PENDING, State.REMOVED)


class FileState(models.TextChoices):
    ACTIVE = "active", _("Active")
    PENDING = "pending", _("Waiting for review with an edit")
    QUARANTINED = "quarantined", _("Quarantined by the malware scanner")
    REMOVED = "removed", _("Removed")


def resource_file_path(instance: ResourceFile, filename: str) -> str:
    return f"resources/{instance.resource_id}/{instance.sha256[:16]}-{filename}"


def resource_thumbnail_path(instance: ResourceFile, filename: str) -> str:
    # "thumb-320.webp" -> "thumbnails/7/0123456789abcdef-320.webp"; the old
    # PNGs were saved as "thumb.png" -> ".../0123456789abcdef.png".
    tail = filename.removeprefix("thumb")
    return f"thumbnails/{instance.resource_id}/{instance.sha256[:16]}{tail}"


class ResourceFile(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=resource_file_path, storage=private_storage, max_length=300)
    # The card picture 640 pixels wide (WebP), or an old 340x480 PNG until
    # `manage.py thumbnails_rebuild` replaces it; empty for files without one.
    thumbnail = models.ImageField(
        upload_to=resource_thumbnail_path, storage=private_storage, blank=True, max_length=300
    )
    # The same picture 320 pixels wide; empty while `thumbnail` is an old PNG.
    thumbnail_small = models.ImageField(
        upload_to=resource_thumbnail_path, storage=private_storage, blank=True, max_length=300
    )
    name = models.CharField(_("file name"), max_length=200)
    mime_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    state = models.CharField(max_length=12, choices=FileState.choices, default=FileState.ACTIVE)
    scan_result = models.CharField(max_length=200, blank=True)
    extracted_text = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        indexes = [
            # A resource's files in their order, without a sort: the
            # resource page lists them so, and each result card reads the
            # first with a picture (resources/search_card.py): SQLite sorted
            # each card's files in a temporary B-tree, and the read of 20
            # cards took 0.66 ms instead of 0.46 (p50, 100,000 resources).
            models.Index(fields=["resource", "position", "id"], name="resourcefile_in_order"),
        ]
        verbose_name = _("file")
        verbose_name_plural = _("files")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("resources:file", args=[self.resource_id, self.pk, self.name])

    @property
    def scan_summary(self) -> str:
        """The virus scanner's verdict in the reader's language; ``scan_result``
        keeps clamd's own words (see core.uploads.scanning)."""
        result = self.scan_result
        if result == "OK":
            return str(_("no virus found"))
        if result == "not scanned":
            return str(_("not scanned (no scanner configured)"))
        if result == "scanner unavailable":
            return str(_("scanner unavailable"))
        if result.endswith("FOUND"):
            return str(_("virus found: %(name)s") % {"name": result.removesuffix("FOUND").strip()})
        return str(_("scan failed: %(detail)s") % {"detail": result})


class Revision(models.Model):
    """A version of a resource's metadata: every edit keeps the one before
    (who, when, what changed); an edit to a published resource waits here
    until a moderator accepts it (R15)."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        PENDING = "pending", _("Waiting for review")
        DECLINED = "declined", _("Declined")

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.APPLIED)
    data = models.JSONField(default=dict)
    changed_fields = models.JSONField(default=list)
    note = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "number"], name="unique_revision_number")
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} r{self.number}"


class DailyStat(models.Model):
    """Views and downloads per resource per day; no IP address or member is kept."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="daily_stats")
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)
    downloads = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "day"], name="one_stat_row_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} {self.day}"
