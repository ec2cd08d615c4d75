"""Item 8: the upload form's curriculum-goal picker (``goal_picker.py``)."""

import re

import pytest

from commonroom.resources.models import Resource
from commonroom.resources.tests.factories import ResourceFactory
from commonroom.resources.tests.test_upload_flow import form_data
from commonroom.taxonomy.models import CurriculumGoal, EducationLevel, Subject

pytestmark = pytest.mark.django_db


def goal(code: str) -> CurriculumGoal:
    return CurriculumGoal.objects.get(code=code)


def summaries(html: str) -> list[tuple[bool, str]]:
    """(open, framework name) of each framework section, in page order."""
    return [
        (bool(opened), re.sub(r"<[^>]+>", "", label).strip())
        for opened, label in re.findall(
            r'<details class="goal-framework"( open)?>\s*<summary>(.*?)</summary>', html, re.S
        )
    ]


def legends(html: str, framework: str) -> list[str]:
    start = html.index(f"<summary>{framework}")
    section = html[start : html.index("</details>", start)]
    return [re.sub(r"<[^>]+>", "", legend).strip() for legend in re.findall(
        r"<legend>(.*?)</legend>", section, re.S
    )]  # fmt: skip


def test_item8_an_upload_stores_its_goals(member_client):
    chosen = [goal("1G 6.7").pk, goal("SC06").pk]
    response = member_client.post(
        "/resources/new/", form_data(body="Pupils label a leaf.", curriculum_goals=chosen)
    )
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert sorted(resource.curriculum_goals.values_list("code", flat=True)) == ["1G 6.7", "SC06"]


def test_item8_the_picker_groups_goals_by_framework_then_subject_all_folded(member_client):
    html = member_client.get("/resources/new/").content.decode()
    assert summaries(html) == [
        (False, "Key competences"),
        (False, "Minimum goals, primary education (sample)"),
        (False, "Attainment targets, first stage A stream (sample)"),
        (False, "Attainment targets, second stage, transition to higher education (sample)"),
    ]
    assert legends(html, "Minimum goals, primary education") == [
        "Dutch", "French", "Mathematics", "Science and technology", "Biology", "Physics",
        "Technology", "Computer science", "History", "Geography", "Citizenship", "Economics",
    ]  # fmt: skip
    fractions = goal("WI 1.3")
    assert (
        f'<input type="checkbox" name="curriculum_goals" value="{fractions.pk}" '
        f'id="id_curriculum_goals_{fractions.position + 16}">'
    ) in html
    # A primary goal names its stage (the framework spans three); a
    # first-stage goal does not (its framework is one level).
    assert (
        '<span class="goal-code">WI 1.3</span> Pupils describe and use fractions as part of a '
        'whole and as part of a quantity. <span class="muted">(Second stage (years 3-4))</span>'
    ) in html
    assert (
        '<span class="goal-code">1G 6.2</span> Pupils solve first-degree equations in one '
        "unknown and use them in word problems.</label>"
    ) in html


def test_item8_goals_fitting_the_chosen_levels_and_subjects_come_first_and_open(member_client):
    data = form_data(
        title="",  # a failed submit shows the form again with the choices made
        subjects=[Subject.objects.get(slug="physics").pk],
        levels=[EducationLevel.objects.get(slug="secondary-2").pk],
        curriculum_goals=[goal("SC13").pk],
    )
    response = member_client.post("/resources/new/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert summaries(html) == [
        (True, "Attainment targets, second stage, transition to higher education (sample) "
               "fits your choice"),
        (True, "Key competences (1 chosen)"),
        (False, "Minimum goals, primary education (sample)"),
        (False, "Attainment targets, first stage A stream (sample)"),
    ]  # fmt: skip
    assert legends(html, "Attainment targets, second stage")[0] == "Physics fits your choice"
    assert f'value="{goal("SC13").pk}" id="id_curriculum_goals_12" checked>' in html


def test_item8_a_retired_goal_is_refused_on_upload_and_kept_on_edit(member, member_client):
    retired = goal("2G 6.3")
    resource = ResourceFactory(author=member)
    resource.curriculum_goals.add(retired)
    CurriculumGoal.objects.filter(pk=retired.pk).update(retired=True)
    response = member_client.post(
        "/resources/new/", form_data(body="Text.", curriculum_goals=[retired.pk])
    )
    assert response.status_code == 400
    assert response.context["form"].errors["curriculum_goals"] == [
        f"Select a valid choice. {retired.pk} is not one of the available choices."
    ]
    edit = member_client.get(f"/resources/{resource.pk}/edit/")
    form = edit.context["form"]
    assert form["curriculum_goals"].value() == [retired.pk]
    assert list(form.fields["curriculum_goals"].queryset.filter(retired=True)) == [retired]
    assert f'value="{retired.pk}"' in edit.content.decode()


def test_item8_at_most_twenty_goals(member_client):
    many = list(CurriculumGoal.objects.values_list("pk", flat=True)[:21])
    response = member_client.post("/resources/new/", form_data(body="Text.", curriculum_goals=many))
    assert response.status_code == 400
    assert response.context["form"].errors["curriculum_goals"] == [
        "Choose at most 20 curriculum goals."
    ]
