"""A learning resource's search result card: what it shows, read for a
page of results in one query, and its HTML.

A results page shows twenty cards; through the template engine they took
about 0.3 ms each, 6–7 ms of a 25 ms request (20k corpus, bench/README.md). The card is written in
Python instead (``core.html_parts``), in the same HTML the template gave."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

from commonroom.core.html_parts import attribute, html_text, joined
from commonroom.resources.models import FileState, Resource, ResourceFile, resource_url
from commonroom.resources.templatetags.resource_images import thumbnail_img
from commonroom.search.compiled import rows_by_ids
from commonroom.taxonomy.languages import label_in, lang_attribute

if TYPE_CHECKING:
    from commonroom.search.selectors import Hit


# What a result card shows, read as plain values: no model instances, no
# prefetch (issue 15, item 3).
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

    def label_in(self, page_language: str) -> str:
        return label_in(self.label_nl, self.label_en, page_language)


@dataclass(frozen=True)
class CardThumbnail:
    """What ``resource_images.thumbnail_img`` needs of the card's picture."""

    resource_id: int
    pk: int
    thumbnail_small: str


@dataclass(frozen=True)
class ResourceCard:
    """What one search result card shows (``resource_card_html``)."""

    pk: int
    title: str
    kind: CardLabel | None
    language: CardLabel | None
    licence_name: str
    author_name: str
    thumbnail: CardThumbnail | None

    def get_absolute_url(self) -> str:
        return resource_url(self.pk, self.title)


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


def resource_card_html(hit: Hit, position: int) -> SafeString:
    """The card of ``hit`` (its ``object`` a ``ResourceCard``), the
    ``position``-th on its page."""
    card: ResourceCard = hit.object
    page_language = get_language() or "nl"
    kind = html_text(card.kind.label_in(page_language)) if card.kind is not None else ""
    language = card.language
    lang = attribute("lang", lang_attribute(language.slug, page_language) if language else "")
    if card.thumbnail is not None:
        picture = str(thumbnail_img(card.thumbnail, position))
    else:
        picture = f'<span class="resource-card-kind" aria-hidden="true">{kind}</span>'
    byline = gettext("By %(name)s") % {"name": html_text(card.author_name)}
    if card.licence_name:
        byline += f" · {html_text(card.licence_name)}"
    return joined(
        [
            '\n<li class="resource-card">\n  ',
            picture,
            f'\n  <div class="resource-card-body">\n    <p class="eyebrow">{kind} · ',
            html_text(language.label_in(page_language)) if language is not None else "",
            f'</p>\n    <h2{lang}><a href="{html_text(card.get_absolute_url())}">',
            html_text(hit.title),
            f'</a></h2>\n    <p class="muted">{byline}</p>\n    <p class="search-snippet"{lang}>',
            html_text(hit.snippet),
            "</p>\n  </div>\n</li>\n\n",
        ]
    )
