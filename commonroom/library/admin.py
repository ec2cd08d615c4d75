from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from commonroom.core import versions
from commonroom.core.versions import scope_of
from commonroom.library.models import Collection, CollectionItem, SavedItem
from commonroom.library.services import collection_follows_delete
from commonroom.resources.models import Resource


class CollectionItemInline(admin.TabularInline[CollectionItem, Collection]):
    model = CollectionItem
    extra = 0
    raw_id_fields = ["resource"]
    fields = ["position", "resource", "note", "added_at"]
    readonly_fields = ["added_at"]


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin[Collection]):
    """Staff may edit or remove any public collection (terms: the operator
    can edit or remove any posting)."""

    list_display = ["title", "owner", "is_public", "updated_at"]
    list_filter = ["is_public"]
    search_fields = ["title", "owner__email", "owner__last_name"]
    raw_id_fields = ["owner"]
    inlines = [CollectionItemInline]

    def delete_model(self, request: HttpRequest, obj: Collection) -> None:
        collection_follows_delete(collection_ids=[obj.pk])
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Collection]) -> None:
        collection_follows_delete(collection_ids=list(queryset.values_list("pk", flat=True)))
        super().delete_queryset(request, queryset)


@admin.register(SavedItem)
class SavedItemAdmin(admin.ModelAdmin[SavedItem]):
    list_display = ["member", "resource", "created_at"]
    raw_id_fields = ["member", "resource"]

    # The resource's page, kept rendered for visitors, shows the save count
    # (core.versions).
    def save_model(self, request: HttpRequest, obj: SavedItem, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        moved_from = form.initial.get("resource") if change else None  # saved on another
        versions.changed(*(scope_of(Resource, pk) for pk in {obj.resource_id, moved_from} if pk))

    def delete_model(self, request: HttpRequest, obj: SavedItem) -> None:
        versions.changed(scope_of(Resource, obj.resource_id))
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[SavedItem]) -> None:
        versions.changed(
            *(scope_of(Resource, pk) for pk in queryset.values_list("resource_id", flat=True))
        )
        super().delete_queryset(request, queryset)
