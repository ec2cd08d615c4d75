from django.db.models import Prefetch, QuerySet

from commonroom.taxonomy.models import EducationLevel, Subject


def subject_tree() -> QuerySet[Subject]:
    return Subject.objects.roots().prefetch_related(
        Prefetch("children", queryset=Subject.objects.order_by("position"))
    )


def level_tree() -> QuerySet[EducationLevel]:
    return EducationLevel.objects.roots().prefetch_related(
        Prefetch("children", queryset=EducationLevel.objects.order_by("position"))
    )
