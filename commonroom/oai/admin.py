"""Staff issue and revoke harvester keys in the admin; the key is shown
once, when it is made."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonroom.oai.models import HarvesterKey
from commonroom.oai.services import harvester_key_revoke, harvester_key_save_new


@admin.register(HarvesterKey)
class HarvesterKeyAdmin(admin.ModelAdmin[HarvesterKey]):
    list_display = ("name", "prefix", "contact", "created_at", "last_used_at", "revoked_at")
    fields = ("name", "contact", "prefix", "created_by", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "created_by", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def save_model(self, request: HttpRequest, obj: HarvesterKey, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        raw = harvester_key_save_new(key=obj, created_by=request.user)
        messages.warning(
            request,
            _("The harvester key, shown only now: %(key)s — give it to %(name)s.")
            % {"key": raw, "name": obj.name},
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # revoked, never deleted: its record stays

    @admin.action(description=gettext_lazy("Revoke the selected keys"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[HarvesterKey]) -> None:
        for key in queryset:
            harvester_key_revoke(key=key)
        self.message_user(request, _("Revoked."))
