from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from commonroom.library.models import Collection, CollectionItem, SavedItem
from commonroom.library.services import collection_follows_delete


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
