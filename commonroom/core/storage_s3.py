"""The S3 storages of STORAGE_URL (core.storage_config): django-storages'
S3 storage, plus reading an object as a stream. Imported only when a
storage in settings.STORAGES names it, so a site on disk never loads boto3."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from storages.backends.s3 import S3ManifestStaticStorage
from storages.backends.s3 import S3Storage as BaseS3Storage


class S3Storage(BaseS3Storage):
    """Private by default: no ACL, signed addresses, no overwriting (storage_config)."""

    def stream(self, name: str) -> ObjectStream:
        """The object's bytes as they arrive, never all in memory or on disk
        (django-storages' own open() downloads the whole object first)."""
        from botocore.exceptions import ClientError

        key = self._normalize_name(name)
        try:
            answer = self.connection.meta.client.get_object(Bucket=self.bucket_name, Key=key)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise FileNotFoundError(f"No object {key}") from error
            raise
        return ObjectStream(answer["Body"], size=int(answer["ContentLength"]), name=name)

    def key(self, name: str) -> str:
        return str(self._normalize_name(name))


class S3StaticStorage(S3ManifestStaticStorage):
    """Collected static files in the bucket (STATIC_ON_S3), with hashed names."""


class ObjectStream:
    """A file-like reader over a body that arrives in pieces (FileResponse
    reads it in blocks, zipfile and the stamper with read(n))."""

    def __init__(self, body: Any, *, size: int, name: str) -> None:
        self._body = body
        self.size = size
        self.name = name

    def read(self, amount: int = -1) -> bytes:
        data: bytes = self._body.read(None if amount is None or amount < 0 else amount)
        return data

    def __iter__(self) -> Iterator[bytes]:
        return iter(lambda: self.read(64 * 1024), b"")

    def close(self) -> None:
        self._body.close()

    def __enter__(self) -> ObjectStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
