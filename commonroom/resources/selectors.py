from __future__ import annotations

import difflib
from datetime import date, timedelta
from typing import Any

from django.db.models import Avg, Count, OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.utils import timezone

from commonroom.moderation.models import Decision
from commonroom.resources.models import (
    DailyStat,
    FileState,
    Resource,
    ResourceFile,
    Revision,
    State,
)
from commonroom.taxonomy.models import EducationLevel, Subject


def resource_page(resource_id: int, viewer: Any = None) -> Resource | None:
    """Everything the resource page shows, in a fixed number of queries:
    ratings and the viewer's own rating come as annotations."""
    from commonroom.social.models import Rating

    ratings = Rating.objects.filter(resource=OuterRef("pk")).values("resource")
    resources = Resource.objects.annotate(
        rating_average=Subquery(ratings.annotate(a=Avg("stars")).values("a")[:1]),
        rating_count=Subquery(ratings.annotate(c=Count("pk")).values("c")[:1]),
    )
    if getattr(viewer, "is_authenticated", False):
        mine = Rating.objects.filter(resource=OuterRef("pk"), member=viewer).values("stars")[:1]
        resources = resources.annotate(my_stars=Subquery(mine))
    return (
        resources.select_related(
            "author",
            "kind",
            "language",
            "licence",
            "adapted_from__author",
            "adapted_from__licence",
        )
        .prefetch_related(
            Prefetch("subjects", queryset=Subject.objects.select_related("parent")),
            Prefetch("levels", queryset=EducationLevel.objects.select_related("parent")),
            "curriculum_goals",
            Prefetch(
                "files",
                queryset=ResourceFile.objects.exclude(state=FileState.REMOVED),
                to_attr="visible_files",
            ),
        )
        .filter(pk=resource_id)
        .first()
    )


def resources_for_listing(*, kind: str = "", language: str = "") -> QuerySet[Resource]:
    """Newest published resources, with what a card shows, in fixed queries."""
    resources = Resource.objects.published().select_related("author", "kind", "licence", "language")
    if kind:
        resources = resources.filter(kind__slug=kind)
    if language:
        resources = resources.filter(language__slug=language)
    return resources.prefetch_related(
        Prefetch(
            "files",
            queryset=ResourceFile.objects.filter(state=FileState.ACTIVE).exclude(thumbnail=""),
            to_attr="thumbnail_files",
        )
    ).order_by("-published_at", "-pk")


def latest_decision(resource: Resource) -> Decision | None:
    return (
        Decision.objects.filter(resource=resource)
        .select_related("objection")
        .prefetch_related("criteria")
        .order_by("-created_at", "-pk")
        .first()
    )


def pending_revision(resource: Resource) -> Revision | None:
    return resource.revisions.filter(status=Revision.Status.PENDING).first()


def resources_by_author(author: Any) -> QuerySet[Resource]:
    return (
        Resource.objects.filter(author=author)
        .select_related("kind", "licence")
        .annotate(
            total_views=Sum("daily_stats__views"), total_downloads=Sum("daily_stats__downloads")
        )
        .order_by("-updated_at")
    )


def _normalise(text: str) -> str:
    return " ".join("".join(ch for ch in text.lower() if ch.isalnum() or ch.isspace()).split())


def similar_resources(resource: Resource) -> list[tuple[Resource, str]]:
    """Published resources with the same file (SHA-256) or a near-identical
    title and description, each with why it matched."""
    found: dict[int, tuple[Resource, str]] = {}
    hashes = list(resource.files.exclude(state=FileState.REMOVED).values_list("sha256", flat=True))
    if hashes:
        for other in (
            Resource.objects.published()
            .exclude(pk=resource.pk)
            .filter(files__sha256__in=hashes, files__state=FileState.ACTIVE)
            .select_related("author")
            .distinct()[:5]
        ):
            found[other.pk] = (other, "file")
    title = _normalise(resource.title)
    candidates = (
        Resource.objects.published()
        .exclude(pk=resource.pk)
        .filter(title__iexact=resource.title.strip())
        .select_related("author")[:20]
    )
    for other in candidates:
        if other.pk in found or _normalise(other.title) != title:
            continue
        ratio = difflib.SequenceMatcher(
            None, _normalise(other.description), _normalise(resource.description)
        ).ratio()
        if ratio >= 0.85:
            found[other.pk] = (other, "text")
    return list(found.values())


def daily_stats(resource: Resource, *, days: int = 90) -> tuple[list[date], list[int], list[int]]:
    """Views and downloads per day over the last ``days`` days, zero-filled."""
    end = timezone.localdate()
    start = end - timedelta(days=days - 1)
    rows = {
        s.day: s for s in DailyStat.objects.filter(resource=resource, day__gte=start, day__lte=end)
    }
    dates = [start + timedelta(days=i) for i in range(days)]
    views = [rows[d].views if d in rows else 0 for d in dates]
    downloads = [rows[d].downloads if d in rows else 0 for d in dates]
    return dates, views, downloads


def revision_history(resource: Resource) -> QuerySet[Revision]:
    return resource.revisions.select_related("created_by").order_by("-number")


__all__ = ["State"]
