from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from commonroom.accounts.permissions import acting_member
from commonroom.legal import services
from commonroom.legal.models import ContactMessage, LegalDocument, MaintenanceMode


@admin.register(LegalDocument)
class LegalDocumentAdmin(admin.ModelAdmin):
    list_display = ["kind", "version", "published_at", "published_by"]
    list_filter = ["kind"]
    actions = ["publish"]
    readonly_fields = ["published_at", "published_by"]

    def get_readonly_fields(self, request: HttpRequest, obj: LegalDocument | None = None):
        # A published version is a record of what members accepted: never edited.
        if obj and obj.published_at:
            return [f.name for f in LegalDocument._meta.fields]
        return self.readonly_fields

    def has_delete_permission(self, request: HttpRequest, obj: LegalDocument | None = None):
        return bool(obj is None or not obj.published_at) and super().has_delete_permission(
            request, obj
        )

    @admin.action(description=_("Publish the selected versions now"))
    def publish(self, request: HttpRequest, queryset) -> None:
        for document in queryset.filter(published_at__isnull=True):
            services.document_publish(document=document, by=acting_member(request))
            self.message_user(request, _("Published %s.") % document, messages.SUCCESS)


@admin.register(MaintenanceMode)
class MaintenanceModeAdmin(admin.ModelAdmin):
    list_display = ["enabled", "changed_at", "changed_by"]
    fields = ["enabled", "message_nl", "message_en"]

    def save_model(self, request: HttpRequest, obj: MaintenanceMode, form, change: bool) -> None:
        services.maintenance_set(
            enabled=obj.enabled, message_nl=obj.message_nl, message_en=obj.message_en,
            by=acting_member(request),
        )  # fmt: skip


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    list_display = ["subject", "name", "email", "created_at", "handled_at"]
    list_filter = ["handled_at"]
    search_fields = ["subject", "name", "email", "message"]
    readonly_fields = ["name", "email", "subject", "message", "member", "created_at"]
