"""The curriculum-goal picker of the upload form: goals grouped by framework
(a ``<details>`` each) and, within it, by subject (a ``<fieldset>`` each).
Without JavaScript, the frameworks and subjects that fit the levels and
subjects the author chose (on an edit, or after a failed submit) come first
and open; the rest stay folded."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from commonroom.core.fields import IdModelMultipleChoiceField
from commonroom.taxonomy.models import CurriculumGoal, EducationLevel, Subject

MAX_GOALS = 20


@dataclass
class GoalGroup:
    label: str  # the subject's label; empty for goals of every subject
    relevant: bool
    options: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class FrameworkGroup:
    label: str
    position: int
    groups: dict[int | None, GoalGroup] = field(default_factory=dict)
    levels: set[int | None] = field(default_factory=set)

    @property
    def shows_levels(self) -> bool:
        """Only a framework spanning several levels names each goal's."""
        return len(self.levels) > 1

    @property
    def ordered_groups(self) -> list[GoalGroup]:
        return sorted(self.groups.values(), key=lambda g: not g.relevant)

    @property
    def relevant(self) -> bool:
        return any(g.relevant for g in self.groups.values())

    @property
    def chosen(self) -> int:
        return sum(o["selected"] for g in self.groups.values() for o in g.options)


def related_terms(model: type[Subject] | type[EducationLevel], chosen: Iterable[Any]) -> set[int]:
    """The chosen terms with their ancestors and descendants: a goal for
    "physics" fits a resource for "science and technology" and the other
    way round."""
    ids = {int(pk) for pk in chosen if str(pk).isdigit()}
    if not ids:
        return set()
    parents: dict[int, int | None] = dict(model.objects.values_list("pk", "parent_id"))

    def chain(pk: int) -> list[int]:
        found: list[int] = []
        node: int | None = pk
        while node is not None and node not in found:
            found.append(node)
            node = parents.get(node)
        return found

    related = set()
    for pk in parents:
        path = chain(pk)
        if ids & set(path):
            related.add(pk)  # the term or a descendant of a chosen one
    for pk in ids:
        related.update(chain(pk))  # ancestors
    return related


class GoalPicker(forms.CheckboxSelectMultiple):
    template_name = "taxonomy/widgets/goal_picker.html"
    # Set by the form: ids of the subjects and levels that fit the resource,
    # or None when none are chosen (then nothing is put first).
    relevant_subjects: set[int] | None = None
    relevant_levels: set[int] | None = None

    def fits(self, goal: CurriculumGoal) -> bool:
        subjects, levels = self.relevant_subjects, self.relevant_levels
        if subjects is None and levels is None:
            return False
        return (not subjects or goal.subject_id is None or goal.subject_id in subjects) and (
            not levels or goal.level_id is None or goal.level_id in levels
        )

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        frameworks: dict[int, FrameworkGroup] = {}
        for _group, options, _index in context["widget"]["optgroups"]:
            for option in options:
                goal: CurriculumGoal = option["value"].instance
                framework = frameworks.setdefault(
                    goal.framework_id,
                    FrameworkGroup(label=goal.framework.label, position=goal.framework.position),
                )
                key_competence_framework = goal.subject_id is None and goal.level_id is None
                group = framework.groups.setdefault(
                    goal.subject_id,
                    GoalGroup(
                        label=goal.subject.label if goal.subject else "",
                        relevant=False,
                    ),
                )
                group.relevant |= self.fits(goal) and not key_competence_framework
                framework.levels.add(goal.level_id)
                option["goal"] = goal
                group.options.append(option)
        ordered = sorted(frameworks.values(), key=lambda f: (not f.relevant, f.position))
        context["widget"]["frameworks"] = ordered
        context["widget"]["something_chosen"] = (
            self.relevant_subjects is not None or self.relevant_levels is not None
        )
        return context


class GoalChoiceField(IdModelMultipleChoiceField):
    """Curriculum goals a resource serves: at most ``MAX_GOALS``, none
    retired unless the resource already had it."""

    widget = GoalPicker

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", offered_goals())
        super().__init__(**kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.label}"

    def keep_goals_of(self, resource: Any) -> None:
        """On an edit: the resource's own goals stay valid once retired."""
        through = resource.curriculum_goals.through
        self.queryset = offered_goals(
            also=through.objects.filter(resource_id=resource.pk).values("curriculumgoal_id")
        )

    def fit_to(self, *, subjects: Iterable[Any], levels: Iterable[Any]) -> None:
        subjects, levels = list(subjects), list(levels)
        widget: GoalPicker = self.widget  # type: ignore[assignment]
        widget.relevant_subjects = related_terms(Subject, subjects) if subjects else None
        widget.relevant_levels = related_terms(EducationLevel, levels) if levels else None

    def clean(self, value: Any) -> Any:
        goals = super().clean(value)
        if len(goals) > MAX_GOALS:
            raise ValidationError(
                ngettext(
                    "Choose at most %(n)d curriculum goal.",
                    "Choose at most %(n)d curriculum goals.",
                    MAX_GOALS,
                )
                % {"n": MAX_GOALS},
                code="too_many_goals",
            )
        return goals


def offered_goals(also: Any = ()) -> QuerySet[CurriculumGoal]:
    """Goals the upload form offers, in framework order, with what the
    picker groups them by (one query)."""
    return (
        CurriculumGoal.objects.filter(Q(retired=False) | Q(pk__in=also))
        .select_related("framework", "subject", "level")
        .order_by("framework__position", "framework__slug", "position", "code")
    )


GOAL_HELP = _(
    "Goals for the subjects and levels you chose come first. Each goal serves one of the key "
    "competences."
)
