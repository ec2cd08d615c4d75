"""The searchable kinds and quality sources the apps declare in their
``search.py`` (``protocol.py``), collected once per process."""

from __future__ import annotations

import functools
import re

from django.core.exceptions import ImproperlyConfigured

from commonroom.core.discovery import app_modules
from commonroom.search.protocol import Facet, QualitySource, SearchableKind


@functools.cache
def kinds() -> dict[str, SearchableKind]:
    """Every searchable kind by key, in INSTALLED_APPS order."""
    found: dict[str, SearchableKind] = {}
    for module in app_modules("search"):
        for kind in getattr(module, "SEARCHABLE_KINDS", ()):
            if not re.fullmatch(r"[a-z][a-z0-9_]{0,39}", kind.key):
                raise ImproperlyConfigured(f"A kind's key is a plain word: {kind.key!r}.")
            if kind.key in found:
                raise ImproperlyConfigured(f"Two searchable kinds are called {kind.key!r}.")
            found[kind.key] = kind
    return found


def kind(key: str) -> SearchableKind:
    try:
        return kinds()[key]
    except KeyError:
        raise LookupError(f"No searchable kind {key!r} is registered.") from None


@functools.cache
def kind_codes() -> dict[str, int]:
    """A small number per kind for the in-memory columns (1, 2, …; 0 is a
    document of a kind no longer registered)."""
    return {key: number for number, key in enumerate(kinds(), start=1)}


@functools.cache
def facets() -> tuple[Facet, ...]:
    """Every kind's facets, each once, in the order kinds declare them.
    Kinds share a facet by declaring the same object (``vocabularies.py``)."""
    found: dict[str, Facet] = {}
    for searchable in kinds().values():
        for facet in searchable.facets:
            known = found.setdefault(facet.name, facet)
            if known is not facet:
                raise ImproperlyConfigured(
                    f"Two facets are called {facet.name!r}: share one Facet object."
                )
    return tuple(found.values())


def facet(name: str) -> Facet:
    return next(f for f in facets() if f.name == name)


@functools.cache
def quality_sources(key: str) -> tuple[QualitySource, ...]:
    return tuple(
        source
        for module in app_modules("search")
        for source in getattr(module, "QUALITY_SOURCES", ())
        if source.kind == key
    )
