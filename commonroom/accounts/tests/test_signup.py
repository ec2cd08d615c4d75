from datetime import date, timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from commonroom.accounts.models import Member, Profile
from commonroom.legal.models import TermsAcceptance
from commonroom.legal.selectors import terms_current

SIGNUP = "/accounts/signup/"
STRONG = "violet-harbour-1987-kettle"


def signup_data(**overrides: str) -> dict[str, str]:
    data = {
        "first_name": "Lotte",
        "last_name": "Verbeke",
        "email": "lotte.verbeke@school.example",
        "birth_year": "1990",
        "password1": STRONG,
        "password2": STRONG,
        "not_a_pupil": "on",
        "accept_terms": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def errors_of(response, field: str) -> list[str]:
    return [str(e) for e in response.context["form"].errors.get(field, [])]


@pytest.mark.django_db
def test_r1_signup_records_terms_version_and_time(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP, signup_data())
    assert response.status_code == 302
    member = Member.objects.get(email="lotte.verbeke@school.example")
    acceptance = TermsAcceptance.objects.get(member=member)
    assert acceptance.document == terms_current()
    assert abs(acceptance.accepted_at - member.date_joined) < timedelta(seconds=5)


@pytest.mark.django_db
def test_r1_signup_without_accepting_terms_is_refused(client):
    response = client.post(SIGNUP, signup_data(accept_terms=None))  # type: ignore[arg-type]
    assert response.status_code == 200
    assert errors_of(response, "accept_terms") == [
        "You can only sign up if you accept the terms of use."
    ]
    assert not Member.objects.exists()


@pytest.mark.django_db
def test_r1_signup_page_links_the_current_terms_and_privacy(client):
    content = client.get(SIGNUP, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'href="{reverse("legal:terms")}"' in content
    assert f'href="{reverse("legal:privacy")}"' in content
    assert "(version 1.1)" in content


@pytest.mark.django_db
@time_machine.travel(date(2027, 3, 1))
def test_r3_item16b_seventeen_this_year_is_refused_with_a_message(client):
    # Born in 2010: turns 17 in 2027.
    response = client.post(SIGNUP, signup_data(birth_year="2010"))
    assert errors_of(response, "birth_year") == [
        "You can sign up from the calendar year in which you turn 18. "
        "You can register from 1 January 2028."
    ]
    assert not Member.objects.exists()


@pytest.mark.django_db
@time_machine.travel(date(2027, 3, 1))
def test_r3_item16b_turning_eighteen_this_year_is_accepted_and_the_year_kept(client):
    # Born in 2009: maybe still 17 on 1 March 2027, but turns 18 this year.
    response = client.post(SIGNUP, signup_data(birth_year="2009"))
    assert response.status_code == 302, response.context["form"].errors
    assert Member.objects.get().birth_year == 2009


@pytest.mark.django_db
@time_machine.travel(date(2027, 3, 1))
def test_item16b_signup_asks_for_the_year_only_with_bounds(client):
    form = client.get(SIGNUP, HTTP_ACCEPT_LANGUAGE="en").context["form"]
    assert "date_of_birth" not in form.fields
    html = str(form["birth_year"])
    assert 'type="number"' in html
    assert 'min="1907"' in html
    assert 'max="2027"' in html
    assert 'autocomplete="bday-year"' in html
    assert str(form["birth_year"].label) == "Year of birth"


@pytest.mark.django_db
@time_machine.travel(date(2027, 3, 1))
@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("", "Enter your year of birth."),
        ("1990-05-17", "Enter your year of birth as four digits, for example 1985."),
        ("nineteen", "Enter your year of birth as four digits, for example 1985."),
        ("90", "Enter a year of birth between 1907 and 2027."),
        ("1906", "Enter a year of birth between 1907 and 2027."),
        ("2028", "Enter a year of birth between 1907 and 2027."),
    ],
)
def test_item16b_a_wrong_year_of_birth_gets_a_clear_error(client, typed, error):
    response = client.post(SIGNUP, signup_data(birth_year=typed), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert errors_of(response, "birth_year") == [error]
    assert not Member.objects.exists()


@pytest.mark.django_db
def test_r3_declaration_of_not_being_a_pupil_is_required(client):
    response = client.post(SIGNUP, signup_data(not_a_pupil=None))  # type: ignore[arg-type]
    assert errors_of(response, "not_a_pupil") == [
        "The platform is for teachers and adults, not pupils."
    ]
    assert not Member.objects.exists()


@pytest.mark.django_db
def test_r3_declaration_is_stored(client):
    client.post(SIGNUP, signup_data())
    assert Member.objects.get().declared_not_pupil_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["first_name", "last_name"])
def test_r3_first_name_and_surname_are_required(client, field):
    response = client.post(SIGNUP, signup_data(**{field: "  "}))
    assert errors_of(response, field) == ["This field is required."]
    response = client.post(SIGNUP, signup_data(**{field: "1234"}))
    assert errors_of(response, field) == ["Enter your real name."]
    assert not Member.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Sh0rt-pass", "This password is too short: use at least 12 characters."),
        ("password1234", "This password is too common."),
        ("Verbeke2024!", "The password is too similar to the email address."),
        (
            "aaaaaaabbbbbb",
            "This password repeats too few characters; use at least 6 different ones.",
        ),
        ("839201749302", "This password is entirely numeric."),
    ],
)
def test_r3_weak_passwords_are_refused(client, password, message):
    response = client.post(SIGNUP, signup_data(password1=password, password2=password))
    assert message in errors_of(response, "password1")
    assert not Member.objects.exists()


@pytest.mark.django_db
def test_r3_email_must_be_verified_before_signing_in(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SIGNUP, signup_data())
    member = Member.objects.get()
    assert not EmailAddress.objects.get(user=member).verified
    # The verification mail was sent; signing in sends the member back to verify.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lotte.verbeke@school.example"]
    client.logout()
    response = client.post(
        "/accounts/login/", {"login": "lotte.verbeke@school.example", "password": STRONG}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_r3_signup_creates_an_empty_profile(client):
    client.post(SIGNUP, signup_data())
    assert Profile.objects.filter(member__email="lotte.verbeke@school.example").count() == 1


@pytest.mark.django_db
def test_signup_keeps_what_was_typed_after_an_error(client):
    response = client.post(SIGNUP, signup_data(birth_year="2030"))
    content = response.content.decode()
    assert 'value="Lotte"' in content
    assert 'value="lotte.verbeke@school.example"' in content
