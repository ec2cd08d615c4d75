from django.contrib import admin

from commonroom.taxonomy import models


class TermAdmin(admin.ModelAdmin):
    list_display = ["slug", "label_nl", "label_en", "position"]
    list_editable = ["position"]
    search_fields = ["slug", "label_nl", "label_en"]


class TreeTermAdmin(TermAdmin):
    list_display = ["slug", "label_nl", "label_en", "parent", "position"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["parent"]


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
    list_display = ["code", "label_nl", "label_en", "framework"]
    list_filter = ["framework"]
    search_fields = ["code", "label_nl", "label_en"]


@admin.register(models.Licence)
class LicenceAdmin(admin.ModelAdmin):
    list_display = [
        "name", "allows_commercial", "allows_adaptation", "share_alike", "requires_attribution",
    ]  # fmt: skip
