"""Learning resources as a searchable kind (``search/protocol.py``).

Saves, ratings and classroom uses are not read here: library and social
own them and give them to the index as quality sources of their own
(``library/search.py``, ``social/search.py``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from commonroom.resources.models import FileState, Resource, ResourceFile, resource_url
from commonroom.resources.search_card import resource_card_html, resource_cards
from commonroom.search.protocol import Document, Facet
from commonroom.search.selectors import Hit
from commonroom.search.vocabularies import GOAL, LANGUAGE, LEVEL, SUBJECT
from commonroom.taxonomy.models import Licence, ResourceKind

KEY = "resource"
# Bodies and file texts beyond this are not indexed (a 300-page PDF would
# otherwise dominate the index and the ranking).
MAX_BODY_CHARS = 100_000


@dataclass(frozen=True)
class Permission:
    """What a licence allows, as a facet value (not a row of a table)."""

    pk: int
    slug: str
    label: Any


ADAPTATION = Permission(1, "adaptation", _("Allows adaptation"))
COMMERCIAL = Permission(2, "commercial", _("Allows commercial use"))

KIND = Facet(name="kind", title=_("Kind"), terms=lambda: list(ResourceKind.objects.all()))
LICENCE = Facet(name="licence", title=_("Licence"), terms=lambda: list(Licence.objects.all()))
ALLOWS = Facet(
    name="allows",
    title=_("What the licence allows"),
    terms=lambda: [ADAPTATION, COMMERCIAL],
    match_all=True,
    keyed_by_slug=True,
)


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


def document_of(resource: Resource) -> Document:
    """The resource's document, from a resource read by
    ``resources_to_index`` (or given its relations as the benchmark does)."""
    files = getattr(resource, "active_files", [])
    body = "\n".join(t for t in [resource.body, *(f.extracted_text for f in files)] if t)
    licence = resource.licence
    allows = [
        permission.pk
        for permission, allowed in (
            (ADAPTATION, licence and licence.allows_adaptation),
            (COMMERCIAL, licence and licence.allows_commercial),
        )
        if allowed
    ]
    return Document(
        object_id=resource.pk,
        title=resource.title,
        description=resource.description,
        keywords=[str(k) for k in resource.keywords or []],
        body=body[:MAX_BODY_CHARS],
        published_at=resource.published_at,
        facets={
            "subject": [s.pk for s in resource.subjects.all()],
            "level": [level.pk for level in resource.levels.all()],
            "goal": [goal.pk for goal in resource.curriculum_goals.all()],
            "kind": [resource.kind_id] if resource.kind_id else [],
            "language": [resource.language_id] if resource.language_id else [],
            "licence": [resource.licence_id] if resource.licence_id else [],
            "allows": allows,
        },
    )


class ResourceSearch:
    key = KEY
    label = _("Learning resource")
    noun = _("learning resource")
    model = Resource
    facets = (SUBJECT, LEVEL, KIND, LANGUAGE, LICENCE, ALLOWS, GOAL)

    def public(self) -> QuerySet[Resource]:
        return Resource.objects.published()

    def documents(self, object_ids: Sequence[int]) -> list[Document]:
        return [document_of(r) for r in resources_to_index().filter(pk__in=list(object_ids))]

    def cards(self, object_ids: Sequence[int]) -> dict[int, Any]:
        return dict(resource_cards(object_ids))

    def card(self, hit: Hit, position: int) -> SafeString:
        return resource_card_html(hit, position)

    def url(self, object_id: int, title: str) -> str:
        return resource_url(object_id, title)

    def found_text(self, n: int) -> str:
        return ngettext("%(n)s resource found", "%(n)s resources found", n) % {"n": n}


SEARCHABLE_KINDS = (ResourceSearch(),)
