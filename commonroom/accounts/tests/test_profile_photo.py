"""Issue 12, item 6: profile photos go out through a view that applies the
profile's visibility, under random names, from private storage."""

import importlib
import io
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from commonroom.accounts import services
from commonroom.accounts.models import Profile, ProfileVisibility
from commonroom.accounts.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
TOKEN_NAME = re.compile(r"^profile-photos/[A-Za-z0-9_-]{32}\.jpg$")


def jpeg(color: tuple[int, int, int] = (200, 40, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), color).save(out, format="JPEG")
    return out.getvalue()


def with_photo(member, visibility: str, color=(200, 40, 40)) -> Profile:
    return services.profile_update(
        member=member,
        first_name=member.first_name,
        last_name=member.last_name,
        photo=SimpleUploadedFile("me.jpg", jpeg(color)),
        visibility=visibility,
    )


def client_for(member=None) -> Client:
    client = Client()
    if member is not None:
        client.force_login(member)
    return client


def test_item6_a_hidden_profiles_photo_is_404_for_others_and_shown_to_owner_and_staff(staff):
    owner = MemberFactory()
    url = with_photo(owner, ProfileVisibility.HIDDEN).photo_url
    assert client_for().get(url).status_code == 404
    assert client_for(MemberFactory()).get(url).status_code == 404
    for viewer in (owner, staff):
        response = client_for(viewer).get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        with Image.open(io.BytesIO(b"".join(response.streaming_content))) as shown:
            assert shown.size == (64, 64)


def test_item6_a_members_only_photo_is_hidden_from_visitors_and_kept_private():
    url = with_photo(MemberFactory(), ProfileVisibility.MEMBERS).photo_url
    assert client_for().get(url).status_code == 404
    response = client_for(MemberFactory()).get(url)
    assert response.status_code == 200
    assert "public" not in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_item6_a_public_profiles_photo_may_be_cached_by_anyone():
    url = with_photo(MemberFactory(), ProfileVisibility.PUBLIC).photo_url
    response = client_for().get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=3600"


def test_item6_photo_names_are_random_and_not_under_public_media():
    member = MemberFactory()
    first = with_photo(member, ProfileVisibility.PUBLIC, color=(10, 10, 10))
    first_name, first_url = first.photo.name, first.photo_url
    second = with_photo(member, ProfileVisibility.PUBLIC, color=(250, 250, 250))
    assert TOKEN_NAME.match(first_name)
    assert TOKEN_NAME.match(second.photo.name)
    assert first_name != second.photo.name
    assert second.photo_url == (f"/accounts/photos/{member.pk}/{Path(second.photo.name).stem}.jpg")
    assert storages["private"].exists(second.photo.name)
    assert not (Path(settings.MEDIA_ROOT) / second.photo.name).exists()
    assert not list(Path(settings.MEDIA_ROOT).glob("profiles/**/*.jpg"))
    # The replaced photo's address no longer answers, for anyone.
    assert client_for().get(first_url).status_code == 404
    assert client_for().get(second.photo_url).status_code == 200


def test_item6_a_wrong_token_or_member_is_404():
    member = MemberFactory()
    profile = with_photo(member, ProfileVisibility.PUBLIC)
    token = Path(profile.photo.name).stem
    other = MemberFactory()
    with_photo(other, ProfileVisibility.PUBLIC)
    assert client_for().get(f"/accounts/photos/{member.pk}/{'A' * 32}.jpg").status_code == 404
    assert client_for().get(f"/accounts/photos/{other.pk}/{token}.jpg").status_code == 404
    assert client_for().get(f"/accounts/photos/{10**30}/{token}.jpg").status_code == 404


def test_item6_existing_photos_move_to_private_storage_under_random_names(
    django_capture_on_commit_callbacks,
):
    migration = importlib.import_module("commonroom.accounts.migrations.0005_profile_photo_private")
    member = MemberFactory()
    old_name = f"profiles/{member.pk}/20240102030405.jpg"
    public = storages["default"]
    public.save(old_name, ContentFile(jpeg()))
    Profile.objects.get_or_create(member=member)
    Profile.objects.filter(member=member).update(
        photo=old_name, visibility=ProfileVisibility.PUBLIC
    )
    with django_capture_on_commit_callbacks(execute=True):
        migration.photos_to_private(apps, None)
    profile = Profile.objects.get(member=member)
    assert TOKEN_NAME.match(profile.photo.name)
    with storages["private"].open(profile.photo.name, "rb") as moved:
        assert moved.read() == jpeg()
    assert not public.exists(old_name)
    assert client_for().get(profile.photo_url).status_code == 200
