"""Ratings and classroom uses are social's: it gives them to the index as
quality signals of learning resources (``search/protocol.py``), so
resources need not import social."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db.models import Avg, Count

from commonroom.resources.search import KEY as RESOURCE
from commonroom.search.protocol import QualityValues
from commonroom.social.models import ClassroomUse, Rating


class ResourceRatings:
    kind = RESOURCE

    def quality(self, object_ids: Sequence[int]) -> Mapping[int, QualityValues]:
        rows = (
            Rating.objects.filter(resource_id__in=list(object_ids))
            .values("resource_id")
            .annotate(avg=Avg("stars"), n=Count("pk"))
        )
        return {
            row["resource_id"]: {"rating_average": row["avg"], "rating_count": row["n"]}
            for row in rows
        }


class ResourceClassroomUses:
    kind = RESOURCE

    def quality(self, object_ids: Sequence[int]) -> Mapping[int, QualityValues]:
        rows = (
            ClassroomUse.objects.filter(resource_id__in=list(object_ids))
            .values("resource_id")
            .annotate(n=Count("pk"))
            .values_list("resource_id", "n")
        )
        return {pk: {"used_in_class": n} for pk, n in rows}


QUALITY_SOURCES = (ResourceRatings(), ResourceClassroomUses())
