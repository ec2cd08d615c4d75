"""Issue 19 item 1: `manage.py storage_migrate --to s3|disk` against the
tests' own S3 server (s3_server.py): both ways, resumable, verified, and the
sources deleted only when asked and only after the copy is verified."""

import hashlib
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from commonroom.core.storage_migrate import Stored, storage_migrate
from commonroom.core.tests.s3_server import Bucket, bucket, s3_server

__all__ = ["bucket", "s3_server"]  # the fixtures

FILES = {
    "private/resources/7/abc-worksheet.pdf": b"%PDF-1.4 " + b"x" * 3000,
    "private/thumbnails/7/abc-320.webp": b"RIFF webp",
    "private/profiles/photo-1.jpg": b"\xff\xd8\xff jpeg",
    "media/site/logo.txt": b"public file",
}


def _write_disk(settings) -> None:
    for key, data in FILES.items():
        folder, _slash, name = key.partition("/")
        root = Path(settings.PRIVATE_MEDIA_ROOT if folder == "private" else settings.MEDIA_ROOT)
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)


def _disk(settings) -> dict[str, bytes]:
    found = {}
    for folder, root in (("private", settings.PRIVATE_MEDIA_ROOT), ("media", settings.MEDIA_ROOT)):
        for path in Path(root).rglob("*"):
            if path.is_file():
                found[f"{folder}/{path.relative_to(root).as_posix()}"] = path.read_bytes()
    return found


def _bucket(bucket: Bucket) -> dict[str, bytes]:
    client = bucket.server.client()
    return {
        key: client.get_object(Bucket=bucket.name, Key=key)["Body"].read()
        for key in bucket.objects()
    }


def test_issue19_to_s3_copies_verifies_and_keeps_the_sources(bucket: Bucket, settings):
    _write_disk(settings)
    out = StringIO()

    call_command("storage_migrate", "--to", "s3", verbosity=0, stdout=out)

    assert _bucket(bucket) == FILES
    assert _disk(settings) == FILES  # kept without --delete-source
    assert out.getvalue() == (
        f"4 files copied ({sum(map(len, FILES.values()))} bytes), 0 already there, "
        "0 sources deleted, 0 failed.\n"
    )
    head = bucket.server.client().head_object(
        Bucket=bucket.name, Key="private/resources/7/abc-worksheet.pdf"
    )
    assert head["Metadata"] == {
        "sha256": hashlib.sha256(FILES["private/resources/7/abc-worksheet.pdf"]).hexdigest()
    }
    assert head["ContentType"] == "application/pdf"


def test_issue19_an_interrupted_run_goes_on_where_it_stopped(bucket: Bucket, settings):
    _write_disk(settings)
    done: list[str] = []

    def stop_after_two(stored: Stored) -> None:
        done.append(stored.name)
        if len(done) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        storage_migrate(direction="s3", on_file=stop_after_two)
    assert len(bucket.objects()) == 2
    # A copy in the bucket that differs from its source (a stale object) is replaced.
    stale = "private/profiles/photo-1.jpg"
    if stale in bucket.objects():
        bucket.server.client().put_object(Bucket=bucket.name, Key=stale, Body=b"stale")
        expected_skipped = 1
    else:
        expected_skipped = 2

    outcome = storage_migrate(direction="s3")

    assert (outcome.copied, outcome.skipped, outcome.failed) == (
        4 - expected_skipped,
        expected_skipped,
        [],
    )
    assert _bucket(bucket) == FILES
    again = storage_migrate(direction="s3", delete_source=True)
    assert (again.copied, again.skipped, again.deleted) == (0, 4, 4)
    assert _disk(settings) == {}
    assert _bucket(bucket) == FILES


def test_issue19_to_disk_and_back_deleting_each_source(bucket: Bucket, settings):
    client = bucket.server.client()
    for key, data in FILES.items():
        client.put_object(Bucket=bucket.name, Key=key, Body=data)  # no sha256 metadata

    call_command(
        "storage_migrate", "--to", "disk", "--delete-source", verbosity=0, stdout=StringIO()
    )

    assert _disk(settings) == FILES
    assert bucket.objects() == []
    assert not list(Path(settings.PRIVATE_MEDIA_ROOT).rglob(".storage-migrate-*"))

    call_command("storage_migrate", "--to", "s3", "--delete-source", verbosity=0)

    assert _bucket(bucket) == FILES
    assert _disk(settings) == {}


def test_issue19_a_bucket_that_is_away_fails_the_command_and_deletes_nothing(
    bucket: Bucket, settings
):
    _write_disk(settings)
    bucket.server.checked.down = True
    try:
        with pytest.raises(CommandError) as raised:
            call_command(
                "storage_migrate", "--to", "s3", "--delete-source", verbosity=0, stdout=StringIO()
            )
    finally:
        bucket.server.checked.down = False
    assert str(raised.value) == (
        "4 files were not moved (their sources are kept); run the command again."
    )
    assert _disk(settings) == FILES


def test_issue19_without_storage_url_the_command_says_what_is_missing(settings):
    settings.OBJECT_STORAGE = None
    with pytest.raises(ImproperlyConfigured) as raised:
        call_command("storage_migrate", "--to", "s3", verbosity=0)
    assert str(raised.value) == (
        "storage_migrate needs STORAGE_URL (s3://BUCKET?endpoint=...&region=...) "
        "to know the bucket, in either direction."
    )
