"""Issue 13 item 19: card pictures as WebP in two widths, old PNGs rebuilt
without a card ever pointing to a missing picture, and the first cards of a
page loaded first."""

import io
import re
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from PIL import Image

from commonroom.resources import file_uploads
from commonroom.resources import thumbnails as thumbnail_service
from commonroom.resources.models import ResourceFile
from commonroom.resources.tests.factories import (
    ResourceFactory,
    ResourceFileFactory,
    published_resource,
)
from commonroom.resources.tests.helpers import pdf_bytes, png_bytes, upload
from commonroom.resources.thumbnails import Rebuild, thumbnail_open, thumbnail_rebuild

pytestmark = pytest.mark.django_db


def old_style_file(**kwargs) -> ResourceFile:
    """A file stored before item 19: an A4 PDF with a 340x480 PNG picture."""
    resource = kwargs.pop("resource", None) or published_resource()
    return ResourceFileFactory.create(
        resource=resource,
        file=ContentFile(pdf_bytes(), name="worksheet.pdf"),
        size=len(pdf_bytes()),
        thumbnail=ContentFile(png_bytes((340, 480)), name="thumb.png"),
        # Unique, so that no file a test before left behind has the same name.
        sha256=uuid.uuid4().hex * 2,
        **kwargs,
    )


def stored(name: str) -> bool:
    return ResourceFile._meta.get_field("thumbnail").storage.exists(name)  # type: ignore[attr-defined]


def picture(content: bytes) -> tuple[str, tuple[int, int]]:
    with Image.open(io.BytesIO(content)) as image:
        return str(image.format), image.size


def test_item19_an_upload_stores_both_thumbnail_widths(member):
    resource = ResourceFactory(author=member)
    record = file_uploads.resource_file_add(
        resource=resource, upload=upload("a4.pdf", pdf_bytes()), by=member
    )
    sha = record.sha256[:16]
    assert record.thumbnail.name == f"thumbnails/{resource.pk}/{sha}-640.webp"
    assert record.thumbnail_small.name == f"thumbnails/{resource.pk}/{sha}-320.webp"
    assert picture(record.thumbnail.read()) == ("WEBP", (640, 906))
    assert picture(record.thumbnail_small.read()) == ("WEBP", (320, 453))


def test_item19_rebuild_replaces_the_png_deletes_it_on_commit_and_a_second_run_does_nothing(
    django_capture_on_commit_callbacks,
):
    file = old_style_file()
    png = file.thumbnail.name
    assert png.endswith(".png")
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        call_command("thumbnails_rebuild", verbosity=0, stdout=out)
    file.refresh_from_db()
    # The row names the new pictures; the PNG is still there until the commit.
    assert file.thumbnail.name.endswith("-640.webp")
    assert file.thumbnail_small.name.endswith("-320.webp")
    assert stored(png)
    for callback in callbacks:
        callback()
    assert not stored(png)
    assert stored(file.thumbnail.name)
    assert stored(file.thumbnail_small.name)
    assert picture(file.thumbnail.read()) == ("WEBP", (640, 906))
    assert out.getvalue() == (
        "1 thumbnails rebuilt, 0 skipped, 0 kept as they were (no new picture could be made).\n"
    )
    again = io.StringIO()
    call_command("thumbnails_rebuild", verbosity=0, stdout=again)
    assert again.getvalue().startswith("0 thumbnails rebuilt, 0 skipped")
    file.refresh_from_db()
    assert file.thumbnail.name.endswith("-640.webp")


def test_item19_rebuild_is_resumable_with_a_limit(django_capture_on_commit_callbacks):
    files = [old_style_file() for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("thumbnails_rebuild", limit=2, verbosity=0, stdout=io.StringIO())
    assert [bool(f.thumbnail_small) for f in ResourceFile.objects.order_by("pk")] == [
        True,
        True,
        False,
    ]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("thumbnails_rebuild", verbosity=0, stdout=io.StringIO())
    assert all(ResourceFile.objects.get(pk=f.pk).thumbnail_small for f in files)


def test_item19_rebuild_keeps_the_png_when_no_new_picture_can_be_made():
    file = old_style_file()
    file.file.save("broken.pdf", ContentFile(b"%PDF-1.4\n1 0 obj garbage\n"), save=True)
    png = file.thumbnail.name
    assert thumbnail_rebuild(file.pk) == Rebuild.FAILED
    file.refresh_from_db()
    assert (file.thumbnail.name, file.thumbnail_small.name) == (png, "")
    assert stored(png)


def test_item19_rebuild_of_a_file_deleted_meanwhile_leaves_no_pictures_behind(monkeypatch):
    file = old_style_file()
    written: list[str] = []
    real_attach = thumbnail_service.thumbnails_attach

    def attach_then_the_file_is_deleted(record, thumbnails):
        real_attach(record, thumbnails)
        written.extend([record.thumbnail.name, record.thumbnail_small.name])
        ResourceFile.objects.filter(pk=record.pk).delete()

    monkeypatch.setattr(thumbnail_service, "thumbnails_attach", attach_then_the_file_is_deleted)
    assert thumbnail_rebuild(file.pk) == Rebuild.SKIPPED
    assert len(written) == 2
    assert not any(stored(name) for name in written)


def test_item19_a_card_gets_the_png_until_rebuilt_then_webp_in_each_width(
    client: Client, django_capture_on_commit_callbacks
):
    file = old_style_file()
    base = f"/resources/{file.resource_id}/files/{file.pk}"
    for path in ("/thumbnail.png", "/thumbnail-320.webp", "/thumbnail-640.webp"):
        response = client.get(base + path)
        assert response["Content-Type"] == "image/png"
        assert picture(b"".join(response.streaming_content)) == ("PNG", (340, 480))
    with django_capture_on_commit_callbacks(execute=True):
        assert thumbnail_rebuild(file.pk) == Rebuild.REBUILT
    expected = {
        "/thumbnail.png": (640, 906),  # a page cached from before gets the large one
        "/thumbnail-320.webp": (320, 453),
        "/thumbnail-640.webp": (640, 906),
    }
    for path, size in expected.items():
        response = client.get(base + path)
        assert response["Content-Type"] == "image/webp"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert picture(b"".join(response.streaming_content)) == ("WEBP", size)
    assert client.get(base + "/thumbnail-500.webp").status_code == 404


def test_item19_a_request_that_read_the_row_before_the_rebuild_still_gets_a_picture(
    django_capture_on_commit_callbacks,
):
    file = old_style_file()
    read_before = ResourceFile.objects.get(pk=file.pk)  # names the PNG
    with django_capture_on_commit_callbacks(execute=True):
        thumbnail_rebuild(file.pk)  # ... which is now deleted
    opened = thumbnail_open(read_before, 320)
    assert opened is not None
    content, content_type = opened
    with content:
        assert (content_type, picture(content.read())) == ("image/webp", ("WEBP", (320, 453)))


def test_item19_the_first_cards_load_first_and_every_picture_has_its_size(client: Client):
    old = [old_style_file() for _ in range(5)]
    rebuilt = old_style_file()
    thumbnail_rebuild(rebuilt.pk)
    html = client.get("/resources/").content.decode()
    images = re.findall(r"<img [^>]*>", html)
    assert len(images) == 6
    assert all(' width="320" height="180"' in img for img in images)
    assert ["fetchpriority" in img for img in images] == [True] * 3 + [False] * 3
    assert ['loading="lazy"' in img for img in images] == [False] * 3 + [True] * 3
    # The list shows the newest first: the rebuilt file's card has both widths.
    base = f"/resources/{rebuilt.resource_id}/files/{rebuilt.pk}/thumbnail"
    assert images[0] == (
        f'<img src="{base}-320.webp" srcset="{base}-320.webp 320w, {base}-640.webp 640w" '
        'sizes="(max-width: 760px) 100vw, 20rem" alt="" width="320" height="180" '
        'fetchpriority="high">'
    )
    # The one before is not rebuilt yet: its PNG, no srcset.
    png = f"/resources/{old[-1].resource_id}/files/{old[-1].pk}/thumbnail.png"
    assert images[1] == f'<img src="{png}" alt="" width="320" height="180" fetchpriority="high">'
