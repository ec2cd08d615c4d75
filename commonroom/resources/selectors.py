from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language

from commonroom.core.discovery import app_modules
from commonroom.moderation.models import Decision
from commonroom.resources.models import (
    PUBLIC_STATES,
    DailyStat,
    FileState,
    Resource,
    ResourceFile,
    Revision,
    State,
)
from commonroom.taxonomy.models import (
    CurriculumGoal,
    EducationLevel,
    Language,
    Licence,
    ResourceKind,
    Subject,
)
from commonroom.taxonomy.selectors import term_by_id, terms_by_id


def resource_page(resource_id: int, viewer: Any = None) -> Resource | None:
    """Everything the resource page shows, in a fixed number of queries,
    each cheap to build (issue 15: the page is read far more than written).

    Panels of apps above resources (social's ratings and reactions,
    library's save button) ask for their own data from their template
    tags. The kind, language, licence, subjects and levels come from the
    vocabularies' per-process copy
    (``taxonomy.selectors.terms_by_id``) as ``subject_list`` and
    ``level_list``; curriculum goals as ``goal_list``; the files as
    ``visible_files``.

    An app that adds a fact of its own to the resource itself (organisations:
    the organisation it is published under) annotates this one query through
    its ``resource_page.py`` (``annotate(resources, viewer)``)."""
    resources = Resource.objects.select_related("author")
    for module in app_modules("resource_page"):
        resources = module.annotate(resources, viewer)
    found = list(
        resources.filter(pk=resource_id).order_by()[:1]  # one row by its key: nothing to sort
    )
    if not found:
        return None
    resource = found[0]
    # Small vocabularies: from the per-process copy, not a join.
    resource.kind = term_by_id(ResourceKind, resource.kind_id)  # type: ignore[assignment]
    resource.language = term_by_id(Language, resource.language_id)  # type: ignore[assignment]
    resource.licence = term_by_id(Licence, resource.licence_id)
    resource.visible_files = list(  # type: ignore[attr-defined]
        ResourceFile.objects.filter(resource_id=resource.pk).exclude(state=FileState.REMOVED)
    )
    if resource.adapted_from_id is not None:  # rare: one more query only then
        resource.adapted_from = (
            Resource.objects.select_related("author", "licence")
            .filter(pk=resource.adapted_from_id)
            .first()
        )
    ids = _term_ids(resource.pk)
    resource.subject_list = terms_by_id(Subject, ids["subject"])  # type: ignore[attr-defined]
    resource.level_list = terms_by_id(EducationLevel, ids["level"])  # type: ignore[attr-defined]
    resource.goal_list = (  # type: ignore[attr-defined]
        list(CurriculumGoal.objects.filter(pk__in=ids["goal"])) if ids["goal"] else []
    )
    return resource


def _term_ids(resource_id: int) -> dict[str, list[int]]:
    """The ids of a resource's subjects, levels and curriculum goals: one
    query over the three link tables (names from the models, never input)."""
    names = ("subject", "level", "goal")
    parts = []
    for n, field_name in enumerate(("subjects", "levels", "curriculum_goals")):
        field: Any = Resource._meta.get_field(field_name)
        table = field.remote_field.through._meta.db_table
        parts.append(
            f"SELECT {n}, {field.m2m_reverse_name()} FROM {table} "  # noqa: S608
            f"WHERE {field.m2m_column_name()} = %s"
        )
    ids: dict[str, list[int]] = {name: [] for name in names}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), [resource_id] * len(parts))
        for n, pk in cursor.fetchall():
            ids[names[n]].append(pk)
    return ids


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
        Decision.objects.about(resource)
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


# The home page shows what a visitor comes for. Its data is the same for
# everyone, so it is read once per language every few minutes, not per request.
SHOWCASE_SECONDS = 300
SHOWCASE_WINDOW_DAYS = 30
SHOWCASE_SIZE = 4


@dataclass(frozen=True)
class SubjectCount:
    slug: str
    label: str
    count: int


@dataclass(frozen=True)
class Showcase:
    recent: list[Resource]
    most_used: list[Resource]
    subjects: list[SubjectCount]


def recent_resources(*, limit: int = SHOWCASE_SIZE) -> list[Resource]:
    """The newest published resources (two queries: cards and thumbnails)."""
    return list(resources_for_listing()[:limit])


def most_used_resources(
    *, days: int = SHOWCASE_WINDOW_DAYS, limit: int = SHOWCASE_SIZE, today: date | None = None
) -> list[Resource]:
    """Published resources with the most page views plus downloads over the
    last ``days`` days, most first; none without any (two queries)."""
    since = (today or timezone.localdate()) - timedelta(days=days - 1)
    uses = Sum(
        F("daily_stats__views") + F("daily_stats__downloads"),
        filter=Q(daily_stats__day__gte=since),
    )
    return list(
        resources_for_listing()
        .annotate(uses=uses)
        .filter(uses__gt=0)
        .order_by("-uses", "-published_at", "-pk")[:limit]
    )


def subjects_with_counts() -> list[SubjectCount]:
    """Top-level subjects with their number of published resources, counting
    a resource filed under a sub-subject for its parent once, in taxonomy
    order; subjects without resources are left out (two queries)."""
    # Any: the plugin of django-stubs does not see annotations on the
    # generated many-to-many table.
    through: Any = Resource.subjects.through
    counts = dict(
        through.objects.filter(resource__state__in=PUBLIC_STATES)
        # Subjects are two levels deep (taxonomy.json); three would do.
        .annotate(root=Coalesce("subject__parent__parent_id", "subject__parent_id", "subject_id"))
        .values("root")
        .annotate(n=Count("resource_id", distinct=True))
        .values_list("root", "n")
    )
    return [
        SubjectCount(slug=subject.slug, label=subject.label, count=counts[subject.pk])
        for subject in Subject.objects.roots().order_by("position", "slug")
        if counts.get(subject.pk)
    ]


def home_showcase() -> Showcase:
    """Recent and most-used resources and the subjects to browse, cached per
    language (labels are read in it) for ``SHOWCASE_SECONDS``: a resource
    published or taken offline shows here within that time."""
    key = f"home-showcase:v1:{get_language()}"
    showcase = cache.get(key)
    if not isinstance(showcase, Showcase):
        showcase = Showcase(
            recent=recent_resources(),
            most_used=most_used_resources(),
            subjects=subjects_with_counts(),
        )
        cache.set(key, showcase, SHOWCASE_SECONDS)
    return showcase


__all__ = ["State"]
