"""Reading the search page's query string. Unknown facet values and bad
numbers are ignored, never an error."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from commonroom.core.fields import SingleLineCharField
from commonroom.search.facets import ALLOWS, Filters
from commonroom.search.memory import Snapshot
from commonroom.search.models import AlertFrequency, SavedSearch
from commonroom.search.query import MAX_QUERY_CHARS
from commonroom.search.selectors import Sort
from commonroom.taxonomy.models import (
    CurriculumGoal,
    EducationLevel,
    Language,
    Licence,
    ResourceKind,
    Subject,
)

SORT_CHOICES = [
    (Sort.RELEVANCE, _("Relevance")),
    (Sort.NEWEST, _("Newest")),
    (Sort.SAVED, _("Most saved")),
    (Sort.RATED, _("Best rated")),
]
ALLOWS_LABELS = {"adaptation": _("Allows adaptation"), "commercial": _("Allows commercial use")}
MAX_PAGE = 1_000_000
GOAL_LABEL_CHARS = 90


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


@dataclass(frozen=True)
class GoalTerm:
    """A curriculum goal as a facet value: goals have codes, not slugs, so
    the URL carries the id. A goal is shown under the key competence it
    serves (its parent), which counts and finds the resources of all its
    goals (``index.goals_map``)."""

    goal: CurriculumGoal

    @property
    def pk(self) -> int:
        return self.goal.pk

    @property
    def parent_id(self) -> int | None:
        return self.goal.key_competence_id

    @property
    def slug(self) -> str:
        return str(self.goal.pk)

    @property
    def label(self) -> str:
        # Goals run to a few lines; the resource page has the whole text.
        text = self.goal.label
        if len(text) > GOAL_LABEL_CHARS:
            text = text[: GOAL_LABEL_CHARS - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
        return f"{self.goal.code} {text}"


@dataclass
class Vocabulary:
    """The taxonomy terms the facets show (one query per vocabulary)."""

    terms: dict[str, list[Any]]

    @classmethod
    def of(cls, snapshot: Snapshot) -> Vocabulary:
        """The vocabulary, read once per index version (a taxonomy edit
        touches the index: ``taxonomy/admin.py``)."""
        vocabulary = snapshot.cache.get("vocabulary")
        if vocabulary is None:
            vocabulary = snapshot.cache["vocabulary"] = cls.load()
        return cast(Vocabulary, vocabulary)

    @classmethod
    def load(cls) -> Vocabulary:
        return cls(
            terms={
                "subject": list(Subject.objects.order_by("position", "slug")),
                "level": list(EducationLevel.objects.order_by("position", "slug")),
                "kind": list(ResourceKind.objects.all()),
                "language": list(Language.objects.all()),
                "licence": list(Licence.objects.all()),
                "goal": [
                    GoalTerm(goal)
                    for goal in CurriculumGoal.objects.select_related("framework").order_by(
                        "framework__position", "position", "code"
                    )
                ],
            }
        )

    def filters(self, params: QueryDict) -> Filters:
        values = {}
        for name, terms in self.terms.items():
            by_slug = {t.slug: t.pk for t in terms}
            chosen = sorted({by_slug[s] for s in params.getlist(name)[:20] if s in by_slug})
            if chosen:
                values[name] = tuple(chosen)
        allows = tuple(sorted({a for a in params.getlist("allows")[:5] if a in ALLOWS}))
        return Filters(values=values, allows=allows)

    def labels(self) -> dict[tuple[str, str], str]:
        """(facet, slug) -> label, for describing saved filters."""
        found = {(name, t.slug): _label(t) for name, terms in self.terms.items() for t in terms}
        found.update({("allows", flag): str(label) for flag, label in ALLOWS_LABELS.items()})
        return found

    def options(
        self, counts: dict[str, dict[Any, int]], filters: Filters
    ) -> dict[str, list[Option]]:
        """Per facet the values to show: those with matches or chosen; tree
        facets as nested options under their parents."""
        shown: dict[str, list[Option]] = {}
        for name, terms in self.terms.items():
            chosen = set(filters.chosen(name))
            made = {
                t.pk: Option(name, t.slug, _label(t), counts[name].get(t.pk, 0), t.pk in chosen)
                for t in terms
                if counts[name].get(t.pk) or t.pk in chosen
            }
            roots = []
            for t in terms:
                if t.pk not in made:
                    continue
                parent = getattr(t, "parent_id", None)
                if parent in made:
                    made[parent].children.append(made[t.pk])
                else:
                    roots.append(made[t.pk])
            if name == "goal":
                # A key competence lists its goals once it (or one of them)
                # is chosen: 16 lines instead of a hundred.
                for root in roots:
                    if not (root.selected or chosen_count(root.children)):
                        root.children = []
            shown[name] = roots
        shown["allows"] = [
            Option(
                "allows", flag, str(label), counts["allows"].get(flag, 0), flag in filters.allows
            )
            for flag, label in ALLOWS_LABELS.items()
            if counts["allows"].get(flag) or flag in filters.allows
        ]
        return shown


def chosen_count(options: list[Option]) -> int:
    """How many of these options (and their children) are ticked."""
    return sum(int(o.selected) + chosen_count(o.children) for o in options)


def page_number(params: QueryDict) -> int:
    raw = params.get("page", "1")
    return min(int(raw), MAX_PAGE) if raw.isdigit() and raw.isascii() else 1


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
