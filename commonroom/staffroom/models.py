"""The staffroom: a forum where members ask, answer and discuss (R19, R21).

Categories are kept by staff in the admin; a thread has a title and an
opening post; replies follow it. Posts are moderated like reactions (a new
account's post with a link is held, moderators hide and edit them), and
each edit keeps the earlier text (``PostRevision``), for moderators.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from commonroom.core.text import render_markdown


class Category(models.Model):
    """A board of the staffroom, optionally about one level or subject."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("address"), max_length=100, unique=True)
    description = models.TextField(_("description"), max_length=1000, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    level = models.ForeignKey(
        "taxonomy.EducationLevel",
        verbose_name=_("education level"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    subject = models.ForeignKey(
        "taxonomy.Subject",
        verbose_name=_("subject"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("staffroom category")
        verbose_name_plural = _("staffroom categories")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"/staffroom/c/{self.slug}/"

    @property
    def label(self) -> str:
        """The search facet's word for it."""
        return self.name


class ThreadKind(models.TextChoices):
    QUESTION = "question", _("Question")
    DISCUSSION = "discussion", _("Discussion")


class ThreadQuerySet(models.QuerySet["Thread"]):
    def visible(self) -> ThreadQuerySet:
        """Threads whose opening post anyone may read."""
        return self.filter(
            opening_post__isnull=False,
            opening_post__held=False,
            opening_post__hidden_at__isnull=True,
        )


class Thread(models.Model):
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="threads")
    title = models.CharField(_("title"), max_length=150)
    kind = models.CharField(
        _("kind of thread"), max_length=12, choices=ThreadKind.choices, default=ThreadKind.QUESTION
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staffroom_threads"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The opening post (set in the same transaction as the thread).
    opening_post = models.OneToOneField(
        "Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Denormalised for the category page: the newest visible post and when.
    last_post_id = models.BigIntegerField(default=0)
    last_post_at = models.DateTimeField(default=timezone.now)
    reply_count = models.PositiveIntegerField(default=0)
    accepted_post = models.ForeignKey(
        "Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pinned = models.BooleanField(_("pinned"), default=False)
    locked_at = models.DateTimeField(null=True, blank=True)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(
                fields=["category", "-pinned", "-last_post_at"], name="staffroom_thread_list"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/staffroom/t/{self.pk}/"

    @property
    def is_question(self) -> bool:
        return self.kind == ThreadKind.QUESTION

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class PostQuerySet(models.QuerySet["Post"]):
    def visible(self) -> PostQuerySet:
        return self.filter(held=False, hidden_at__isnull=True)


class Post(models.Model):
    """The opening post of a thread or a reply, in Markdown."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staffroom_posts"
    )
    body = models.TextField(_("message"), max_length=10000)
    # ``body`` as sanitised HTML, written with it (services): a page of 25
    # posts is not rendered from Markdown on every view.
    html = models.TextField(blank=True, editable=False)
    quote = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    # A new account's post with a link waits for a moderator (R20).
    held = models.BooleanField(default=False)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.CharField(max_length=300, blank=True)
    reviews = GenericRelation("moderation.Review")

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        indexes = [
            # Keyset pagination of a thread: (thread, id), visible posts only.
            models.Index(
                fields=["thread", "id"],
                name="staffroom_post_visible",
                condition=Q(held=False, hidden_at__isnull=True),
            ),
            models.Index(fields=["thread", "id"], name="staffroom_post_thread"),
        ]

    def __str__(self) -> str:
        return f"{self.author_id} in {self.thread_id}"

    def get_absolute_url(self) -> str:
        return f"/staffroom/p/{self.pk}/"

    @property
    def is_visible(self) -> bool:
        return not self.held and self.hidden_at is None

    @property
    def body_html(self) -> SafeString:
        if self.html:
            return mark_safe(self.html)  # noqa: S308 -- sanitised by render_markdown when stored
        return render_markdown(self.body)

    def render(self) -> None:
        """Store the body's sanitised HTML (call after changing ``body``)."""
        self.html = str(render_markdown(self.body))


class PostRevision(models.Model):
    """The text a post had before an edit, for moderators (issue 16)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    edited_at = models.DateTimeField(default=timezone.now)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_moderator = models.BooleanField(default=False)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-edited_at", "-pk"]

    def __str__(self) -> str:
        return f"revision of {self.post_id}"


class ReadMarker(models.Model):
    """How far a member has read a thread: the newest post seen, and when."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    last_read_post_id = models.BigIntegerField(default=0)
    visited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "thread"], name="staffroom_read_once")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} read {self.thread_id} to {self.last_read_post_id}"
