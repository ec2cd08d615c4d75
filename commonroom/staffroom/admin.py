"""Staff keep the staffroom's categories here: ordered, described, and
optionally about one level or subject."""

from django.contrib import admin

from commonroom.staffroom.models import Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin[Category]):
    list_display = ("name", "position", "level", "subject")
    list_editable = ("position",)
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name", "description")
    ordering = ("position", "name")
