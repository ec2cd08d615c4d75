"""Moving stored files between the folders and the bucket (``manage.py
storage_migrate --to s3|disk``, issue 19 item 1).

Each file is copied, then read back and compared (size and sha256) before
its source may be deleted (only with ``delete_source``). A file the target
already holds with the same size and sha256 is skipped, so a run that was
stopped goes on where it was; a target that differs is replaced, because
the source is what the site serves until it is switched. Objects written to
the bucket carry their sha256 in their metadata, so a second run need not
read them again. Writing to disk goes through a temporary file renamed into
place: a half-copied file never has the final name.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from commonroom.core.storage_config import ObjectStorage

# The storages moved, with their folder on disk and in the bucket.
FOLDERS = {"private": "private", "default": "media"}
CHUNK = 1024 * 1024
Direction = Literal["s3", "disk"]


@dataclass(frozen=True)
class Stored:
    name: str  # relative to the storage's root, with "/"
    size: int


@dataclass
class Outcome:
    copied: int = 0
    skipped: int = 0
    deleted: int = 0
    failed: list[str] = field(default_factory=list)
    bytes_copied: int = 0


class DiskSide:
    def __init__(self, root: Path) -> None:
        self.root = root

    def files(self) -> Iterator[Stored]:
        if not self.root.is_dir():
            return
        for folder, _dirs, names in os.walk(self.root):
            for name in sorted(names):
                path = Path(folder) / name
                if name.startswith(".storage-migrate-"):
                    continue  # an interrupted copy's temporary file
                yield Stored(path.relative_to(self.root).as_posix(), path.stat().st_size)

    def _path(self, name: str) -> Path:
        path = (self.root / name).resolve()
        if not path.is_relative_to(self.root.resolve()):
            raise ValueError(f"{name} is outside {self.root}")
        return path

    def size(self, name: str) -> int | None:
        path = self._path(name)
        return path.stat().st_size if path.is_file() else None

    def sha256(self, name: str) -> str:
        with self._path(name).open("rb") as source:
            return _hash(source)

    def read_sha256(self, name: str) -> str:
        return self.sha256(name)

    def open(self, name: str) -> IO[bytes]:
        return self._path(name).open("rb")

    def write(self, name: str, source: IO[bytes], *, sha256: str) -> None:
        del sha256  # the verification reads the file back
        path = self._path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=".storage-migrate-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as target:
                for chunk in iter(lambda: source.read(CHUNK), b""):
                    target.write(chunk)
                target.flush()
                os.fsync(target.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def delete(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)


class BucketSide:
    def __init__(self, config: ObjectStorage, folder: str) -> None:
        from commonroom.core.storage_s3 import S3Storage

        self.storage = S3Storage(**config.options(folder, signed_seconds=60))
        self.client: Any = self.storage.connection.meta.client
        self.bucket: str = self.storage.bucket_name
        self.prefix = f"{self.storage.location.rstrip('/')}/"

    def files(self) -> Iterator[Stored]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix
        )
        for page in pages:
            for entry in page.get("Contents", ()):
                yield Stored(entry["Key"].removeprefix(self.prefix), int(entry["Size"]))

    def _head(self, name: str) -> dict[str, Any] | None:
        from botocore.exceptions import ClientError

        try:
            head: dict[str, Any] = self.client.head_object(
                Bucket=self.bucket, Key=self.prefix + name
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        return head

    def size(self, name: str) -> int | None:
        head = self._head(name)
        return None if head is None else int(head["ContentLength"])

    def sha256(self, name: str) -> str:
        head = self._head(name) or {}
        recorded = head.get("Metadata", {}).get("sha256", "")
        if recorded:
            return str(recorded)
        with self.open(name) as source:
            return _hash(source)

    def read_sha256(self, name: str) -> str:
        """Read the object back, whatever its metadata says."""
        with self.open(name) as source:
            return _hash(source)

    def open(self, name: str) -> IO[bytes]:
        return self.storage.stream(name)  # type: ignore[return-value]

    def write(self, name: str, source: IO[bytes], *, sha256: str) -> None:
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        self.client.upload_fileobj(
            source,
            self.bucket,
            self.prefix + name,
            ExtraArgs={"Metadata": {"sha256": sha256}, "ContentType": content_type},
        )

    def delete(self, name: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.prefix + name)


def _hash(source: IO[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: source.read(CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


def _disk_root(alias: str) -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT if alias == "private" else settings.MEDIA_ROOT)


def sides(alias: str, direction: Direction) -> tuple[DiskSide | BucketSide, DiskSide | BucketSide]:
    """(source, target) for one storage."""
    config: ObjectStorage | None = settings.OBJECT_STORAGE
    if config is None:
        raise ImproperlyConfigured(
            "storage_migrate needs STORAGE_URL (s3://BUCKET?endpoint=...&region=...) "
            "to know the bucket, in either direction."
        )
    disk = DiskSide(_disk_root(alias))
    bucket = BucketSide(config, FOLDERS[alias])
    return (disk, bucket) if direction == "s3" else (bucket, disk)


def file_migrate(
    source: DiskSide | BucketSide,
    target: DiskSide | BucketSide,
    stored: Stored,
    *,
    delete_source: bool,
    outcome: Outcome,
) -> None:
    """Copy, verify and (when asked) delete the source of one file."""
    name = stored.name
    source_sha = source.sha256(name)
    if target.size(name) == stored.size and target.sha256(name) == source_sha:
        outcome.skipped += 1
    else:
        with source.open(name) as reader:
            target.write(name, reader, sha256=source_sha)
        if target.size(name) != stored.size or target.read_sha256(name) != source_sha:
            outcome.failed.append(name)
            return
        outcome.copied += 1
        outcome.bytes_copied += stored.size
    if delete_source:
        source.delete(name)
        outcome.deleted += 1


def storage_migrate(
    *,
    direction: Direction,
    delete_source: bool = False,
    aliases: tuple[str, ...] = ("private", "default"),
    on_total: Callable[[int, int], None] | None = None,
    on_file: Callable[[Stored], None] | None = None,
) -> Outcome:
    """Move every stored file of these storages; see the module's docstring.
    ``on_total(files, bytes)`` is told the work ahead, ``on_file`` each file done."""
    outcome = Outcome()
    plans = []
    for alias in aliases:
        source, target = sides(alias, direction)
        plans.append((source, target, list(source.files())))
    if on_total is not None:
        on_total(
            sum(len(files) for *_sides, files in plans),
            sum(f.size for *_sides, files in plans for f in files),
        )
    for source, target, files in plans:
        for stored in files:
            try:
                file_migrate(source, target, stored, delete_source=delete_source, outcome=outcome)
            except (OSError, ValueError) as error:
                outcome.failed.append(f"{stored.name}: {error}")
            except Exception as error:  # botocore's errors (the bucket away, refused)
                if type(error).__module__.startswith(("botocore", "boto3", "s3transfer")):
                    outcome.failed.append(f"{stored.name}: {error}")
                else:
                    raise
            if on_file is not None:
                on_file(stored)
    return outcome
