from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client

from commonroom.accounts.models import Member, Profile, StaffAction
from commonroom.accounts.tests.factories import PASSWORD, MemberFactory
from commonroom.accounts.tests.test_profile import jpeg_with_exif, profile_data
from commonroom.accounts.tests.test_signup import signup_data
from commonroom.legal.models import ContactMessage, TermsAcceptance

MARKERS = {
    "email": "erase-me-4471@marker.example",
    "bio": "BIO-MARKER-4471",
    "expertise": "EXPERTISE-MARKER-4471",
    "school": "SCHOOL-MARKER-4471",
    "contact": "CONTACT-MARKER-4471",
}
# Links to the staff member who acted, not data about the member concerned.
ACTOR_FIELDS = {
    "actor", "suspended_by", "lifted_by", "published_by", "changed_by", "created_by",
    "uploaded_by", "moderator", "claimed_by", "decided_by", "handled_by",
}  # fmt: skip
TEXT_FIELDS = (models.CharField, models.TextField)


def rows_containing(marker: str) -> list[str]:
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, TEXT_FIELDS):
                continue
            lookup = {f"{field.name}__icontains": marker}
            if model._default_manager.filter(**lookup).exists():
                found.append(f"{model._meta.label}.{field.name}")
    return found


@pytest.fixture
def full_member(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    member = MemberFactory(email=MARKERS["email"], first_name="Hanne", last_name="Wouters",
                           birth_year=1977)  # fmt: skip
    client = Client()
    response = client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/profile/",
            profile_data(
                first_name="Hanne",
                last_name="Wouters",
                bio=MARKERS["bio"],
                expertise=MARKERS["expertise"],
                school=MARKERS["school"],
                photo=SimpleUploadedFile("me.jpg", jpeg_with_exif((400, 400))),
            ),
        )
        client.post(
            "/contact/",
            {
                "name": "Hanne Wouters",
                "email": member.email,
                "subject": "Hi",
                "message": MARKERS["contact"],
            },
        )
    Authenticator.objects.create(user=member, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return member, client


@pytest.mark.django_db
def test_r6_after_erasure_no_personal_field_survives_in_any_table(
    full_member, django_capture_on_commit_callbacks
):
    member, client = full_member
    photo = Path(Profile.objects.get(member=member).photo.path)
    assert photo.exists()
    for marker in MARKERS.values():
        assert rows_containing(marker), marker  # the scan does find them before
    assert UserSession.objects.filter(user=member).count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/delete/", {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302

    for marker in MARKERS.values():
        assert rows_containing(marker) == [], marker
    member.refresh_from_db()
    assert (member.first_name, member.last_name) == ("Hanne", "Wouters")
    assert member.email is None
    assert member.birth_year is None
    assert member.declared_not_pupil_at is None
    assert member.last_login is None
    assert not member.has_usable_password()
    assert not Profile.objects.filter(member=member).exists()
    assert not Authenticator.objects.filter(user=member).exists()
    assert not UserSession.objects.filter(user=member).exists()
    assert not TermsAcceptance.objects.filter(member=member).exists()
    assert not ContactMessage.objects.filter(member=member).exists()
    assert not any(
        s.get_decoded().get("_auth_user_id") == str(member.pk) for s in Session.objects.all()
    )
    assert not photo.exists()
    assert StaffAction.objects.filter(member=member, kind="erase").count() == 1


@pytest.mark.django_db
def test_r6_the_member_can_no_longer_sign_in(full_member, client):
    _member, member_client = full_member
    member_client.post("/accounts/delete/", {"password": PASSWORD, "confirm": "on"})
    response = client.post("/accounts/login/", {"login": MARKERS["email"], "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "The email address and/or password you specified are not correct." in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_r6_the_email_can_be_used_for_a_new_account(full_member, client):
    member, member_client = full_member
    member_client.post("/accounts/delete/", {"password": PASSWORD, "confirm": "on"})
    response = client.post("/accounts/signup/", signup_data(email=MARKERS["email"]))
    assert response.status_code == 302
    assert Member.objects.get(email=MARKERS["email"]).pk != member.pk


@pytest.mark.django_db
def test_r6_a_wrong_password_erases_nothing(full_member):
    member, client = full_member
    response = client.post("/accounts/delete/", {"password": "not my password", "confirm": "on"})
    assert response.status_code == 400
    assert "That is not your password." in response.content.decode()
    member.refresh_from_db()
    assert member.email == MARKERS["email"]
    assert Profile.objects.get(member=member).bio == MARKERS["bio"]


@pytest.mark.django_db
def test_r6_every_model_linked_to_a_member_is_covered_by_erasure():
    """A new app that stores data about members must say how it erases it."""
    from commonroom.core.privacy import providers

    covered_apps = {module.__name__.rsplit(".", 2)[-2] for module in providers()}
    for model in apps.get_models():
        if not model.__module__.startswith("commonroom."):
            continue
        links = [
            f
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model is Member and f.name not in ACTOR_FIELDS
        ]
        if links and model is not Member:
            assert model._meta.app_label in covered_apps, model
