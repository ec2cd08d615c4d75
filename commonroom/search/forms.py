"""Reading the search page's query string. Unknown facet values and bad
numbers are ignored, never an error."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from django import forms
from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from commonroom.core.fields import SingleLineCharField
from commonroom.search.facets import FacetKey, Filters, all_facets
from commonroom.search.index_snapshot import Snapshot
from commonroom.search.models import AlertFrequency, SavedSearch
from commonroom.search.protocol import Facet
from commonroom.search.query import MAX_QUERY_CHARS
from commonroom.search.selectors import Sort

SORT_CHOICES = [
    (Sort.RELEVANCE, _("Relevance")),
    (Sort.NEWEST, _("Newest")),
    (Sort.SAVED, _("Most saved")),
    (Sort.RATED, _("Best rated")),
]
MAX_PAGE = 1_000_000
MAX_VALUES_PER_FACET = 20


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=4 * MAX_QUERY_CHARS)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)


@dataclass
class Option:
    name: str
    slug: str
    label: str
    count: int
    selected: bool
    depth: int = 0
    children: list[Option] = field(default_factory=list)


@dataclass
class Vocabulary:
    """The facets' terms (one query per vocabulary read from a table)."""

    facets: tuple[Facet, ...]
    terms: dict[str, list[Any]]
    # Per facet, slug -> key, made at the first filter on it.
    _by_slug: dict[str, dict[str, FacetKey]] = field(default_factory=dict, repr=False)
    # Per language, the terms as ``options`` lists them.
    _labelled: dict[str, dict[str, list[_Term]]] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, snapshot: Snapshot) -> Vocabulary:
        """The vocabulary, read once per index version (a taxonomy edit
        touches the index: ``search.apps``)."""
        vocabulary = snapshot.cache.get("vocabulary")
        if vocabulary is None:
            vocabulary = snapshot.cache["vocabulary"] = cls.load()
        return cast(Vocabulary, vocabulary)

    @classmethod
    def load(cls) -> Vocabulary:
        facets = all_facets()
        return cls(facets=facets, terms={f.name: list(f.terms()) for f in facets})

    @staticmethod
    def key(facet: Facet, term: Any) -> FacetKey:
        """How filters and counts name a term."""
        return str(term.slug) if facet.keyed_by_slug else int(term.pk)

    def filters(self, params: QueryDict) -> Filters:
        values = {}
        for facet in self.facets:
            wanted = params.getlist(facet.name)[:MAX_VALUES_PER_FACET]
            if not wanted:
                continue
            by_slug = self._by_slug.get(facet.name)
            if by_slug is None:
                by_slug = self._by_slug[facet.name] = {
                    t.slug: self.key(facet, t) for t in self.terms[facet.name]
                }
            chosen = sorted({by_slug[s] for s in wanted if s in by_slug}, key=_in_order)
            if chosen:
                values[facet.name] = tuple(chosen)
        return Filters(values=values)

    def labels(self) -> dict[tuple[str, str], str]:
        """(facet, slug) -> label, for describing saved filters."""
        return {(name, t.slug): _label(t) for name, terms in self.terms.items() for t in terms}

    def options(
        self, counts: dict[str, dict[Any, int]], filters: Filters
    ) -> dict[str, list[Option]]:
        """Per facet the values to show: those with matches or chosen; tree
        facets as nested options under their parents."""
        shown: dict[str, list[Option]] = {}
        terms = self._terms_in(get_language() or "")
        for facet in self.facets:
            name = facet.name
            chosen = set(filters.chosen(name))
            counted = counts.get(name, {})
            made = {}
            for term in terms[name]:
                count = counted.get(term.key, 0)
                if count or term.key in chosen:
                    made[term.pk] = Option(name, term.slug, term.label, count, term.key in chosen)
            roots = []
            for term in terms[name]:
                option = made.get(term.pk)
                if option is None:
                    continue
                if term.parent in made:
                    made[term.parent].children.append(option)
                else:
                    roots.append(option)
            if facet.fold_children:
                for root in roots:
                    if not (root.selected or chosen_count(root.children)):
                        root.children = []
            shown[name] = roots
        return shown

    def _terms_in(self, language: str) -> dict[str, list[_Term]]:
        """The terms as plain values with their labels in ``language``, made
        once per vocabulary and language: a page lists two hundred of them,
        and a model's ``pk`` and ``label`` cost more than a tuple's."""
        terms = self._labelled.get(language)
        if terms is None:
            terms = self._labelled[language] = {
                facet.name: [
                    _Term(
                        pk=t.pk,
                        key=self.key(facet, t),
                        slug=str(t.slug),
                        parent=getattr(t, "parent_id", None),
                        label=_label(t),
                    )
                    for t in self.terms[facet.name]
                ]
                for facet in self.facets
            }
        return terms


@dataclass(frozen=True, slots=True)
class _Term:
    pk: Any
    key: FacetKey
    slug: str
    parent: Any
    label: str


def chosen_count(options: list[Option]) -> int:
    """How many of these options (and their children) are ticked."""
    return sum(int(o.selected) + chosen_count(o.children) for o in options)


def page_number(params: QueryDict) -> int:
    raw = params.get("page", "1")
    return min(int(raw), MAX_PAGE) if raw.isdigit() and raw.isascii() else 1


def _in_order(key: FacetKey) -> tuple[int, str]:
    """Ids by number, slugs by text (one facet has keys of one type)."""
    return (key, "") if isinstance(key, int) else (0, key)


def _label(term: Any) -> str:
    return str(getattr(term, "label", None) or term.name)


class SaveSearchForm(forms.Form):
    """ "Save this search" on the search page; ``params`` carries the page's
    query string (words, filters, sort)."""

    name = SingleLineCharField(label=_("Name"), max_length=120)
    frequency = forms.ChoiceField(
        label=_("E-mail me new results"),
        choices=AlertFrequency.choices,
        initial=AlertFrequency.DAILY,
    )
    params = forms.CharField(required=False, max_length=8000, widget=forms.HiddenInput)


class SavedSearchForm(forms.ModelForm[SavedSearch]):
    class Meta:
        model = SavedSearch
        fields = ["name", "frequency"]
        labels = {"frequency": _("E-mail me new results")}
        field_classes = {"name": SingleLineCharField}
