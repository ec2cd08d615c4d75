"""Terms and privacy texts (R1, R7, R8, R40), maintenance mode (R37) and
the contact form's messages (R38)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonroom.core.fields import validate_single_line_fields
from commonroom.core.text import render_markdown_document
from commonroom.taxonomy.languages import text_in


class DocumentKind(models.TextChoices):
    TERMS = "terms", _("Terms of use")
    PRIVACY = "privacy", _("Privacy statement")


class LegalDocumentQuerySet(models.QuerySet["LegalDocument"]):
    def published(self) -> "LegalDocumentQuerySet":
        return self.filter(published_at__isnull=False, published_at__lte=timezone.now())

    def terms(self) -> "LegalDocumentQuerySet":
        return self.filter(kind=DocumentKind.TERMS)

    def privacy(self) -> "LegalDocumentQuerySet":
        return self.filter(kind=DocumentKind.PRIVACY)


class LegalDocument(models.Model):
    """One version of the terms of use or of the privacy statement.

    Versions are never edited once published: a change is a new version, so
    what a member accepted stays readable at its own URL.
    """

    kind = models.CharField(_("document"), max_length=10, choices=DocumentKind.choices)
    version = models.CharField(
        _("version"), max_length=20, help_text=_("For example 2.0 or 2026-11.")
    )
    summary_nl = models.TextField(_("summary of changes (Dutch)"), blank=True)
    summary_en = models.TextField(_("summary of changes (English)"), blank=True)
    body_nl = models.TextField(_("text (Dutch, Markdown)"), blank=True)
    body_en = models.TextField(_("text (English, Markdown)"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LegalDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="unique_document_version")
        ]
        verbose_name = _("terms or privacy version")
        verbose_name_plural = _("terms and privacy versions")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.version}"

    def _localised(self, nl: str, en: str) -> str:
        return text_in(nl, en)

    @property
    def summary(self) -> str:
        return self._localised(self.summary_nl, self.summary_en)

    @property
    def body_html(self) -> str:
        return render_markdown_document(self._localised(self.body_nl, self.body_en))

    @property
    def is_published(self) -> bool:
        return self.published_at is not None and self.published_at <= timezone.now()


class TermsLanguage(models.TextChoices):
    DUTCH = "nl", _("Dutch")
    ENGLISH = "en", _("English")


class TermsAcceptance(models.Model):
    """A member accepted one version (the document) as shown in one language."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="terms_acceptances"
    )
    document = models.ForeignKey(LegalDocument, on_delete=models.PROTECT, related_name="+")
    # Empty only on acceptances recorded before the language was (from
    # migration 0003): which language those members saw is not known, and a
    # record of consent should not guess it.
    language = models.CharField(
        _("language shown"), max_length=2, choices=TermsLanguage.choices, blank=True
    )
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-accepted_at"]
        constraints = [
            models.UniqueConstraint(fields=["member", "document"], name="accept_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} accepted {self.document_id} ({self.language or '?'})"


class MaintenanceMode(models.Model):
    """A single row: whether the platform is closed to all but staff."""

    enabled = models.BooleanField(_("maintenance mode on"), default=False)
    message_nl = models.TextField(_("message (Dutch)"), blank=True)
    message_en = models.TextField(_("message (English)"), blank=True)
    changed_at = models.DateTimeField(auto_now=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("maintenance mode")
        verbose_name_plural = _("maintenance mode")

    def __str__(self) -> str:
        return str(_("on") if self.enabled else _("off"))

    @property
    def message(self) -> str:
        return text_in(self.message_nl, self.message_en)


class ContactMessage(models.Model):
    """What someone sent through the contact form; never shown publicly."""

    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email address"))
    subject = models.CharField(_("subject"), max_length=200)
    message = models.TextField(_("message"), max_length=5000)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact_messages",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")

    def __str__(self) -> str:
        return f"{self.subject} — {self.name}"

    def clean(self) -> None:
        super().clean()
        # The subject and name head the mail to the operator.
        validate_single_line_fields(self, "name", "subject")
