"""What a content kind declares to be harvested over OAI-PMH (issue 18).

A content app publishes records by providing ``<app>/harvest.py`` with
``HARVESTABLE``: a list of objects of this shape, found by
``core.discovery.app_modules("harvest")``. The oai app imports no content
app; it asks each kind for its rows, datestamps, sets and metadata.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class LangString:
    """One text in one language (LOM's langString; ``xml:lang`` in DC)."""

    text: str
    language: str = ""


@dataclass(frozen=True)
class Taxon:
    """One term of a tree vocabulary with the terms above it (root first)."""

    slug: str
    labels: tuple[LangString, ...]


@dataclass(frozen=True)
class Classification:
    """A LOM classification: its LOMv1.0 purpose and one taxon path per term."""

    purpose: str  # "discipline", "educational level"
    source: str  # the vocabulary's name
    paths: tuple[tuple[Taxon, ...], ...]


@dataclass(frozen=True)
class Metadata:
    """One record's metadata, rendered as oai_dc and, when ``lom`` is set on
    the kind, as IEEE LOM. Every text is already in the record's words."""

    title: LangString
    url: str
    description: LangString | None = None
    authors: tuple[str, ...] = ()
    keywords: tuple[LangString, ...] = ()
    language: str = ""  # an ISO 639 code, "" when unknown or several
    subjects: tuple[LangString, ...] = ()  # DC subjects: subject and level labels
    dc_type: tuple[str, ...] = ()
    date: datetime | None = None
    licence_name: str = ""
    licence_url: str = ""
    # The attribution line (§3.3): title, author, licence, source database, producer.
    attribution: str = ""
    # LOM only.
    learning_resource_types: tuple[str, ...] = ()  # LOMv1.0 values
    age_range: str = ""
    mime_type: str = "text/html"
    classifications: tuple[Classification, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)


class HarvestKind(Protocol):
    """A content kind published over OAI-PMH."""

    # The record identifier's kind part: oai:<repository>:<name>/<pk>.
    name: str
    # Its rows; the oai app connects its tombstone keeping to this model.
    model: type[Model]
    # Whether ``rows()`` keeps rows that left public view (then reported as
    # deleted from their state); otherwise a tombstone is written when a row
    # stops being public or is deleted.
    keeps_hidden_rows: bool
    # The metadata prefixes it can be disseminated in ("oai_dc", "lom").
    formats: frozenset[str]
    # The field that changes whenever the record's metadata changes.
    datestamp_field: str
    # Set facet ("subject", "level") -> the lookup of its taxonomy terms.
    set_lookups: Mapping[str, str]

    def rows(self) -> QuerySet[Any]:
        """Every row reported: public ones, and hidden ones if kept."""
        ...

    def prefetch(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        """``rows`` with what ``metadata`` reads fetched ahead."""
        ...

    def is_public(self, obj: Any) -> bool:
        """Whether the row is in public view now (else: a deleted record)."""
        ...

    def was_public(self, obj: Any) -> bool:
        """Whether the row was ever public (a harvester may have it)."""
        ...

    def term_ids(self, obj: Any) -> Mapping[str, Sequence[int]]:
        """Set facet -> the ids of its taxonomy terms on this row."""
        ...

    def metadata(self, obj: Any, *, site_url: str) -> Metadata:
        """The record's metadata; ``site_url`` is the site's absolute address."""
        ...


def datestamp_of(kind: HarvestKind, obj: Any) -> datetime:
    value: datetime = getattr(obj, kind.datestamp_field)
    return value
