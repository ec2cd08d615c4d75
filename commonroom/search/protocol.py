"""What a searchable kind of content provides to the search index.

Search knows no content app. An app whose objects can be found says so in
its own ``<app>/search.py`` (found by ``core.discovery.app_modules``):

- ``SEARCHABLE_KINDS``: one ``SearchableKind`` per kind of object it owns
  (its documents, which objects are public, its result cards, its facets);
- ``QUALITY_SOURCES``: signals it owns about another app's kind (saves,
  ratings, "used in class"), so the kind's own app need not import it.

The engines, the in-memory columns, facet counting and ranking work on
documents and facet values only (``registry.py`` collects the adapters).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from django.db.models import Model, QuerySet
from django.utils.safestring import SafeString
from django_stubs_ext import StrOrPromise

if TYPE_CHECKING:
    from commonroom.search.selectors import Hit

# The quality signals ranking and the "most saved" / "best rated" sorts use
# (``ranking.py``), with the value a document has when nobody gave one.
QUALITY_DEFAULTS: dict[str, float | int | None] = {
    "saves": 0,
    "rating_average": None,
    "rating_count": 0,
    "used_in_class": 0,
}
QualityValues = Mapping[str, float | int | None]


@dataclass(frozen=True)
class Facet:
    """A facet of the search page: a vocabulary whose values documents
    carry, counted over every search and used as a filter.

    ``terms()`` gives the vocabulary in display order: objects with ``pk``,
    ``slug``, ``label`` (or ``name``) and, in a tree, ``parent_id``.
    ``ancestors()`` (trees) maps each value to itself and its ancestors: a
    document is indexed under all of them, so a parent counts and finds its
    subtree. Chosen values are alternatives, unless ``match_all`` (a
    document must carry each, as licence permissions). ``keyed_by_slug``:
    filters and counts name values by slug instead of id (values that are
    not rows of a table). ``fold_children``: a parent lists its children
    only once it, or one of them, is chosen."""

    name: str
    title: StrOrPromise
    terms: Callable[[], Sequence[Any]]
    ancestors: Callable[[], Mapping[int, Sequence[int]]] | None = None
    match_all: bool = False
    keyed_by_slug: bool = False
    fold_children: bool = False


@dataclass(frozen=True)
class Document:
    """One public object as the index holds it. ``facets`` maps a facet's
    name to the ids of the values assigned (ancestors are added by the
    index). Quality signals come from ``QUALITY_SOURCES`` (the kind's own
    app declares one too when it owns some)."""

    object_id: int
    title: str
    description: str = ""
    keywords: Sequence[str] = ()
    body: str = ""
    published_at: datetime | None = None
    facets: Mapping[str, Sequence[int]] = field(default_factory=dict)


class SearchableKind(Protocol):
    """A kind of content the index holds (``<app>/search.py``)."""

    # Stored with each document; also the value of the page's kind filter.
    key: str
    # The kind filter's option ("Learning resource") and the word beside a
    # suggestion while typing ("learning resource").
    label: StrOrPromise
    noun: StrOrPromise
    model: type[Model]
    # The facets its documents carry, in the order the page shows them.
    facets: Sequence[Facet]

    def public(self) -> QuerySet[Any]:
        """The objects anyone may find (the index holds only these)."""
        ...

    def documents(self, object_ids: Sequence[int]) -> list[Document]:
        """The documents of the public objects among these ids, in fixed
        queries whatever their number."""
        ...

    def cards(self, object_ids: Sequence[int]) -> dict[int, Any]:
        """What the result cards of these objects show, by id (public ones
        only: one taken down since the count is left out). Every search
        pays for it: read plain values in one query whose SQL is written
        once (``compiled.rows_by_ids``), not model instances."""
        ...

    def card(self, hit: Hit, position: int) -> SafeString:
        """One result card, an ``<li>``: ``hit.object`` is what ``cards``
        gave, ``hit.title`` and ``hit.snippet`` are marked HTML, and
        ``position`` counts the page's cards from 1 (the first few load their
        picture at once). A template does (``cards.card_from_template``);
        a kind found on most pages may write it in Python instead."""
        ...

    def url(self, object_id: int, title: str) -> str:
        """The object's page, without reading it."""
        ...

    def found_text(self, n: int) -> str:
        """ "3 resources found": the count over a search of this kind only."""
        ...


class QualitySource(Protocol):
    """Signals one app owns about the objects of a kind (``kind``): a
    mapping of object id to some of ``QUALITY_DEFAULTS``' names."""

    kind: str

    def quality(self, object_ids: Sequence[int]) -> Mapping[int, QualityValues]: ...
