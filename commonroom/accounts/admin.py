from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from commonroom.accounts.models import Member, Profile, StaffAction
from commonroom.accounts.services import member_erase
from commonroom.core import versions


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    filter_horizontal = ["subjects", "levels"]


@admin.register(Member)
class MemberAdmin(UserAdmin):
    ordering = ["last_name", "first_name"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "erased_at"]
    list_filter = ["is_staff", "is_active", "groups"]
    search_fields = ["email", "first_name", "last_name"]
    readonly_fields = ["birth_year", "declared_not_pupil_at", "erased_at", "last_login",
                       "date_joined"]  # fmt: skip
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Name"), {"fields": ("first_name", "last_name")}),
        (
            _("Registration"),
            {
                "fields": (
                    "birth_year",
                    "declared_not_pupil_at",
                    "date_joined",
                    "last_login",
                    "erased_at",
                )
            },
        ),
        (_("Roles"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "first_name", "last_name", "password1", "password2"),
            },
        ),
    )
    inlines = [ProfileInline]
    actions = ["erase_personal_data"]

    def save_model(self, request: HttpRequest, obj: Member, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if {"first_name", "last_name"} & set(form.changed_data):
            versions.changed(Member)  # pages kept rendered show the name (core.versions)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        # A member's contributions keep their name (R6): deleting the row
        # would take them along. Erasure is the action below.
        return False

    @admin.action(description=_("Erase the personal data of the selected members"))
    def erase_personal_data(self, request: HttpRequest, queryset: QuerySet[Member]) -> None:
        actor = request.user if isinstance(request.user, Member) else None
        erased = 0
        for member in queryset.filter(erased_at__isnull=True):
            member_erase(member=member, actor=actor)
            erased += 1
        self.message_user(
            request,
            ngettext(
                "%(n)d member erased: their name stays on their contributions.",
                "%(n)d members erased: their names stay on their contributions.",
                erased,
            )
            % {"n": erased},
            messages.SUCCESS,
        )


@admin.register(StaffAction)
class StaffActionAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "member", "actor"]
    list_filter = ["kind"]
    list_select_related = ["member", "actor"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
