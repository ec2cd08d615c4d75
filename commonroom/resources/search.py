"""Learning resources as a searchable kind (``search/protocol.py``).

Saves, ratings and classroom uses are not read here: library and social
own them and give them to the index as quality sources of their own
(``library/search.py``, ``social/search.py``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from commonroom.resources.models import FileState, Resource, ResourceFile, resource_url
from commonroom.search.compiled import rows_by_ids
from commonroom.search.protocol import Document, Facet
from commonroom.search.vocabularies import GOAL, LANGUAGE, LEVEL, SUBJECT
from commonroom.taxonomy.languages import lang_attribute
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

# What a result card shows (resources/_search_card.html), read as plain
# values: no model instances, no prefetch (issue 15, item 3).
CARD_FIELDS = (
    "pk",
    "title",
    "kind__label_nl",
    "kind__label_en",
    "language__slug",  # the card's lang attribute (WCAG 3.1.2)
    "language__label_nl",
    "language__label_en",
    "licence__name",
    "author__first_name",
    "author__last_name",
)


@dataclass(frozen=True)
class CardLabel:
    """A vocabulary term's label in both languages, shown in the reader's."""

    slug: str
    label_nl: str
    label_en: str

    @property
    def label(self) -> str:
        return self.label_en if (get_language() or "nl").startswith("en") else self.label_nl


@dataclass(frozen=True)
class CardThumbnail:
    """What ``resource_images.thumbnail_img`` needs of the card's picture."""

    resource_id: int
    pk: int
    thumbnail_small: str


@dataclass(frozen=True)
class ResourceCard:
    """One search result card (``resources/_search_card.html``)."""

    pk: int
    title: str
    kind: CardLabel | None
    language: CardLabel | None
    licence_name: str
    author_name: str
    thumbnail: CardThumbnail | None

    def get_absolute_url(self) -> str:
        return resource_url(self.pk, self.title)

    @property
    def lang_attribute(self) -> str:
        """The card's ``lang`` (``taxonomy.languages``), or empty."""
        return lang_attribute(self.language.slug if self.language is not None else "")


def _first_thumbnail(column: str) -> Subquery:
    """The card's picture: the first active file that has one, in the
    order the resource page shows them."""
    files = (
        ResourceFile.objects.filter(resource_id=OuterRef("pk"), state=FileState.ACTIVE)
        .exclude(thumbnail="")
        .order_by("position", "pk")
        .values(column)[:1]
    )
    return Subquery(files)


def _card_rows(ids: list[int]) -> QuerySet[Resource, tuple[Any, ...]]:
    return (
        Resource.objects.published()
        .filter(pk__in=ids)
        .order_by()
        .annotate(thumb_pk=_first_thumbnail("pk"), thumb_small=_first_thumbnail("thumbnail_small"))
        .values_list(*CARD_FIELDS, "thumb_pk", "thumb_small")
    )


def resource_cards(object_ids: Sequence[int]) -> dict[int, ResourceCard]:
    """The cards of the published ones among these resources, in one read
    whose SQL is written once per process (``search.compiled``)."""
    cards = {}
    for row in rows_by_ids("resource-cards", _card_rows, object_ids):
        pk, title, kind_nl, kind_en, lang, lang_nl, lang_en, licence, first, last, *picture = row
        thumb, small = picture
        cards[pk] = ResourceCard(
            pk=pk,
            title=title,
            kind=CardLabel("", kind_nl, kind_en) if kind_nl is not None else None,
            language=CardLabel(lang, lang_nl, lang_en) if lang is not None else None,
            licence_name=licence or "",
            author_name=f"{first or ''} {last or ''}".strip(),
            thumbnail=CardThumbnail(pk, thumb, small or "") if thumb is not None else None,
        )
    return cards


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
    card_template = "resources/_search_card.html"

    def public(self) -> QuerySet[Resource]:
        return Resource.objects.published()

    def documents(self, object_ids: Sequence[int]) -> list[Document]:
        return [document_of(r) for r in resources_to_index().filter(pk__in=list(object_ids))]

    def cards(self, object_ids: Sequence[int]) -> dict[int, Any]:
        return dict(resource_cards(object_ids))

    def url(self, object_id: int, title: str) -> str:
        return resource_url(object_id, title)

    def found_text(self, n: int) -> str:
        return ngettext("%(n)s resource found", "%(n)s resources found", n) % {"n": n}


SEARCHABLE_KINDS = (ResourceSearch(),)
