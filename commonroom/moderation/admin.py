"""Staff edit the checklist here; everything else is a record that the
moderation pages write through services, so the admin only shows it."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

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
    list_display = ["created_at", "action", "actor", "resource", "target", "from_state", "to_state"]
    list_filter = ["action"]
    search_fields = ["target", "reason"]
    date_hierarchy = "created_at"
    list_select_related = ["actor", "resource"]


@admin.register(Review)
class ReviewAdmin(RecordAdmin):
    list_display = ["pk", "kind", "resource", "opened_at", "claimed_by", "closed_at"]
    list_filter = ["kind", ("closed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["resource", "claimed_by"]
    search_fields = ["resource__title"]


@admin.register(Decision)
class DecisionAdmin(RecordAdmin):
    list_display = ["created_at", "action", "resource", "moderator"]
    list_filter = ["action"]
    list_select_related = ["resource", "moderator"]
    search_fields = ["resource__title", "reason"]
    date_hierarchy = "created_at"


@admin.register(Objection)
class ObjectionAdmin(RecordAdmin):
    list_display = ["created_at", "decision", "author", "status", "decided_by", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["decision", "author", "decided_by"]


@admin.register(Notice)
class NoticeAdmin(RecordAdmin):
    list_display = ["created_at", "resource", "name", "email", "status", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["resource"]
    search_fields = ["name", "email", "work", "resource__title"]


@admin.register(Report)
class ReportAdmin(RecordAdmin):
    list_display = ["created_at", "resource", "reason", "reporter", "status", "handled_at"]
    list_filter = ["status", "reason"]
    list_select_related = ["resource", "reporter"]
