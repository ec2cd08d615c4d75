import json
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from commonroom.core.models import OutboxEntry
from commonroom.core.outbox import outbox_retry
from commonroom.core.tasks import send_email


@admin.register(OutboxEntry)
class OutboxEntryAdmin(admin.ModelAdmin[OutboxEntry]):
    """Background work (mail included) for staff: what waits for the queue,
    what failed and why (issue 12 item 11). Read-only but for a retry."""

    list_display = [
        "pk",
        "task_name",
        "state",
        "attempts",
        "enqueue_failures",
        "next_attempt_at",
        "created_at",
        "last_error",
    ]
    list_filter = ["state"]
    ordering = ["-created_at"]
    actions = ["retry"]
    exclude = ["kwargs"]
    readonly_fields = ["arguments"]

    @admin.display(description=_("arguments"))
    def arguments(self, entry: OutboxEntry) -> str:
        # A mail rendered by allauth carries a one-time link (a password
        # reset): nobody reads it here, superusers included.
        if entry.task_path == send_email.module_path:
            return str(_("a rendered e-mail (not shown)"))
        return json.dumps(entry.kwargs)

    @admin.display(description=_("task"), ordering="task_path")
    def task_name(self, entry: OutboxEntry) -> str:
        return entry.task_path.rsplit(".", 1)[-1]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Run the selected failed tasks again"), permissions=["view"])
    def retry(self, request: HttpRequest, queryset: QuerySet[OutboxEntry]) -> None:
        count = outbox_retry(entry_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext("%(n)d task queued again.", "%(n)d tasks queued again.", count) % {"n": count},
            messages.SUCCESS,
        )
