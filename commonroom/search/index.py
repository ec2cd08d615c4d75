"""How a resource becomes a search document (fields only, no writes)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Avg, Count, Prefetch, QuerySet

from commonroom.library.models import SavedItem
from commonroom.resources.models import FileState, Resource, ResourceFile
from commonroom.search.models import Facet, ObjectType, SearchDocument, SearchFacetValue
from commonroom.search.stemming import stemmed_text
from commonroom.social.models import ClassroomUse, Rating
from commonroom.taxonomy.models import EducationLevel, Subject

# Bodies and file texts beyond this are not indexed (a 300-page PDF would
# otherwise dominate the index and the ranking).
MAX_BODY_CHARS = 100_000


def resources_to_index() -> QuerySet[Resource]:
    """Public resources with what their documents need, in fixed queries."""
    return (
        Resource.objects.published()
        .select_related("licence")
        .prefetch_related(
            "subjects",
            "levels",
            "curriculum_goals",
            Prefetch(
                "files",
                queryset=ResourceFile.objects.filter(state=FileState.ACTIVE).only(
                    "resource_id", "extracted_text"
                ),
                to_attr="active_files",
            ),
        )
        .order_by("pk")
    )


def ancestors_map(model: type[Subject] | type[EducationLevel]) -> dict[int, list[int]]:
    """Each term's id with its ancestors' ids (the tree is small: one query)."""
    parents = dict(model.objects.values_list("pk", "parent_id"))
    result: dict[int, list[int]] = {}
    for pk in parents:
        chain: list[int] = []
        seen: set[int] = set()
        node: int | None = pk
        while node is not None and node not in seen:
            seen.add(node)
            chain.append(node)
            node = parents.get(node)
        result[pk] = chain
    return result


QualityRow = tuple[int, float | None, int, int]


def quality(resource_ids: Iterable[int]) -> dict[int, QualityRow]:
    """Saves, rating average, rating count and "used in class" count per
    resource."""
    ids = list(resource_ids)
    saves = dict(
        SavedItem.objects.filter(resource_id__in=ids)
        .values("resource_id")
        .annotate(n=Count("pk"))
        .values_list("resource_id", "n")
    )
    ratings = {
        row["resource_id"]: (row["avg"], row["n"])
        for row in Rating.objects.filter(resource_id__in=ids)
        .values("resource_id")
        .annotate(avg=Avg("stars"), n=Count("pk"))
    }
    used = dict(
        ClassroomUse.objects.filter(resource_id__in=ids)
        .values("resource_id")
        .annotate(n=Count("pk"))
        .values_list("resource_id", "n")
    )
    return {pk: (saves.get(pk, 0), *ratings.get(pk, (None, 0)), used.get(pk, 0)) for pk in ids}


def document_for(resource: Resource, *, quality_row: QualityRow) -> SearchDocument:
    keywords = " ".join(str(k) for k in resource.keywords or [])
    files = getattr(resource, "active_files", [])
    body = "\n".join(t for t in [resource.body, *(f.extracted_text for f in files)] if t)
    body = body[:MAX_BODY_CHARS]
    licence = resource.licence
    saves, rating_average, rating_count, used_in_class = quality_row
    return SearchDocument(
        object_type=ObjectType.RESOURCE,
        object_id=resource.pk,
        title=resource.title,
        keywords=keywords,
        description=resource.description,
        body=body,
        title_terms=stemmed_text(resource.title),
        keywords_terms=stemmed_text(keywords),
        description_terms=stemmed_text(resource.description),
        body_terms=stemmed_text(body),
        language_id=resource.language_id,
        kind_id=resource.kind_id,
        licence_id=resource.licence_id,
        allows_adaptation=bool(licence and licence.allows_adaptation),
        allows_commercial=bool(licence and licence.allows_commercial),
        subject_ids=sorted(s.pk for s in resource.subjects.all()),
        level_ids=sorted(level.pk for level in resource.levels.all()),
        goal_ids=sorted(goal.pk for goal in resource.curriculum_goals.all()),
        published_at=resource.published_at,
        saves=saves,
        rating_average=rating_average,
        rating_count=rating_count,
        used_in_class=used_in_class,
    )


def goals_map(resources: Iterable[Resource]) -> dict[int, list[int]]:
    """Each goal of these resources with the key competence it serves, read
    from their (prefetched) goals: a key competence then counts and finds
    the resources of every goal serving it."""
    return {
        goal.pk: [goal.pk, goal.key_competence_id] if goal.key_competence_id else [goal.pk]
        for resource in resources
        for goal in resource.curriculum_goals.all()
    }


def facet_values_for(
    document: SearchDocument,
    *,
    subject_tree: dict[int, list[int]],
    level_tree: dict[int, list[int]],
    goal_tree: dict[int, list[int]] | None = None,
) -> list[SearchFacetValue]:
    rows = []
    for facet, ids, tree in (
        (Facet.SUBJECT, document.subject_ids, subject_tree),
        (Facet.LEVEL, document.level_ids, level_tree),
    ):
        values = {a for pk in ids for a in tree.get(pk, [pk])}
        rows += [SearchFacetValue(facet=facet, value=v, document=document) for v in sorted(values)]
    goals = {a for pk in document.goal_ids for a in (goal_tree or {}).get(pk, [pk])}
    rows += [
        SearchFacetValue(facet=Facet.GOAL, value=pk, document=document) for pk in sorted(goals)
    ]
    return rows
