"""Issue 12 item 10: every id and number taken from a request is validated
once (a path converter, form fields that bound it): a number beyond any
row's id, or a date past the calendar's ends, is a 404 or a form error,
never a 500 (SQLite raises OverflowError, PostgreSQL DataError)."""

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter

from commonroom.accounts.roles import MODERATORS
from commonroom.accounts.tests.factories import StaffFactory
from commonroom.core.converters import IdConverter
from commonroom.core.fields import MAX_ID, id_from
from commonroom.messaging.tests.factories import colleague, conversation_with
from commonroom.people.tests.factories import person
from commonroom.resources.models import Resource
from commonroom.resources.tests.factories import ResourceFactory
from commonroom.resources.tests.test_upload_flow import form_data
from commonroom.taxonomy.models import (
    CurriculumGoal,
    EducationLevel,
    Subject,
)

pytestmark = pytest.mark.django_db

HUGE = str(2**64)
NUMBERS = [HUGE, str(MAX_ID + 1), "0", "9" * 40]


def routes(patterns: Any = None, prefix: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every route of the site: its regex-free template and its converters."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        template = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from routes(entry.url_patterns, template)
        elif isinstance(entry, URLPattern):
            yield template, dict(entry.pattern.converters)


def numeric_routes() -> list[tuple[str, dict[str, Any]]]:
    return [
        (template, converters)
        for template, converters in routes()
        if any(isinstance(c, IntConverter | IdConverter) for c in converters.values())
    ]


def url_with(template: str, converters: dict[str, Any], number: str) -> str:
    def value(match: re.Match[str]) -> str:
        converter = converters[match.group(1)]
        return number if isinstance(converter, IntConverter | IdConverter) else "x"

    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", value, template)


@pytest.fixture
def superuser_client() -> Client:
    staff = StaffFactory(is_superuser=True)
    staff.groups.add(Group.objects.get(name=MODERATORS))
    client = Client(raise_request_exception=False)
    client.force_login(staff)
    return client


def test_item10_every_id_route_uses_the_bounded_converter():
    found = numeric_routes()
    assert len(found) >= 50
    assert [t for t, c in found if any(isinstance(v, IntConverter) for v in c.values())] == []


@pytest.mark.parametrize("number", NUMBERS)
def test_item10_every_id_route_answers_404_for_an_id_out_of_range(superuser_client, number):
    answers = {}
    for template, converters in numeric_routes():
        url = url_with(template, converters, number)
        assert "<" not in url, url
        for method in ("get", "post"):
            status = getattr(superuser_client, method)(url).status_code
            if status != 404:
                answers[f"{method.upper()} {url}"] = status
    assert answers == {}


def test_item10_the_largest_id_still_reaches_the_view(superuser_client):
    assert superuser_client.get(f"/messages/{MAX_ID}/").status_code == 404
    assert superuser_client.get(f"/resources/{MAX_ID}/").status_code == 404


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1", 1), (str(MAX_ID), MAX_ID), (f" {MAX_ID} ", MAX_ID), ("0", None), ("-3", None),
     (str(MAX_ID + 1), None), ("²", None), ("١٢", None), ("1.5", None), ("", None)],
)  # fmt: skip
def test_item10_id_from_accepts_only_ids_in_range(text, expected):
    assert id_from(text) == expected


# --- query parameters and form fields ------------------------------------------------------------


@pytest.mark.parametrize("number", [*NUMBERS, "²"])
def test_item10_compose_link_to_an_id_out_of_range_shows_the_empty_form(member_client, number):
    response = member_client.get(f"/messages/new/?to={number}&resource={number}")
    assert response.status_code == 200
    assert response.context["form"]["to"].value() == []


@pytest.mark.parametrize("number", [*NUMBERS, "²"])
def test_item10_compose_to_an_id_out_of_range_is_a_form_error(member_client, number):
    response = member_client.post("/messages/new/", {"to": [number], "body": "Hello"})
    assert response.status_code == 400
    assert response.context["form"].errors["to"] == [
        f"Select a valid choice. {number} is not one of the available choices."
    ]


@pytest.mark.parametrize("number", NUMBERS)
def test_item10_conversation_paged_before_an_id_out_of_range(member, member_client, number):
    conversation = conversation_with(member, colleague())
    response = member_client.get(f"/messages/{conversation.pk}/?before={number}")
    assert response.status_code == 200
    assert len(response.context["thread"].messages) == 1


@pytest.mark.parametrize("field", ["subjects", "levels", "curriculum_goals"])
@pytest.mark.parametrize("number", NUMBERS)
def test_item10_resource_form_refuses_ids_out_of_range(member_client, field, number):
    response = member_client.post("/resources/new/", form_data(**{field: [number]}))
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [
        f"Select a valid choice. {number} is not one of the available choices."
    ]


@pytest.mark.parametrize("number", NUMBERS)
def test_item10_resource_adapted_from_an_id_out_of_range(member_client, number):
    response = member_client.post(
        "/resources/new/", form_data(adapted_from_link=f"/resources/{number}/")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["adapted_from_link"] == [
        "Paste the link of a published resource on this platform."
    ]


@pytest.mark.parametrize("field", ["subjects", "levels", "provinces"])
@pytest.mark.parametrize("number", NUMBERS)
def test_item10_tutor_form_refuses_ids_out_of_range(member_client, field, number):
    data = {
        "offer": "Maths tutoring.",
        "subjects": [Subject.objects.get(slug="mathematics").pk],
        "levels": [EducationLevel.objects.get(slug="primary").pk],
        "provinces": [],
        "availability": "Wednesdays",
        "is_active": "on",
        field: [number],
    }
    person()  # the directory has someone in it
    response = member_client.post("/people/tutors/me/", data)
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [
        f"Select a valid choice. {number} is not one of the available choices."
    ]


@pytest.mark.parametrize("number", NUMBERS)
def test_item10_audit_filter_on_a_resource_number_out_of_range(staff_client, number):
    response = staff_client.get(f"/moderation/audit/?resource={number}")
    assert response.status_code == 200
    errors = response.context["form"].errors["resource"]
    assert errors in (
        [f"Ensure this value is less than or equal to {MAX_ID}."],
        ["Ensure this value is greater than or equal to 1."],
    )


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [("0001-01-01", "9999-12-31", "start"), ("2024-01-01", "9999-12-31", "end"),
     ("1999-12-31", "2024-03-31", "start")],
)  # fmt: skip
def test_item10_transparency_report_over_a_period_out_of_range(staff_client, start, end, field):
    response = staff_client.get(f"/moderation/transparency/?start={start}&end={end}&format=csv")
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [
        "Enter a date between 2000-01-01 and 2999-12-31."
    ]


def test_item10_transparency_report_over_the_widest_period_allowed(staff_client):
    response = staff_client.get("/moderation/transparency/?start=2000-01-01&end=2999-12-31")
    assert response.status_code == 200


def test_item10_curriculum_goals_exist_for_the_form_test():
    # The curriculum-goal case above is only meaningful with goals to choose from.
    assert CurriculumGoal.objects.exists()


# --- ids in query strings and posted lists (the "²" case: isdigit() but not int()) ------------


@pytest.mark.parametrize("number", ["²", HUGE])
def test_item10_claiming_a_review_by_a_number_out_of_range(superuser_client, number):
    response = superuser_client.post("/moderation/", {"claim": number})
    assert response.status_code == 302
    assert response["Location"] == "/moderation/"


@pytest.mark.parametrize("number", ["²", HUGE])
def test_item10_adding_a_resource_out_of_range_to_a_collection(member_client, number):
    assert member_client.get(f"/library/collections/add/?resource={number}").status_code == 404


@pytest.mark.parametrize("number", ["²", HUGE])
def test_item10_removing_a_file_out_of_range_from_a_resource(member, member_client, number):
    resource = ResourceFactory(author=member)
    data = form_data(title=resource.title, remove_files=[number])
    response = member_client.post(f"/resources/{resource.pk}/edit/", data)
    assert response.status_code == 302
    assert Resource.objects.get(pk=resource.pk).title == resource.title
