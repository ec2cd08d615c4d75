"""Staff see message reports in the admin, never conversations: a private
conversation is read only through a report page (permissions.py)."""

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from commonroom.messaging.models import MessageReport


@admin.register(MessageReport)
class MessageReportAdmin(admin.ModelAdmin[MessageReport]):
    list_display = ("pk", "reason", "status", "created_at", "handled_at", "page")
    list_filter = ("status", "reason")
    fields = ("reason", "status", "created_at", "handled_by", "handled_at", "page")
    readonly_fields = fields

    @admin.display(description=_("report page"))
    def page(self, report: MessageReport) -> SafeString:
        return format_html(
            '<a href="{}">{}</a>', reverse("messaging:report", args=[report.pk]), _("Open")
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
