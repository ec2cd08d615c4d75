"""Facets over the shared vocabularies (``taxonomy``), for any kind to
declare: kinds that carry subjects share one subject facet, so its counts
and filter cover all of them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from commonroom.search.protocol import Facet
from commonroom.taxonomy.models import CurriculumGoal, EducationLevel, Language, Subject

GOAL_LABEL_CHARS = 90


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


def goal_ancestors() -> dict[int, list[int]]:
    """Each goal with the key competence it serves: a key competence then
    counts and finds the documents of every goal serving it."""
    return {
        pk: [pk, parent] if parent else [pk]
        for pk, parent in CurriculumGoal.objects.values_list("pk", "key_competence_id")
    }


@dataclass(frozen=True)
class GoalTerm:
    """A curriculum goal as a facet value: goals have codes, not slugs, so
    the URL carries the id. A goal is shown under the key competence it
    serves (its parent)."""

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
        # Goals run to a few lines; the object's page has the whole text.
        text = self.goal.label
        if len(text) > GOAL_LABEL_CHARS:
            text = text[: GOAL_LABEL_CHARS - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
        return f"{self.goal.code} {text}"


def _goals() -> list[Any]:
    return [
        GoalTerm(goal)
        for goal in CurriculumGoal.objects.select_related("framework").order_by(
            "framework__position", "position", "code"
        )
    ]


SUBJECT = Facet(
    name="subject",
    title=_("Subject"),
    terms=lambda: list(Subject.objects.order_by("position", "slug")),
    ancestors=lambda: ancestors_map(Subject),
)
LEVEL = Facet(
    name="level",
    title=_("Education level"),
    terms=lambda: list(EducationLevel.objects.order_by("position", "slug")),
    ancestors=lambda: ancestors_map(EducationLevel),
)
LANGUAGE = Facet(name="language", title=_("Language"), terms=lambda: list(Language.objects.all()))
# A key competence lists its goals once it (or one of them) is chosen: 16
# lines instead of a hundred.
GOAL = Facet(
    name="goal",
    title=_("Curriculum goal"),
    terms=_goals,
    ancestors=goal_ancestors,
    fold_children=True,
)
