"""Saves are library's: it gives them to the index as a quality signal of
learning resources (``search/protocol.py``), so resources need not import
library."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db.models import Count

from commonroom.library.models import SavedItem
from commonroom.resources.search import KEY as RESOURCE
from commonroom.search.protocol import QualityValues


class ResourceSaves:
    kind = RESOURCE

    def quality(self, object_ids: Sequence[int]) -> Mapping[int, QualityValues]:
        rows = (
            SavedItem.objects.filter(resource_id__in=list(object_ids))
            .values("resource_id")
            .annotate(n=Count("pk"))
            .values_list("resource_id", "n")
        )
        return {pk: {"saves": n} for pk, n in rows}


QUALITY_SOURCES = (ResourceSaves(),)
