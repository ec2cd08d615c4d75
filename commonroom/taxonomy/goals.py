"""Loads curriculum goals from a JSON file (format: ``docs/taxonomy.md``).

The whole file is checked before anything is written: an unknown level,
subject or key competence, a missing field or a repeated code stops the load
with every problem named by its entry, and nothing changes. Loading again
is idempotent: goals are matched by (framework, code) and updated. A goal
that disappeared from a framework in the file is deleted, unless a resource
or another goal still refers to it: then it is kept, marked retired, so the
resources keep their goals and the upload form no longer offers it.

``get_model(name)`` returns a taxonomy model class, so this runs with the
historical models of a data migration too."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

GOALS_FILE = Path(__file__).with_name("data") / "curriculum_goals.json"
DEFAULT_KEY_COMPETENCE_FRAMEWORK = "key-competences-secondary"
MAX_CODE_CHARS = 30


class GoalFileError(ValueError):
    """The file cannot be loaded; ``problems`` names each bad entry."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class GoalLoadSummary:
    created: int = 0
    updated: int = 0
    retired: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class GoalRow:
    where: str  # "framework 2 (slug), goal 5 (code)", for error messages
    framework: str
    code: str
    position: int
    label_nl: str
    label_en: str
    level_id: int | None
    subject_id: int | None
    key_competence: str  # a code in the key-competence framework, or ""


def read_goal_file(path: Path | str = GOALS_FILE) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise GoalFileError([f"{path}: {exc}"]) from exc
    if not isinstance(data, dict) or not isinstance(data.get("frameworks"), list):
        raise GoalFileError([f'{path}: expected an object with a "frameworks" list'])
    return data


def _text(entry: dict[str, Any], key: str, where: str, problems: list[str]) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append(f'{where}: "{key}" is missing or empty')
        return ""
    return " ".join(value.split())


def validate_goal_file(
    get_model: Any, data: dict[str, Any]
) -> tuple[list[dict[str, str]], list[GoalRow]]:
    """The frameworks and goals of ``data`` with slugs resolved to ids, or
    ``GoalFileError`` naming every bad entry."""
    levels = dict(get_model("EducationLevel").objects.values_list("slug", "pk"))
    subjects = dict(get_model("Subject").objects.values_list("slug", "pk"))
    key_framework = data.get("key_competence_framework", DEFAULT_KEY_COMPETENCE_FRAMEWORK)
    problems: list[str] = []
    frameworks: list[dict[str, str]] = []
    rows: list[GoalRow] = []
    for number, entry in enumerate(data["frameworks"], start=1):
        where = f"framework {number}"
        if not isinstance(entry, dict):
            problems.append(f"{where}: expected an object")
            continue
        slug = _text(entry, "slug", where, problems)
        where = f"framework {number} ({slug or '?'})"
        frameworks.append(
            {
                "slug": slug,
                "nl": _text(entry, "nl", where, problems),
                "en": _text(entry, "en", where, problems),
            }
        )
        default_level = entry.get("level", "")
        default_subject = entry.get("subject", "")
        codes: set[str] = set()
        goals = entry.get("goals", [])
        if not isinstance(goals, list):
            problems.append(f'{where}: "goals" must be a list')
            continue
        for position, goal in enumerate(goals):
            at = f"{where}, goal {position + 1}"
            if not isinstance(goal, dict):
                problems.append(f"{at}: expected an object")
                continue
            code = _text(goal, "code", at, problems)
            at = f"{at} ({code or '?'})"
            if code in codes:
                problems.append(f"{at}: the code is used twice in this framework")
            if len(code) > MAX_CODE_CHARS:
                problems.append(f"{at}: the code is longer than {MAX_CODE_CHARS} characters")
            codes.add(code)
            level = goal.get("level", default_level) or ""
            subject = goal.get("subject", default_subject) or ""
            if level and level not in levels:
                problems.append(f'{at}: unknown education level "{level}"')
            if subject and subject not in subjects:
                problems.append(f'{at}: unknown subject "{subject}"')
            rows.append(
                GoalRow(
                    where=at,
                    framework=slug,
                    code=code,
                    position=position,
                    label_nl=_text(goal, "nl", at, problems),
                    label_en=_text(goal, "en", at, problems),
                    level_id=levels.get(level),
                    subject_id=subjects.get(subject),
                    key_competence=str(goal.get("key_competence", "") or ""),
                )
            )
    _check_key_competences(get_model, key_framework, rows, problems)
    if problems:
        raise GoalFileError(problems)
    return frameworks, rows


def _check_key_competences(
    get_model: Any, key_framework: str, rows: list[GoalRow], problems: list[str]
) -> None:
    # The file's key competences when it holds their framework, else those
    # already loaded.
    if any(r.framework == key_framework for r in rows):
        known = {r.code for r in rows if r.framework == key_framework}
    else:
        known = set(
            get_model("CurriculumGoal")
            .objects.filter(framework__slug=key_framework, retired=False)
            .values_list("code", flat=True)
        )
    for row in rows:
        if row.key_competence and row.key_competence not in known:
            problems.append(
                f'{row.where}: unknown key competence "{row.key_competence}" '
                f"(a code in the framework {key_framework})"
            )
        if row.key_competence and row.framework == key_framework:
            problems.append(f"{row.where}: a key competence cannot serve another one")


def load_curriculum_goals(get_model: Any, data: dict[str, Any] | None = None) -> GoalLoadSummary:
    """Create, update and retire goals as ``data`` (default: the shipped
    file) says, in one transaction; frameworks not in ``data`` are left
    alone."""
    data = data if data is not None else read_goal_file()
    frameworks, rows = validate_goal_file(get_model, data)
    key_framework = data.get("key_competence_framework", DEFAULT_KEY_COMPETENCE_FRAMEWORK)
    framework_model = get_model("CurriculumFramework")
    goal_model = get_model("CurriculumGoal")
    summary = GoalLoadSummary()
    with transaction.atomic():
        saved = {}
        # A file with the key competences is the whole set: its order is the
        # frameworks' order. A file with some frameworks keeps the others'
        # order and puts its new ones last.
        whole = any(f["slug"] == key_framework for f in frameworks)
        positions = dict(framework_model.objects.values_list("slug", "position"))
        after = max(positions.values(), default=-1) + 1
        for number, entry in enumerate(frameworks):
            position = number if whole else positions.get(entry["slug"], after + number)
            saved[entry["slug"]], _ = framework_model.objects.update_or_create(
                slug=entry["slug"],
                defaults={"label_nl": entry["nl"], "label_en": entry["en"], "position": position},
            )
        # Key competences first: the other goals point at them.
        key_competences: dict[str, Any] = {}
        for row in sorted(rows, key=lambda r: r.framework != key_framework):
            if row.key_competence and not key_competences:
                key_competences = {
                    goal.code: goal
                    for goal in goal_model.objects.filter(framework__slug=key_framework)
                }
            _, created = goal_model.objects.update_or_create(
                framework=saved[row.framework],
                code=row.code,
                defaults={
                    "label_nl": row.label_nl,
                    "label_en": row.label_en,
                    "position": row.position,
                    "level_id": row.level_id,
                    "subject_id": row.subject_id,
                    "key_competence": key_competences.get(row.key_competence),
                    "retired": False,
                },
            )
            summary.created += int(created)
            summary.updated += int(not created)
        _remove_missing(goal_model, saved, rows, summary)
    return summary


def _remove_missing(
    goal_model: Any, frameworks: dict[str, Any], rows: list[GoalRow], summary: GoalLoadSummary
) -> None:
    wanted = {(r.framework, r.code) for r in rows}
    stale = [
        goal
        for goal in goal_model.objects.filter(framework__in=list(frameworks.values()))
        .select_related("framework")
        .order_by("pk")
        if (goal.framework.slug, goal.code) not in wanted
    ]
    if not stale:
        return
    ids = [goal.pk for goal in stale]
    in_use = set(
        goal_model.objects.filter(pk__in=ids, resource__isnull=False).values_list("pk", flat=True)
    )
    in_use |= set(
        goal_model.objects.filter(pk__in=ids, serving_goals__isnull=False).values_list(
            "pk", flat=True
        )
    )
    for goal in stale:
        name = f"{goal.framework.slug} {goal.code}"
        if goal.pk in in_use:
            if not goal.retired:
                goal_model.objects.filter(pk=goal.pk).update(retired=True)
            summary.retired.append(name)
        else:
            goal.delete()
            summary.deleted.append(name)
