"""Staff add a suspension in the admin too; it goes through the same
service as the staff pages (an audit row, the own-case rule)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from commonroom.accounts.models import Suspension
from commonroom.accounts.permissions import acting_member
from commonroom.moderation import suspensions


@admin.register(Suspension)
class SuspensionAdmin(admin.ModelAdmin[Suspension]):
    list_display = ["member", "starts_at", "ends_at", "lifted_at", "suspended_by"]
    list_select_related = ["member", "suspended_by"]
    autocomplete_fields = ["member"]
    fields = ["member", "reason", "ends_at"]

    def has_change_permission(self, request: HttpRequest, obj: Suspension | None = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Suspension, form: Any, change: bool) -> None:
        created = suspensions.member_suspend(
            member=obj.member, reason=obj.reason, until=obj.ends_at, by=acting_member(request)
        )
        obj.pk = created.pk
