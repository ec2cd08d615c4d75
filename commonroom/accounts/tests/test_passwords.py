"""Issue 12 item 8: guessable passwords are refused with a strength estimate
(zxcvbn) that knows the platform's name, the member's names and common Dutch
and English words, and the message says why and what would be stronger."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from commonroom.accounts.models import Member
from commonroom.accounts.passwords import StrengthValidator, context_words, password_context
from commonroom.accounts.tests.factories import PASSWORD, MemberFactory
from commonroom.accounts.tests.test_signup import SIGNUP, errors_of, signup_data

STRONGER = (
    "Stronger: four or more unrelated words, like a short odd sentence that only you "
    "would think of. Avoid your name, this site's name, places, seasons and years."
)
EASY = (
    "This password is easy to guess: software that tries likely passwords would find it within {}."
)
ANOTHER_WORD = "Add another word or two. Uncommon words are better."
CAPITALS = "Capitalization doesn't help very much."


def signup_password(client: Client, password: str, **headers: str) -> list[str]:
    response = client.post(SIGNUP, signup_data(password1=password, password2=password), **headers)
    assert response.status_code == 200
    assert not Member.objects.exists()
    return errors_of(response, "password1")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "messages"),
    [
        ("Summer2024!!", [EASY.format("3 hours"), ANOTHER_WORD, CAPITALS, STRONGER]),
        (
            "P@ssw0rd2024!",
            [
                EASY.format("17 minutes"),
                "This is similar to a commonly used password.",
                ANOTHER_WORD,
                CAPITALS,
                "Predictable substitutions like '@' instead of 'a' don't help very much.",
                STRONGER,
            ],
        ),
        ("Welcome12345", [EASY.format("2 seconds"), ANOTHER_WORD, CAPITALS, STRONGER]),
        ("Commonroom2026!", [EASY.format("17 minutes"), ANOTHER_WORD, CAPITALS, STRONGER]),
        ("wachtwoord1234", [EASY.format("2 seconds"), ANOTHER_WORD, STRONGER]),
        ("Azerty123456", [EASY.format("2 seconds"), ANOTHER_WORD, CAPITALS, STRONGER]),
    ],
)
def test_item8_guessable_passwords_are_refused_with_why_and_what_is_stronger(
    client, password, messages
):
    assert signup_password(client, password) == messages


@pytest.mark.django_db
def test_item8_the_members_own_names_make_a_password_guessable(client):
    # Lotte Verbeke (signup_data) may not use her own name and a year ...
    assert signup_password(client, "Lotte-Verbeke-1990") == [
        EASY.format("2 hours"),
        ANOTHER_WORD,
        STRONGER,
    ]
    # ... which is no guess for anyone else.
    response = client.post(
        SIGNUP,
        signup_data(
            first_name="Jan",
            last_name="Peeters",
            email="jan.peeters@school.example",
            password1="Lotte-Verbeke-1990",
            password2="Lotte-Verbeke-1990",
        ),
    )
    assert response.status_code == 302
    assert list(Member.objects.values_list("email", flat=True)) == ["jan.peeters@school.example"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "password",
    ["violet-harbour-1987-kettle", "tafel fiets regen boek", PASSWORD, "demo-Commonroom-2026"],
)
def test_item8_a_good_passphrase_is_accepted(client, password):
    response = client.post(SIGNUP, signup_data(password1=password, password2=password))
    assert response.status_code == 302
    assert Member.objects.get().check_password(password)


@pytest.mark.django_db
def test_item8_zxcvbn_advice_is_dutch_for_a_dutch_page(client):
    messages = signup_password(client, "Summer2024!!", HTTP_ACCEPT_LANGUAGE="nl")
    assert messages[1:3] == [
        "Voeg nog een woord of twee toe. Ongewone woorden zijn beter.",
        "Hoofdletters toevoegen helpt niet veel.",
    ]


@pytest.mark.django_db
def test_item8_changing_the_password_refuses_a_guessable_one(client):
    member = MemberFactory(first_name="Lotte", last_name="Verbeke")
    client.force_login(member)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "Welcome12345", "password2": "Welcome12345"},
    )
    assert response.status_code == 200
    assert EASY.format("2 seconds") in errors_of(response, "password1")
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_item8_context_has_the_platform_the_member_and_both_languages(settings):
    settings.PLATFORM_NAME = "Commonroom"
    member = Member(first_name="Lotte", last_name="Van Dam", email="l.vandam@school.example")
    words = password_context(member)
    assert words[:12] == [
        "commonroom",
        "lottevandam",
        "lotte van dam",
        "lotte-van-dam",
        "lotte.van.dam",
        "lotte_van_dam",
        "vandamlotte",
        "van dam lotte",
        "van-dam-lotte",
        "van.dam.lotte",
        "van_dam_lotte",
        "lotte",
    ]
    assert {"vandam", "van", "dam", "l.vandam@school.example", "school"} <= set(words)
    assert {"wachtwoord", "zomer", "leerkracht", "juf", "belgië", "azerty", "maandag"} <= set(words)
    assert {"password", "summer", "welcome", "teacher"} <= set(words)
    assert len(context_words()) == len(set(context_words())) == 195


def test_item8_a_long_password_is_estimated_not_refused():
    # zxcvbn itself raises on more than 72 characters.
    StrengthValidator().validate("rain-lantern-owl-cobalt-" * 5)
    with pytest.raises(ValidationError) as refused:
        StrengthValidator().validate("a" * 100)
    assert refused.value.messages[0] == EASY.format("less than a second")
