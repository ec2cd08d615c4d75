"""Issue 12 item 11 (first half): one-line fields refuse control characters.

A line break in a contact subject or a resource title used to be accepted,
and the mail built from it failed in the worker. The form fields refuse it
with a clear message, and the models' clean() refuses it too, so a service
(which calls full_clean) cannot store it either."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from commonroom.accounts.models import Member
from commonroom.accounts.tests.test_profile import PROFILE, profile_data
from commonroom.core.fields import SingleLineCharField, validate_single_line
from commonroom.legal.models import ContactMessage
from commonroom.legal.services import contact_message_send
from commonroom.library.models import Collection
from commonroom.library.services import collection_create
from commonroom.people.models import TutorListing
from commonroom.resources.forms import ResourceCreateForm
from commonroom.resources.models import Resource
from commonroom.resources.services import resource_create
from commonroom.resources.tests.test_upload_flow import form_data
from commonroom.taxonomy.models import EducationLevel, Subject

LINE_BREAK = "Write this on one line: remove the line break."
CONTACT = {
    "name": "Jan Smet",
    "email": "jan.smet@school.example",
    "subject": "A broken link",
    "message": "The link on the privacy page does not work.",
}


@pytest.mark.parametrize(
    "text", ["Hi\nBcc: all@example.org", "a\rb", "a\r\nb", "a\u2028b", "a\u2029b", "a\x85b",
             "a\x0bb", "a\x0cb"],
)  # fmt: skip
def test_item11_a_line_break_is_refused_with_a_clear_message(text):
    with pytest.raises(ValidationError) as refused:
        validate_single_line(text)
    assert refused.value.messages == [LINE_BREAK]
    assert refused.value.code == "line_break"


@pytest.mark.parametrize(
    ("text", "code"), [("a\tb", "U+0009"), ("a\x1bb", "U+001B"), ("a\u200bb", "U+200B"),
                       ("a\u202eb", "U+202E"), ("a\x7fb", "U+007F")],
)  # fmt: skip
def test_item11_other_control_characters_are_refused_naming_them(text, code):
    with pytest.raises(ValidationError) as refused:
        validate_single_line(text)
    assert refused.value.messages == [
        f"Remove the invisible control character ({code}) from this text."
    ]


@pytest.mark.parametrize("text", ["Fractions – with pizza", "Ærøskøbing’s “école”", "日本語", ""])
def test_item11_ordinary_text_passes(text):
    validate_single_line(text)


def test_item11_the_form_field_strips_ends_and_refuses_the_middle():
    field = SingleLineCharField(max_length=50)
    assert field.clean("  A title \n") == "A title"
    with pytest.raises(ValidationError) as refused:
        field.clean("A title\nBcc: x@example.org")
    assert refused.value.messages == [LINE_BREAK]


# --- the forms ------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["name", "subject"])
def test_item11_contact_form_refuses_a_line_break_and_stores_and_mails_nothing(
    client, field, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/contact/", {**CONTACT, field: "Hello\nBcc: all@example.org"})
    assert response.status_code == 400
    assert response.context["form"].errors == {field: [LINE_BREAK]}
    assert not ContactMessage.objects.exists()
    assert mail.outbox == []


def resource_data(**extra: object) -> dict[str, object]:
    """The upload form's data with a text, so the form has content."""
    return form_data(**{"body": "Label the parts of the leaf.", **extra})


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["title", "keywords"])
def test_item11_resource_form_refuses_a_line_break(member_client, field):
    response = member_client.post("/resources/new/", resource_data(**{field: "Leaves\nand roots"}))
    assert response.status_code == 400
    assert response.context["form"].errors == {field: [LINE_BREAK]}
    assert not Resource.objects.exists()


@pytest.mark.django_db
def test_item11_collection_form_refuses_a_line_break(member_client):
    response = member_client.post("/library/collections/new/", {"title": "Maths\nweek"})
    assert response.status_code == 400
    assert response.context["form"].errors == {"title": [LINE_BREAK]}
    assert not Collection.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["first_name", "last_name", "school"])
def test_item11_profile_form_refuses_a_line_break(member, member_client, field):
    before = Member.objects.values_list("first_name", "last_name").get(pk=member.pk)
    response = member_client.post(PROFILE, profile_data(**{field: "Anna\nPeeters"}))
    assert response.status_code == 400
    assert response.context["form"].errors == {field: [LINE_BREAK]}
    assert Member.objects.values_list("first_name", "last_name").get(pk=member.pk) == before


@pytest.mark.django_db
def test_item11_tutor_form_refuses_a_line_break(member_client):
    data = {
        "offer": "Maths tutoring.",
        "subjects": [Subject.objects.get(slug="mathematics").pk],
        "levels": [EducationLevel.objects.get(slug="primary").pk],
        "provinces": [],
        "availability": "Wednesdays\nand Fridays",
        "is_active": "on",
    }
    response = member_client.post("/people/tutors/me/", data)
    assert response.status_code == 400
    assert response.context["form"].errors["availability"] == [LINE_BREAK]
    assert not TutorListing.objects.exists()


# --- the services (full_clean) ---------------------------------------------------------


@pytest.mark.django_db
def test_item11_contact_service_refuses_a_line_break_and_stores_nothing(
    django_capture_on_commit_callbacks,
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError) as refused,
    ):
        contact_message_send(**{**CONTACT, "subject": "Hi\r\nBcc: x@example.org"}, member=None)
    assert refused.value.message_dict == {"subject": [LINE_BREAK]}
    assert not ContactMessage.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_item11_resource_service_refuses_a_line_break_and_stores_nothing(member):
    form = ResourceCreateForm(resource_data())
    assert form.is_valid(), form.errors
    fields = {**form.service_fields(), "title": "Leaves\nand roots"}
    with pytest.raises(ValidationError) as refused:
        resource_create(author=member, fields=fields, rights_confirmed=True)
    assert refused.value.message_dict == {"title": [LINE_BREAK]}
    assert not Resource.objects.exists()


@pytest.mark.django_db
def test_item11_collection_service_refuses_a_line_break(member):
    with pytest.raises(ValidationError) as refused:
        collection_create(owner=member, title="Maths\nweek")
    assert refused.value.message_dict == {"title": [LINE_BREAK]}
    assert not Collection.objects.exists()
