"""What social adds to the resource page's one query: the average and
number of ratings, and the viewer's own stars (shown by
``social_tags.resource_social``). Found by ``resources.selectors.resource_page``
through ``core.discovery``, so resources needs no import of social."""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count, OuterRef, QuerySet, Subquery

from commonroom.resources.models import Resource
from commonroom.social.models import Rating


def annotate(resources: QuerySet[Resource], viewer: Any) -> QuerySet[Resource]:
    ratings = Rating.objects.filter(resource=OuterRef("pk")).values("resource")
    resources = resources.annotate(
        rating_average=Subquery(ratings.annotate(a=Avg("stars")).values("a")[:1]),
        rating_count=Subquery(ratings.annotate(c=Count("pk")).values("c")[:1]),
    )
    if getattr(viewer, "is_authenticated", False):
        mine = Rating.objects.filter(resource=OuterRef("pk"), member=viewer).values("stars")[:1]
        resources = resources.annotate(my_stars=Subquery(mine))
    return resources
