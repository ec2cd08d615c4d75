"""R36 through the real upload form and download views."""

import io
import zipfile

import pytest
from PIL import Image

from commonroom.resources.models import Resource, ResourceFile
from commonroom.resources.tests.helpers import (
    jpeg_with_gps,
    pdf_bytes,
    png_bomb,
    png_bytes,
    upload,
    zip_with,
)
from commonroom.taxonomy.models import EducationLevel, Language, ResourceKind, Subject

BOMB_MESSAGE = "The image has too many pixels (at most 40 million, all frames together)."
ZIP_MESSAGE = "The archive holds a file that would be unpacked outside its folder: ../evil.txt"
OVERSIZE_MESSAGE = "The file is larger than the limit of 1000\xa0bytes."


def form_data(kind: str = "worksheet", **extra: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Photosynthesis worksheet",
        "description": "Pupils label the parts of a leaf.",
        "kind": ResourceKind.objects.get(slug=kind).pk,
        "language": Language.objects.get(slug="en").pk,
        "subjects": [Subject.objects.get(slug="biology").pk],
        "levels": [EducationLevel.objects.get(slug="secondary").pk],
        "keywords": "leaf, plants",
        "rights_confirmed": "on",
    }
    data.update(extra)
    return data


@pytest.mark.django_db
def test_r36_png_renamed_pdf_is_stored_as_png(member_client):
    response = member_client.post(
        "/resources/new/", form_data(files=upload("leaf.pdf", png_bytes()))
    )
    assert response.status_code == 302
    stored = ResourceFile.objects.get()
    assert (stored.mime_type, stored.name) == ("image/png", "leaf.png")


@pytest.mark.django_db
def test_r36_a_type_outside_the_kinds_allow_list_is_refused_and_nothing_stored(member_client):
    response = member_client.post(
        "/resources/new/", form_data(kind="presentation", files=upload("slides.pdf", png_bytes()))
    )
    assert response.status_code == 400
    assert response.context["form"].errors["files"] == [
        "This file contains PNG, which is not accepted for this kind of resource. "
        "Accepted: ODP, PDF, PPT, PPTX."
    ]
    assert not Resource.objects.exists()
    assert not ResourceFile.objects.exists()
    assert "Photosynthesis worksheet" in response.content.decode()  # what was typed stays


@pytest.mark.django_db
def test_r36_exif_is_gone_after_upload(member_client):
    member_client.post(
        "/resources/new/", form_data(kind="photo", files=upload("class.jpg", jpeg_with_gps()))
    )
    stored = ResourceFile.objects.get()
    with stored.file.open("rb") as handle, Image.open(handle) as image:
        assert dict(image.getexif()) == {}
        assert image.size == (800, 600)


@pytest.mark.django_db
def test_r36_a_png_bomb_is_refused(member_client):
    response = member_client.post(
        "/resources/new/", form_data(kind="image", files=upload("big.png", png_bomb()))
    )
    assert response.status_code == 400
    assert response.context["form"].errors["files"] == [BOMB_MESSAGE]
    assert not ResourceFile.objects.exists()


@pytest.mark.django_db
def test_r36_a_zip_with_parent_paths_is_refused(member_client):
    evil = zip_with({"../evil.txt": b"x", "ok.txt": b"y"})
    response = member_client.post(
        "/resources/new/", form_data(kind="software", files=upload("tool.zip", evil))
    )
    assert response.status_code == 400
    assert response.context["form"].errors["files"] == [ZIP_MESSAGE]
    assert not ResourceFile.objects.exists()


@pytest.mark.django_db
def test_r36_a_file_over_the_limit_is_refused_with_a_message(member_client, settings):
    settings.UPLOAD_MAX_FILE_BYTES = 1000
    response = member_client.post(
        "/resources/new/", form_data(files=upload("big.pdf", pdf_bytes() + b" " * 2000))
    )
    assert response.status_code == 400
    assert response.context["form"].errors["files"] == [OVERSIZE_MESSAGE]
    assert not Resource.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        (
            "page.html",
            b"<!doctype html><html><body><script>alert(1)</script></body></html>",
            "website",
        ),
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "image",
        ),
    ],
)
def test_r36_html_and_svg_are_never_served_inline(member, member_client, name, data, kind):
    response = member_client.post("/resources/new/", form_data(kind=kind, files=upload(name, data)))
    assert response.status_code == 302, response.context["form"].errors
    stored = ResourceFile.objects.get()
    for url in (stored.get_absolute_url(), stored.get_absolute_url() + "?preview=1"):
        served = member_client.get(url)
        assert served.status_code == 200
        assert served["Content-Disposition"].startswith("attachment;")
        # With no place for the attribution inside, the file comes in a ZIP (R33).
        assert served["Content-Type"] == "application/zip"
        assert served["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in served["Content-Security-Policy"]
        assert "default-src 'none'" in served["Content-Security-Policy"]


@pytest.mark.django_db
def test_r36_downloaded_bytes_start_with_the_upload(member_client):
    original = pdf_bytes()
    member_client.post("/resources/new/", form_data(files=upload("leaf.pdf", original)))
    stored = ResourceFile.objects.get()
    served = member_client.get(stored.get_absolute_url())
    # R33 appends a revision with the attribution; every uploaded byte stays.
    assert b"".join(served.streaming_content).startswith(original)
    assert stored.thumbnail  # first page rendered


@pytest.mark.django_db
def test_r31_upload_requires_the_rights_confirmation(member_client):
    data = form_data(files=upload("leaf.pdf", pdf_bytes()))
    del data["rights_confirmed"]
    response = member_client.post("/resources/new/", data)
    assert response.status_code == 400
    assert response.context["form"].errors["rights_confirmed"] == [
        "You can only share material that you have the right to share."
    ]
    assert not Resource.objects.exists()


@pytest.mark.django_db
def test_r33_zip_download_carries_licence_and_attribution(member_client):
    member_client.post(
        "/resources/new/",
        form_data(files=[upload("a.pdf", pdf_bytes()), upload("b.png", png_bytes())]),
    )
    resource = Resource.objects.get()
    response = member_client.get(f"/resources/{resource.pk}/download.zip")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(archive.namelist()) == ["ATTRIBUTION.txt", "LICENSE.txt", "a.pdf", "b.png"]
    attribution = archive.read("ATTRIBUTION.txt").decode()
    assert attribution.startswith('"Photosynthesis worksheet" by ')
    assert (
        "Source: Commonroom learning resources, produced by Commonroom Foundation." in attribution
    )
