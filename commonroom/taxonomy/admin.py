from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from commonroom.taxonomy import models
from commonroom.taxonomy.signals import taxonomy_changed_send


class TermAdmin(admin.ModelAdmin):
    """Every edit tells the apps that copy the vocabularies
    (``taxonomy_changed``): search gives its index a new version, so the
    search page's cached vocabulary (labels, order, new terms) follows at
    once."""

    list_display = ["slug", "label_nl", "label_en", "position"]
    list_editable = ["position"]
    search_fields = ["slug", "label_nl", "label_en"]
    # Changing these moves a term in a tree.
    moving_fields: tuple[str, ...] = ()

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        moved = change and any(name in form.changed_data for name in self.moving_fields)
        taxonomy_changed_send(sender=type(obj), moved=moved)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        taxonomy_changed_send(sender=type(obj), moved=False)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        super().delete_queryset(request, queryset)
        taxonomy_changed_send(sender=queryset.model, moved=False)


class TreeTermAdmin(TermAdmin):
    """Moving a term under another parent changes which resources its
    ancestors count: search rebuilds its index in the background."""

    list_display = ["slug", "label_nl", "label_en", "parent", "position"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["parent"]
    moving_fields = ("parent",)


for tree_model in (models.EducationLevel, models.Subject):
    admin.site.register(tree_model, TreeTermAdmin)
for flat_model in (
    models.ResourceKind,
    models.Language,
    models.Province,
    models.TrainingTheme,
    models.CurriculumFramework,
):
    admin.site.register(flat_model, TermAdmin)


@admin.register(models.CurriculumGoal)
class CurriculumGoalAdmin(admin.ModelAdmin):
    """Goals come from data/curriculum_goals.json (``taxonomy_load``); an
    edit here is overwritten by the next load of the file. A goal serving
    another key competence changes what the search facet counts under each:
    the index is rebuilt."""

    list_display = [
        "code",
        "label_nl",
        "framework",
        "level",
        "subject",
        "key_competence",
        "retired",
    ]
    list_filter = ["framework", "retired", ("subject", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["framework", "level", "subject", "key_competence"]
    search_fields = ["code", "label_nl", "label_en"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        moved = change and "key_competence" in form.changed_data
        taxonomy_changed_send(sender=type(obj), moved=moved)


@admin.register(models.Licence)
class LicenceAdmin(admin.ModelAdmin):
    list_display = [
        "name", "allows_commercial", "allows_adaptation", "share_alike", "requires_attribution",
    ]  # fmt: skip
