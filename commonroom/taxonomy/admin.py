from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from commonroom.core.outbox import task_enqueue_on_commit
from commonroom.search.services import search_index_touch
from commonroom.search.tasks import search_rebuild_task
from commonroom.taxonomy import models


class TermAdmin(admin.ModelAdmin):
    """Every edit gives the search index a new version, so the search
    page's cached vocabulary (labels, order, new terms) follows at once."""

    list_display = ["slug", "label_nl", "label_en", "position"]
    list_editable = ["position"]
    search_fields = ["slug", "label_nl", "label_en"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        transaction.on_commit(search_index_touch)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        transaction.on_commit(search_index_touch)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        super().delete_queryset(request, queryset)
        transaction.on_commit(search_index_touch)


class TreeTermAdmin(TermAdmin):
    """Moving a term under another parent changes which resources its
    ancestors count: the index is rebuilt in the background."""

    list_display = ["slug", "label_nl", "label_en", "parent", "position"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["parent"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "parent" in form.changed_data:
            task_enqueue_on_commit(task=search_rebuild_task)


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
        transaction.on_commit(search_index_touch)
        if change and "key_competence" in form.changed_data:
            task_enqueue_on_commit(task=search_rebuild_task)


@admin.register(models.Licence)
class LicenceAdmin(admin.ModelAdmin):
    list_display = [
        "name", "allows_commercial", "allows_adaptation", "share_alike", "requires_attribution",
    ]  # fmt: skip
