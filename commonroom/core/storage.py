"""Files members upload are never served straight from MEDIA_URL: they live
in the "private" storage (settings.STORAGES) and go out through
permission-checked views, so that a notice or a removal takes effect at once.

The private storage is a folder (PRIVATE_MEDIA_ROOT) or, with STORAGE_URL,
a private S3-compatible bucket (core.storage_config). From a bucket a view
that has checked the permission hands the file out as a signed address valid
for STORAGE_SIGNED_URL_SECONDS (a redirect), or, with STORAGE_X_ACCEL, as an
internal redirect that nginx follows to the bucket itself (the browser never
sees the bucket). Objects are deleted through the outbox after the commit
that stops naming them, so an unreachable bucket delays a deletion but never
forgets it (``files_delete_on_commit``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core.files.storage import Storage, storages


def private_storage() -> Storage:
    return storages["private"]


def in_bucket(storage: Storage) -> bool:
    """Whether the storage is a bucket (core.storage_s3; not imported here,
    so that a site on disk never loads boto3)."""
    return hasattr(storage, "bucket_name")


def open_stream(storage: Storage, name: str) -> IO[bytes]:
    """A stored file opened for reading once from start to end: from a
    bucket as the bytes arrive, never all in memory or on disk."""
    stream = getattr(storage, "stream", None)
    if stream is not None:
        opened: IO[bytes] = stream(name)
        return opened
    return storage.open(name, "rb")


def content_disposition(filename: str, *, inline: bool) -> str:
    kind = "inline" if inline else "attachment"
    ascii_name = filename.encode("ascii", "ignore").decode().replace('"', "") or "download"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def signed_url(
    storage: Storage, name: str, *, filename: str, content_type: str, inline: bool
) -> str:
    """A GET address for one object, valid STORAGE_SIGNED_URL_SECONDS, that
    makes the bucket answer with this file name, type and disposition."""
    parameters = {
        "ResponseContentDisposition": content_disposition(filename, inline=inline),
        "ResponseContentType": content_type,
        "ResponseCacheControl": "private, max-age=0, no-store",
    }
    url: str = storage.url(  # type: ignore[call-arg]
        name, parameters=parameters, expire=settings.STORAGE_SIGNED_URL_SECONDS
    )
    return url


def x_accel_path(url: str) -> str:
    """The internal location nginx follows for a signed URL: its path and
    query under STORAGE_X_ACCEL_LOCATION (see docs/operations.md)."""
    parts = urlsplit(url)
    location = settings.STORAGE_X_ACCEL_LOCATION.rstrip("/")
    return f"{location}{parts.path}?{parts.query}"


def files_delete_on_commit(*, names: Iterable[str], alias: str = "private") -> None:
    """Delete these stored files once the caller's transaction commits.

    The deletion is an outbox entry written in that transaction: it runs
    after the commit, is retried with backoff while the bucket (or disk)
    refuses, and deleting what is already gone succeeds, so nothing is
    orphaned and nothing is deleted for a change that rolled back.
    """
    from commonroom.core.outbox import task_enqueue_on_commit
    from commonroom.core.tasks import stored_files_delete

    wanted = sorted({name for name in names if name})
    if wanted:
        task_enqueue_on_commit(task=stored_files_delete, kwargs={"alias": alias, "names": wanted})


def stored_files_delete(*, alias: str, names: list[str]) -> int:
    """Run by the task of the same name: every name, whether or not it is
    still there (an error leaves the rest for the retry)."""
    storage = storages[alias]
    for name in names:
        storage.delete(name)
    return len(names)
