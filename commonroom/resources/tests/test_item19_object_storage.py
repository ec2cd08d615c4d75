"""Issue 19 items 1 and 6: resource files in an S3 bucket (a moto server on
loopback, commonroom/core/tests/s3_server.py): uploads land only in the
bucket, previews go out as signed addresses after the permission check,
downloads with the attribution are read from the bucket, and deleting a
resource or erasing a member deletes the objects, after the commit and
again after an outage of the bucket."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from commonroom.accounts.models import Profile
from commonroom.accounts.services import member_erase
from commonroom.accounts.tests.factories import MemberFactory
from commonroom.core.models import OutboxEntry
from commonroom.core.outbox import outbox_run_entry
from commonroom.core.tests.s3_server import Bucket, bucket, fetch, s3_server
from commonroom.resources.models import Resource, ResourceFile
from commonroom.resources.services import resource_delete
from commonroom.resources.tests.factories import (
    ResourceFactory,
    ResourceFileFactory,
    published_resource,
)
from commonroom.resources.tests.helpers import pdf_bytes, png_bytes, upload
from commonroom.resources.tests.test_upload_flow import form_data

__all__ = ["bucket", "s3_server"]  # the fixtures
pytestmark = pytest.mark.django_db


def _files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def _keys_of(file: ResourceFile) -> list[str]:
    names = (file.file.name, file.thumbnail.name, file.thumbnail_small.name)
    return sorted(f"private/{name}" for name in names if name)


def _png_file(resource: Resource, data: bytes) -> ResourceFile:
    return ResourceFileFactory.create(
        resource=resource,
        name="leaf.png",
        mime_type="image/png",
        size=len(data),
        file=ContentFile(data, name="leaf.png"),
    )


MP3 = b"ID3\x03\x00 an mp3 for the player"


def _mp3_file(resource: Resource) -> ResourceFile:
    return ResourceFileFactory.create(
        resource=resource,
        name="song.mp3",
        mime_type="audio/mpeg",
        size=len(MP3),
        file=ContentFile(MP3, name="song.mp3"),
    )


def test_r36_an_upload_is_stored_only_in_the_bucket(
    bucket: Bucket, member_client, settings, django_capture_on_commit_callbacks
):
    on_disk_before = _files_under(bucket.disk_private)
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            "/resources/new/", form_data(files=upload("leaf.pdf", pdf_bytes()))
        )
    assert response.status_code == 302
    stored = ResourceFile.objects.get()
    assert stored.file.name.startswith(f"resources/{stored.resource_id}/")
    assert bucket.objects() == _keys_of(stored)
    assert stored.thumbnail.name  # the picture of the first page went to the bucket too
    assert _files_under(Path(settings.PRIVATE_MEDIA_ROOT)) == []
    assert _files_under(Path(settings.MEDIA_ROOT)) == []
    # Nor in the folder the tests' private storage uses without a bucket
    # (earlier tests of this process may have left theirs there).
    assert _files_under(bucket.disk_private) == on_disk_before
    head = bucket.server.client().head_object(Bucket=bucket.name, Key=f"private/{stored.file.name}")
    assert head["ContentLength"] == stored.size
    assert "ACL" not in head


def test_r36_a_preview_redirects_to_a_signed_address_that_expires(bucket: Bucket, member):
    """Audio and video have no place for the credits (R33): the player gets
    them as they are, straight from the bucket."""
    resource = published_resource()
    file = _mp3_file(resource)
    reader = Client()
    reader.force_login(member)

    response = reader.get(f"/resources/{resource.pk}/files/{file.pk}/song.mp3?preview=1")

    assert response.status_code == 302
    location = response["Location"]
    parts = urlsplit(location)
    assert f"{parts.scheme}://{parts.netloc}" == bucket.server.endpoint
    assert parts.path == f"/{bucket.name}/private/{file.file.name}"
    assert "X-Amz-Expires=60&" in location
    assert response["Cache-Control"] == "no-store, private"
    status, body, headers = fetch(location)
    assert (status, body) == (200, MP3)
    assert headers["content-type"] == "audio/mpeg"
    assert headers["content-disposition"] == (
        "inline; filename=\"song.mp3\"; filename*=UTF-8''song.mp3"
    )
    # 61 seconds later the same address is refused.
    bucket.server.checked.clock_offset = timedelta(seconds=61)
    assert fetch(location)[0] == 403
    assert bucket.server.checked.refused[-1] == "Request has expired"
    bucket.server.checked.clock_offset = timedelta(0)
    # A changed signature, or the object's address without one, is refused.
    assert fetch(location[:-1] + ("0" if location[-1] != "0" else "1"))[0] == 403
    assert fetch(f"{bucket.server.endpoint}/{bucket.name}/private/{file.file.name}")[0] == 403
    assert fetch(f"{bucket.server.endpoint}/{bucket.name}?list-type=2")[0] == 403


def test_r36_a_file_of_a_resource_not_downloadable_gets_no_address(bucket: Bucket, member):
    draft = ResourceFactory()  # not published: only its author sees it
    file = _mp3_file(draft)
    other = Client()
    other.force_login(member)
    url = f"/resources/{draft.pk}/files/{file.pk}/song.mp3?preview=1"

    refused_member = other.get(url)
    refused_visitor = Client().get(url)

    assert refused_member.status_code == 404
    assert refused_visitor.status_code == 404
    assert "Location" not in refused_visitor
    author = Client()
    author.force_login(draft.author)
    allowed = author.get(url)
    assert allowed.status_code == 302
    assert urlsplit(allowed["Location"]).path == f"/{bucket.name}/private/{file.file.name}"


def test_r33_a_stamped_download_is_read_from_the_bucket_and_streamed(bucket: Bucket, member):
    data = pdf_bytes()
    resource = published_resource(title="Fractions with pizza")
    file = ResourceFileFactory(
        resource=resource, name="pizza.pdf", size=len(data), file=ContentFile(data, "pizza.pdf")
    )
    reader = Client()
    reader.force_login(member)

    response = reader.get(f"/resources/{resource.pk}/files/{file.pk}/pizza.pdf")

    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith(data)  # the original bytes, then the incremental update
    assert b"Fractions with pizza" in body[len(data) :]
    assert response["Content-Disposition"] == 'attachment; filename="pizza.pdf"'


def test_r9_deleting_a_resource_deletes_its_objects_after_commit(
    bucket: Bucket, django_capture_on_commit_callbacks
):
    resource = ResourceFactory()
    kept = ResourceFileFactory(resource=published_resource())
    first = ResourceFileFactory(resource=resource)
    second = _png_file(resource, png_bytes((16, 16)))
    assert bucket.objects() == sorted([*_keys_of(kept), *_keys_of(first), *_keys_of(second)])

    with django_capture_on_commit_callbacks(execute=True):
        resource_delete(resource=resource, by=resource.author)

    assert bucket.objects() == _keys_of(kept)
    entry = OutboxEntry.objects.get(task_path="commonroom.core.tasks.stored_files_delete")
    assert entry.state == OutboxEntry.State.DONE


def test_r9_a_deletion_while_the_bucket_is_down_is_retried_by_the_outbox(
    bucket: Bucket, django_capture_on_commit_callbacks
):
    resource = ResourceFactory()
    file = ResourceFileFactory(resource=resource)
    bucket.server.checked.down = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            resource_delete(resource=resource, by=resource.author)
    finally:
        bucket.server.checked.down = False

    entry = OutboxEntry.objects.get(task_path="commonroom.core.tasks.stored_files_delete")
    assert entry.state == OutboxEntry.State.PENDING
    assert entry.kwargs == {"alias": "private", "names": [file.file.name]}
    assert "503" in entry.last_error
    assert bucket.objects() == _keys_of(file)  # not deleted, not forgotten
    assert not Resource.objects.filter(pk=resource.pk).exists()

    assert outbox_run_entry(entry_id=entry.pk) == OutboxEntry.State.DONE
    assert bucket.objects() == []
    # Run again (a lost lease): deleting what is gone succeeds.
    OutboxEntry.objects.filter(pk=entry.pk).update(
        state=OutboxEntry.State.PENDING, kwargs={"alias": "private", "names": [file.file.name]}
    )
    assert outbox_run_entry(entry_id=entry.pk) == OutboxEntry.State.DONE


def test_r6_erasing_a_member_deletes_their_objects(
    bucket: Bucket, django_capture_on_commit_callbacks
):
    leaving = MemberFactory()
    profile, _created = Profile.objects.get_or_create(member=leaving)
    profile.photo.save("photo.jpg", ContentFile(b"\xff\xd8\xff photo"), save=True)
    draft = ResourceFactory(author=leaving)
    draft_file = ResourceFileFactory(resource=draft)
    published = published_resource(author=leaving)
    published_file = ResourceFileFactory(resource=published)  # stays online under the name (R6)
    other = ResourceFileFactory(resource=published_resource())
    assert f"private/{profile.photo.name}" in bucket.objects("private/")

    with django_capture_on_commit_callbacks(execute=True):
        member_erase(member=leaving)

    assert bucket.objects() == sorted([*_keys_of(published_file), *_keys_of(other)])
    assert not ResourceFile.objects.filter(pk=draft_file.pk).exists()


def test_r36_behind_nginx_a_preview_is_an_internal_redirect_to_the_bucket(
    bucket: Bucket, member, settings
):
    """STORAGE_X_ACCEL: the browser never sees the bucket; nginx follows
    X-Accel-Redirect to its internal location, which passes the path and
    query on to the S3 endpoint (docs/operations.md)."""
    settings.STORAGE_X_ACCEL = True
    resource = published_resource()
    file = _mp3_file(resource)
    reader = Client()
    reader.force_login(member)

    response = reader.get(f"/resources/{resource.pk}/files/{file.pk}/song.mp3?preview=1")

    assert response.status_code == 200
    assert "Location" not in response
    internal = response["X-Accel-Redirect"]
    assert internal.startswith(f"/_storage/{bucket.name}/private/{file.file.name}?")
    assert "X-Amz-Signature=" in internal
    assert response["Content-Type"] == "audio/mpeg"
    assert response["Content-Disposition"] == (
        "inline; filename=\"song.mp3\"; filename*=UTF-8''song.mp3"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content == b""
    # What nginx's `location /_storage/ { internal; proxy_pass ENDPOINT/; }` fetches:
    status, body, _headers = fetch(bucket.server.endpoint + internal.removeprefix("/_storage"))
    assert (status, body) == (200, MP3)
