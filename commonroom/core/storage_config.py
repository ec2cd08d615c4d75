"""STORAGE_URL, read by settings.py: which files live in an S3-compatible
bucket and how the application reaches it (issue 19 item 1).

    STORAGE_URL=s3://commonroom?endpoint=http://127.0.0.1:9016&region=us-east-1

Query parameters, all optional: ``endpoint`` (any S3-compatible server;
none: Amazon S3), ``region``, ``prefix`` (put every key under it, e.g.
``site-a/``) and ``public_bucket`` (a second bucket for MEDIA_ROOT's files).
The keys are ``<prefix>private/...`` (resource files, thumbnails, profile
photos, logos: only ever handed out through permission-checked views),
``<prefix>media/...`` (the "default" storage) and, with STATIC_ON_S3,
``<prefix>static/...``. Credentials come from ``AWS_ACCESS_KEY_ID`` and
``AWS_SECRET_ACCESS_KEY`` (read by boto3 itself, never from this URL). No
object is written with an ACL: the bucket stays private.

Nothing here imports Django or boto3 at module level: settings.py calls it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

S3_BACKEND = "commonroom.core.storage_s3.S3Storage"
S3_STATIC_BACKEND = "commonroom.core.storage_s3.S3StaticStorage"
_KNOWN = frozenset({"endpoint", "region", "prefix", "public_bucket"})
# Bytes of an opened object kept in memory; the rest of it spills to a
# temporary file (django-storages' default, 0, would keep all of it in memory).
OPEN_MEMORY_BYTES = 2_621_440
PART_BYTES = 8 * 1024 * 1024


class StorageUrlError(ValueError):
    pass


@dataclass(frozen=True)
class ObjectStorage:
    bucket: str
    endpoint: str = ""
    region: str = ""
    prefix: str = ""
    public_bucket: str = ""

    @property
    def origin(self) -> str:
        """Where a browser fetches a signed URL from (for the CSP)."""
        if self.endpoint:
            parts = urlsplit(self.endpoint)
            return f"{parts.scheme}://{parts.netloc}"
        region = self.region or "us-east-1"
        return f"https://s3.{region}.amazonaws.com"

    def options(self, folder: str, *, signed_seconds: int, public: bool = False) -> dict[str, Any]:
        """The OPTIONS of one entry of settings.STORAGES."""
        from boto3.s3.transfer import TransferConfig
        from botocore.config import Config

        return {
            "bucket_name": (self.public_bucket or self.bucket) if public else self.bucket,
            "location": f"{self.prefix}{folder}",
            "endpoint_url": self.endpoint or None,
            "region_name": self.region or None,
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": signed_seconds,
            # Two uploads of the same name must not replace each other: the
            # second gets a new name, as on disk.
            "file_overwrite": False,
            "max_memory_size": OPEN_MEMORY_BYTES,
            # An upload goes up in 8 MiB parts, two at a time: a 100 MB file
            # never has more than a few parts in memory.
            "transfer_config": TransferConfig(
                multipart_threshold=PART_BYTES, multipart_chunksize=PART_BYTES, max_concurrency=2
            ),
            "client_config": Config(
                signature_version="s3v4",
                # An IP address or a local server has no bucket host names.
                s3={"addressing_style": "path" if self.endpoint else "auto"},
                connect_timeout=2,
                read_timeout=20,
                retries={"max_attempts": 3, "mode": "standard"},
            ),
        }


def storage_url_parse(url: str) -> ObjectStorage:
    parts = urlsplit(url)
    if parts.scheme != "s3":
        raise StorageUrlError(f"STORAGE_URL must start with s3:// (got {parts.scheme or url!r}).")
    bucket = parts.netloc
    if not bucket or parts.path not in ("", "/"):
        raise StorageUrlError(
            "STORAGE_URL names one bucket: s3://BUCKET?endpoint=http://HOST:PORT&region=REGION."
        )
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    unknown = sorted(set(query) - _KNOWN)
    if unknown:
        raise StorageUrlError(
            f"STORAGE_URL has unknown parameters {', '.join(unknown)}; "
            f"known: {', '.join(sorted(_KNOWN))}."
        )
    endpoint = query.get("endpoint", "")
    if endpoint and urlsplit(endpoint).scheme not in ("http", "https"):
        raise StorageUrlError("STORAGE_URL's endpoint must be an http:// or https:// address.")
    prefix = query.get("prefix", "").strip("/")
    return ObjectStorage(
        bucket=bucket,
        endpoint=endpoint.rstrip("/"),
        region=query.get("region", ""),
        prefix=f"{prefix}/" if prefix else "",
        public_bucket=query.get("public_bucket", ""),
    )


def object_storages(
    config: ObjectStorage, *, static_on_s3: bool, signed_seconds: int
) -> dict[str, dict[str, Any]]:
    """The entries of settings.STORAGES that move into the bucket."""
    entries: dict[str, dict[str, Any]] = {
        "default": {
            "BACKEND": S3_BACKEND,
            "OPTIONS": config.options("media", signed_seconds=signed_seconds, public=True),
        },
        "private": {
            "BACKEND": S3_BACKEND,
            "OPTIONS": config.options("private", signed_seconds=signed_seconds),
        },
    }
    if static_on_s3:
        static = config.options("static", signed_seconds=signed_seconds, public=True)
        # Static files have stable public addresses: their prefix must be
        # readable by anyone (a bucket policy on <prefix>static/*, or a CDN).
        static["querystring_auth"] = False
        entries["staticfiles"] = {"BACKEND": S3_STATIC_BACKEND, "OPTIONS": static}
    return entries
