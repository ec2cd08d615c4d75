"""Item 8: curriculum goals loaded from data/curriculum_goals.json
(format: docs/taxonomy.md)."""

import copy
import io
import json

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from commonroom.resources.tests.factories import ResourceFactory
from commonroom.taxonomy.goals import GoalFileError, load_curriculum_goals, read_goal_file
from commonroom.taxonomy.models import CurriculumFramework, CurriculumGoal

pytestmark = pytest.mark.django_db


def load(data):
    return load_curriculum_goals(lambda name: apps.get_model("taxonomy", name), data)


def shipped():
    return read_goal_file()


def goal_rows():
    return list(
        CurriculumGoal.objects.order_by("pk").values_list(
            "pk", "framework__slug", "code", "label_nl", "label_en", "position",
            "level__slug", "subject__slug", "key_competence__code", "retired",
        )
    )  # fmt: skip


def test_item8_the_shipped_sample_is_loaded_by_the_migrations():
    assert list(CurriculumFramework.objects.values_list("slug", flat=True)) == [
        "key-competences-secondary",
        "minimum-goals-primary",
        "attainment-targets-secondary-1a",
        "attainment-targets-secondary-2-transition",
    ]
    assert CurriculumGoal.objects.count() == 96
    assert CurriculumGoal.objects.filter(framework__slug="key-competences-secondary").count() == 16
    assert CurriculumGoal.objects.filter(key_competence__isnull=False).count() == 80
    goal = CurriculumGoal.objects.get(framework__slug="minimum-goals-primary", code="WI 1.3")
    assert (goal.level.slug, goal.subject.slug, goal.key_competence.code) == (  # type: ignore[union-attr]
        "primary-2", "mathematics", "SC06",
    )  # fmt: skip
    assert goal.label_nl.startswith("De leerlingen verwoorden en gebruiken breuken")
    assert goal.label_en.startswith("Pupils describe and use fractions")
    secondary = CurriculumGoal.objects.get(code="1G 6.2")
    assert (secondary.level.slug, secondary.subject.slug) == ("secondary-1-a", "mathematics")  # type: ignore[union-attr]
    key = CurriculumGoal.objects.get(code="SC06")
    assert (key.level, key.subject, key.key_competence) == (None, None, None)
    assert key.serving_goals.count() == 28


def test_item8_every_goal_code_of_the_sample_is_unique_and_follows_its_scheme():
    codes = list(CurriculumGoal.objects.values_list("framework__slug", "code"))
    assert len({code for _, code in codes}) == len(codes)
    prefixes = {
        "key-competences-secondary": ("SC",),
        "minimum-goals-primary": ("NL ", "FR ", "WI ", "WT ", "MM "),
        "attainment-targets-secondary-1a": ("1G ",),
        "attainment-targets-secondary-2-transition": ("2G ",),
    }
    assert [c for f, c in codes if not c.startswith(prefixes[f])] == []
    # A secondary goal's code names the key competence it serves.
    for goal in CurriculumGoal.objects.filter(code__regex=r"^[12]G ").select_related(
        "key_competence"
    ):
        number = goal.code.split()[1].split(".")[0]
        assert goal.key_competence.code == f"SC{int(number):02d}", goal.code  # type: ignore[union-attr]


def test_item8_loading_the_same_file_again_changes_nothing():
    before = goal_rows()
    summary = load(shipped())
    assert (summary.created, summary.updated, summary.retired, summary.deleted) == (0, 96, [], [])
    assert goal_rows() == before


def test_item8_a_reload_updates_goals_in_place_by_framework_and_code():
    goal = CurriculumGoal.objects.get(code="WI 1.3")
    data = shipped()
    entry = data["frameworks"][1]["goals"][15]
    assert entry["code"] == "WI 1.3"
    entry.update(nl="Breuken als deel van een geheel.", subject="science-technology")
    entry["key_competence"] = "SC13"
    load(data)
    goal.refresh_from_db()
    assert (goal.label_nl, goal.subject.slug, goal.key_competence.code) == (  # type: ignore[union-attr]
        "Breuken als deel van een geheel.", "science-technology", "SC13",
    )  # fmt: skip


def test_item8_an_unknown_slug_names_its_entry_and_nothing_is_loaded():
    before = goal_rows()
    data = shipped()
    data["frameworks"][0]["goals"][0]["nl"] = "Changed before the bad entry"
    data["frameworks"][1]["goals"].append(
        {"code": "WI 9.9", "subject": "wiskunde", "level": "primary-7", "key_competence": "SC99",
         "nl": "Nieuw doel", "en": "New goal"}
    )  # fmt: skip
    data["frameworks"][2]["goals"][0]["en"] = " "
    with pytest.raises(GoalFileError) as raised:
        load(data)
    new_goal = "framework 2 (minimum-goals-primary), goal 39 (WI 9.9)"
    assert raised.value.problems == [
        f'{new_goal}: unknown education level "primary-7"',
        f'{new_goal}: unknown subject "wiskunde"',
        'framework 3 (attainment-targets-secondary-1a), goal 1 (1G 2.1): "en" is missing or empty',
        f'{new_goal}: unknown key competence "SC99" '
        "(a code in the framework key-competences-secondary)",
    ]
    assert goal_rows() == before


def test_item8_a_repeated_code_is_refused():
    data = shipped()
    data["frameworks"][3]["goals"].append(copy.deepcopy(data["frameworks"][3]["goals"][0]))
    with pytest.raises(GoalFileError) as raised:
        load(data)
    assert raised.value.problems == [
        "framework 4 (attainment-targets-secondary-2-transition), goal 13 (2G 2.1): "
        "the code is used twice in this framework"
    ]


def test_item8_a_removed_goal_is_retired_while_a_resource_uses_it_and_deleted_otherwise():
    used = CurriculumGoal.objects.get(code="2G 6.3")
    ResourceFactory().curriculum_goals.add(used)
    data = shipped()
    data["frameworks"][3]["goals"] = [
        g for g in data["frameworks"][3]["goals"] if g["code"] not in {"2G 6.3", "2G 6.4"}
    ]
    summary = load(data)
    assert summary.retired == ["attainment-targets-secondary-2-transition 2G 6.3"]
    assert summary.deleted == ["attainment-targets-secondary-2-transition 2G 6.4"]
    used.refresh_from_db()
    assert used.retired is True
    assert not CurriculumGoal.objects.filter(code="2G 6.4").exists()
    # Back in the file, it is offered again.
    load(shipped())
    used.refresh_from_db()
    assert used.retired is False
    assert CurriculumGoal.objects.filter(code="2G 6.4").count() == 1


def test_item8_a_file_with_one_framework_leaves_the_others_alone():
    data = shipped()
    one = {"frameworks": [data["frameworks"][3]]}
    one["frameworks"][0]["goals"] = one["frameworks"][0]["goals"][:2]
    summary = load(one)
    assert (summary.created, summary.updated, len(summary.deleted)) == (0, 2, 10)
    assert CurriculumGoal.objects.count() == 86


def test_item8_the_command_loads_another_file_and_reports(tmp_path):
    data = shipped()
    data["frameworks"].append(
        {"slug": "extra", "nl": "Extra", "en": "Extra", "level": "adult",
         "goals": [{"code": "X 1", "subject": "dutch", "key_competence": "SC02",
                    "nl": "Lang " * 200, "en": "Long " * 200}]}
    )  # fmt: skip
    path = tmp_path / "goals.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    out = io.StringIO()
    call_command("taxonomy_load", "--goals", str(path), stdout=out)
    assert "Curriculum goals: 1 created, 96 updated, 0 retired (still used), 0 deleted." in (
        out.getvalue()
    )
    extra = CurriculumGoal.objects.get(framework__slug="extra")
    assert len(extra.label_nl) == 999  # texts are not cut
    assert extra.level.slug == "adult"  # type: ignore[union-attr]


def test_item8_the_command_refuses_a_bad_file_and_loads_nothing(tmp_path):
    before = goal_rows()
    data = shipped()
    data["frameworks"][2]["goals"][4]["subject"] = "nederlands"
    path = tmp_path / "goals.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("taxonomy_load", "--goals", str(path), stdout=io.StringIO())
    assert str(raised.value) == (
        "Nothing was loaded: the curriculum goal file has errors.\n"
        "framework 3 (attainment-targets-secondary-1a), goal 5 (1G 2.5): "
        'unknown subject "nederlands"'
    )
    assert goal_rows() == before
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="Expecting property name"):
        call_command("taxonomy_load", "--goals", str(path), stdout=io.StringIO())


def test_item8_the_admin_lists_goals_with_level_subject_and_key_competence(admin_client):
    page = admin_client.get("/admin/taxonomy/curriculumgoal/", {"q": "WI 1.3"})
    assert page.status_code == 200
    assert page.context["cl"].result_count == 1
    row = page.content.decode().split('class="field-code"')[1]
    for column in ("field-level", "field-subject", "field-key_competence", "field-retired"):
        assert f'class="{column}' in row
    assert "SC06" in row
