import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from commonroom.accounts.models import Profile, ProfileVisibility
from commonroom.taxonomy.models import EducationLevel, Province, Subject

PROFILE = "/accounts/profile/"


def jpeg_with_exif(size: tuple[int, int] = (1600, 1200)) -> bytes:
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {2: (50.0, 50.0, 0.0)}  # GPS latitude
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def profile_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "first_name": "Anna",
        "last_name": "Peeters",
        "bio": "I teach Dutch.",
        "expertise": "Reading aloud",
        "school": "Sint-Jozef Gent",
        "province": Province.objects.get(slug="east-flanders").pk,
        "subjects": [Subject.objects.get(slug="dutch").pk],
        "levels": [EducationLevel.objects.get(slug="primary").pk],
        "visibility": ProfileVisibility.PUBLIC,
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_r4_member_corrects_registration_data_and_profile(member, member_client):
    response = member_client.post(PROFILE, profile_data())
    assert response.status_code == 302
    member.refresh_from_db()
    profile = Profile.objects.get(member=member)
    assert (member.first_name, member.last_name) == ("Anna", "Peeters")
    assert (profile.bio, profile.expertise, profile.school) == (
        "I teach Dutch.",
        "Reading aloud",
        "Sint-Jozef Gent",
    )
    assert profile.province.slug == "east-flanders"  # type: ignore[union-attr]
    assert list(profile.subjects.values_list("slug", flat=True)) == ["dutch"]
    assert list(profile.levels.values_list("slug", flat=True)) == ["primary"]
    assert profile.visibility == "public"


@pytest.mark.django_db
def test_r4_photo_is_reencoded_scaled_and_stripped_of_exif(
    member, member_client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("me.png", jpeg_with_exif(), content_type="image/png")
    response = member_client.post(PROFILE, profile_data(photo=upload))
    assert response.status_code == 302
    profile = Profile.objects.get(member=member)
    with Image.open(profile.photo.path) as saved:
        assert saved.format == "JPEG"
        assert max(saved.size) == 512
        assert dict(saved.getexif()) == {}
        assert "exif" not in saved.info
    assert profile.photo.name.endswith(".jpg")


@pytest.mark.django_db
def test_r4_a_file_that_is_not_an_image_is_refused_and_nothing_changes(member, member_client):
    upload = SimpleUploadedFile("me.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    response = member_client.post(PROFILE, profile_data(photo=upload, bio="changed"))
    assert response.status_code == 400
    assert [str(e) for e in response.context["form"].errors["photo"]] == [
        "This file is not a JPEG, PNG, WebP or GIF image."
    ]
    profile = Profile.objects.get(member=member)
    assert profile.bio == ""
    assert not profile.photo
    assert ">\nchanged</textarea>" in response.content.decode()  # what was typed stays


@pytest.mark.django_db
def test_r4_a_photo_over_the_size_limit_is_refused(member, member_client, settings):
    settings.PROFILE_PHOTO_MAX_BYTES = 10_000
    upload = SimpleUploadedFile("me.jpg", jpeg_with_exif((2000, 2000)), content_type="image/jpeg")
    assert upload.size > 10_000
    response = member_client.post(PROFILE, profile_data(photo=upload))
    assert response.status_code == 400
    assert [str(e) for e in response.context["form"].errors["photo"]] == [
        "The image is larger than 9.8\xa0KB."
    ]
    assert not Profile.objects.get(member=member).photo


@pytest.mark.django_db
def test_r4_member_removes_the_photo(
    member, member_client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    member_client.post(
        PROFILE, profile_data(photo=SimpleUploadedFile("a.jpg", jpeg_with_exif((300, 300))))
    )
    path = Path(Profile.objects.get(member=member).photo.path)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(PROFILE, profile_data(remove_photo="on"))
    assert not Profile.objects.get(member=member).photo
    assert not path.exists()


@pytest.mark.django_db
def test_r16_profile_page_needs_an_account(client):
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_r21_a_profile_hidden_by_a_moderator_stays_hidden(member, member_client):
    from django.core.exceptions import ValidationError

    from commonroom.accounts.services import profile_update
    from commonroom.accounts.tests.factories import MemberFactory
    from commonroom.people.services import profile_hide

    profile_hide(member=member, by=MemberFactory(), reason="Pretends to be someone else.")
    page = member_client.get(PROFILE).content.decode()
    assert "A moderator has hidden your profile after a report" in page
    choices = re.findall(r'<input[^>]*name="visibility"[^>]*>', page)
    assert len(choices) == 3
    assert all(" disabled" in choice for choice in choices)
    response = member_client.post(PROFILE, profile_data())  # asks for "public"
    assert response.status_code == 302
    profile = Profile.objects.get(member=member)
    assert (profile.visibility, profile.bio) == (ProfileVisibility.HIDDEN, "I teach Dutch.")
    with pytest.raises(ValidationError) as refused:
        profile_update(member=member, first_name="A", last_name="B", visibility="public")
    assert refused.value.code == "hidden_by_moderator"
    assert Profile.objects.get(member=member).visibility == ProfileVisibility.HIDDEN
