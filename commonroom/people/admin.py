from typing import Any, cast

from django.contrib import admin
from django.http import HttpRequest

from commonroom.accounts.models import Member
from commonroom.people import services
from commonroom.people.models import TutorListing, VerifiedProfile


def _staff(request: HttpRequest) -> Member:
    # The admin only lets signed-in staff members this far.
    return cast(Member, request.user)


@admin.register(VerifiedProfile)
class VerifiedProfileAdmin(admin.ModelAdmin):
    """Staff mark and unmark organisations here or on the profile page; both
    go through the services, so each change leaves an audit row."""

    list_display = ["organisation_name", "member", "verified_by", "verified_at"]
    search_fields = ["organisation_name", "member__first_name", "member__last_name"]
    raw_id_fields = ["member"]
    readonly_fields = ["verified_by", "verified_at"]
    fields = ["member", "organisation_name", "verified_by", "verified_at"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        verification = services.profile_verify(
            member=obj.member, organisation_name=obj.organisation_name, by=_staff(request)
        )
        obj.pk = verification.pk

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.profile_unverify(member=obj.member, by=_staff(request))

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset.select_related("member"):
            self.delete_model(request, obj)


@admin.register(TutorListing)
class TutorListingAdmin(admin.ModelAdmin):
    list_display = ["member", "availability", "is_active", "updated_at"]
    list_filter = ["is_active", "provinces"]
    search_fields = ["member__first_name", "member__last_name", "offer"]
    raw_id_fields = ["member"]
    filter_horizontal = ["subjects", "levels", "provinces"]
