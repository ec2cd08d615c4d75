"""Staff edit the checklist here; everything else is a record that the
moderation pages write through services, so the admin only shows it."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

# Registers the Suspension admin (accounts' model, moderation's service).
from commonroom.moderation import suspension_admin  # noqa: F401
from commonroom.moderation.models import (
    AuditEntry,
    Criterion,
    Decision,
    Notice,
    Objection,
    Report,
    Review,
)


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["slug", "label_en", "label_nl", "position", "active"]
    list_editable = ["position", "active"]
    list_filter = ["active"]
    search_fields = ["slug", "label_en", "label_nl"]
    prepopulated_fields = {"slug": ["label_en"]}

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Past decisions and audit rows name criteria; retire one with "active".
        return False


class RecordAdmin(admin.ModelAdmin):
    """Read-only: rows change only through moderation services (R30)."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields] + [
            f.name for f in self.model._meta.many_to_many
        ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(RecordAdmin):
    list_display = ["created_at", "action", "actor", "target", "from_state", "to_state"]
    list_filter = ["action", "content_type"]
    search_fields = ["target", "reason"]
    date_hierarchy = "created_at"
    list_select_related = ["actor"]


@admin.register(Review)
class ReviewAdmin(RecordAdmin):
    list_display = ["pk", "kind", "target", "opened_at", "claimed_by", "closed_at"]
    list_filter = ["kind", "content_type", ("closed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["claimed_by"]


@admin.register(Decision)
class DecisionAdmin(RecordAdmin):
    list_display = ["created_at", "action", "target", "moderator"]
    list_filter = ["action", "content_type"]
    list_select_related = ["moderator"]
    search_fields = ["reason"]
    date_hierarchy = "created_at"


@admin.register(Objection)
class ObjectionAdmin(RecordAdmin):
    list_display = ["created_at", "decision", "author", "status", "decided_by", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["decision", "author", "decided_by"]


@admin.register(Notice)
class NoticeAdmin(RecordAdmin):
    list_display = ["created_at", "target", "name", "email", "status", "decided_at"]
    list_filter = ["status", "content_type"]
    search_fields = ["name", "email", "work"]


REPORT_FIELDS = ["content_type", "object_id", "reason", "status", "created_at", "handled_by",
                 "handled_at", "action_taken", "page"]  # fmt: skip


@admin.register(Report)
class ReportAdmin(RecordAdmin):
    """Reports on every kind. The admin shows no explanation and no content:
    a report on a private message is read only on its report page."""

    list_display = ["created_at", "content_type", "object_id", "reason", "status", "page"]
    list_filter = ["status", "reason", "content_type"]
    list_select_related = ["content_type"]
    fields = tuple(REPORT_FIELDS)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return list(REPORT_FIELDS)

    @admin.display(description=_("report page"))
    def page(self, report: Report) -> SafeString:
        url = reverse("moderation:content_report", args=[report.pk])
        return format_html('<a href="{}">{}</a>', url, _("Open"))
