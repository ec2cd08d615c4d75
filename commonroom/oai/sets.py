"""OAI-PMH sets: the subject and level trees of the taxonomy. A term's
setSpec is the slugs from its root down (``subject:science-technology:physics``),
under the facet's own set (``subject``); a record in a set is in each set
above it, as the protocol's hierarchy says."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from commonroom.taxonomy.models import EducationLevel, Subject, TreeTerm
from commonroom.taxonomy.selectors import subtree_ids, tree_order

FACETS: dict[str, tuple[type[TreeTerm], object]] = {
    "subject": (Subject, _("Subjects")),
    "level": (EducationLevel, _("Education levels")),
}


@dataclass(frozen=True)
class SetEntry:
    spec: str
    name: str


@dataclass(frozen=True)
class SetQuery:
    """A set asked for: its facet and the terms whose rows are in it (every
    term of the facet for the facet's own set)."""

    spec: str
    facet: str
    term_ids: tuple[int, ...] | None  # None: any term of the facet


class SetIndex:
    """The setSpecs of every term, read once per response."""

    def __init__(self) -> None:
        self.paths: dict[str, dict[int, tuple[str, ...]]] = {}
        self.names: dict[str, dict[int, str]] = {}
        for facet, (model, _label) in FACETS.items():
            entries = tree_order(model._default_manager.all())
            self.paths[facet] = {
                e.term.pk: tuple(t.slug for t in (*e.ancestors, e.term)) for e in entries
            }
            with override("en"):
                self.names[facet] = {e.term.pk: e.path_label for e in entries}

    def specs_for(self, facet: str, term_ids: Iterable[int]) -> list[str]:
        """The setSpecs of a record with these terms: each term's and those above."""
        specs: set[str] = set()
        paths = self.paths.get(facet, {})
        for pk in term_ids:
            path = paths.get(pk)
            if path is None:
                continue
            specs.add(facet)
            for depth in range(1, len(path) + 1):
                specs.add(":".join((facet, *path[:depth])))
        return sorted(specs)

    def all_sets(self) -> list[SetEntry]:
        found: list[SetEntry] = []
        for facet, (_model, label) in FACETS.items():
            with override("en"):
                found.append(SetEntry(facet, str(label)))
            for pk, path in self.paths[facet].items():
                found.append(SetEntry(":".join((facet, *path)), self.names[facet][pk]))
        return found

    def query(self, spec: str) -> SetQuery | None:
        """The set ``spec`` names, or None when there is no such set."""
        facet, _sep, rest = spec.partition(":")
        if facet not in FACETS:
            return None
        if not rest:
            return SetQuery(spec, facet, None)
        wanted = tuple(rest.split(":"))
        for pk, path in self.paths[facet].items():
            if path == wanted:
                model: type[Model] = FACETS[facet][0]
                term = model._default_manager.get(pk=pk)
                return SetQuery(spec, facet, tuple(subtree_ids(model, term)))
        return None
