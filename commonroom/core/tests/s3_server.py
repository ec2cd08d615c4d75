"""An S3 server of the tests' own on a free loopback port: moto in server
mode (ThreadedMotoServer), never the internet.

moto itself accepts any signature and ignores expiry, so the server here
checks what a real bucket checks of a signed address (SigV4 query
signature with the tests' secret key, X-Amz-Date + X-Amz-Expires) and
refuses requests that carry no credentials at all; its clock can be moved
forward (``clock_offset``) to see a signed address expire without waiting.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

import pytest
from django.core.files.storage import storages

ACCESS_KEY = "commonroom-test"
SECRET_KEY = "commonroom-test-secret-0123456789"
REGION = "us-east-1"

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def presigned_signature(
    *, method: str, raw_path: str, raw_query: str, host: str, secret: str
) -> str:
    """SigV4 of a presigned request, computed from the request as received."""
    pairs = [
        (quote(unquote(k), safe="-_.~"), quote(unquote(v), safe="-_.~"))
        for k, _sep, v in (item.partition("=") for item in raw_query.split("&") if item)
        if unquote(k) != "X-Amz-Signature"
    ]
    query = dict(parse_qsl(raw_query))
    signed_headers = query["X-Amz-SignedHeaders"]
    if signed_headers != "host":
        raise ValueError(f"unexpected signed headers {signed_headers}")
    canonical = "\n".join(
        [
            method,
            raw_path,
            "&".join(f"{k}={v}" for k, v in sorted(pairs)),
            f"host:{host}\n",
            signed_headers,
            "UNSIGNED-PAYLOAD",
        ]
    )
    _key_id, _slash, scope = query["X-Amz-Credential"].partition("/")
    day, region, service, _terminator = scope.split("/")
    to_sign = "\n".join(
        [
            "AWS4-HMAC-SHA256",
            query["X-Amz-Date"],
            scope,
            hashlib.sha256(canonical.encode()).hexdigest(),
        ]
    )
    key = _hmac(f"AWS4{secret}".encode(), day)
    for part in (region, service, "aws4_request"):
        key = _hmac(key, part)
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


class CheckedS3:
    """WSGI middleware in front of moto: what a private bucket refuses."""

    def __init__(self, app: WsgiApp) -> None:
        self.app = app
        self.clock_offset = timedelta(0)
        self.refused: list[str] = []
        self.down = False  # answer 503 to everything, like a server that is away

    def _refuse(self, start_response: StartResponse, why: str) -> list[bytes]:
        self.refused.append(why)
        body = f"<Error><Code>AccessDenied</Code><Message>{why}</Message></Error>".encode()
        start_response("403 Forbidden", [("Content-Type", "application/xml")])
        return [body]

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        raw = environ.get("REQUEST_URI") or environ.get("RAW_URI") or ""
        path_part, _q, raw_query = raw.partition("?")
        query = dict(parse_qsl(raw_query))
        if path_part.startswith("/moto-api"):
            return self.app(environ, start_response)
        if self.down:
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
            return [b"down"]
        if "X-Amz-Signature" in query:
            try:
                expected = presigned_signature(
                    method=environ["REQUEST_METHOD"],
                    raw_path=path_part,
                    raw_query=raw_query,
                    host=environ.get("HTTP_HOST", ""),
                    secret=SECRET_KEY,
                )
            except (KeyError, ValueError) as error:
                return self._refuse(start_response, f"malformed signed request: {error}")
            if not hmac.compare_digest(expected, query["X-Amz-Signature"]):
                return self._refuse(start_response, "SignatureDoesNotMatch")
            signed_at = datetime.strptime(query["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            expires = signed_at + timedelta(seconds=int(query["X-Amz-Expires"]))
            if datetime.now(tz=UTC) + self.clock_offset > expires:
                return self._refuse(start_response, "Request has expired")
        elif f"Credential={ACCESS_KEY}/" not in environ.get("HTTP_AUTHORIZATION", ""):
            return self._refuse(start_response, "anonymous access")
        return self.app(environ, start_response)


class S3Server:
    def __init__(self) -> None:
        from moto.moto_server.werkzeug_app import (
            DomainDispatcherApplication,
            MotoRequestHandler,
            create_backend_app,
        )
        from moto.server import ThreadedMotoServer
        from werkzeug.serving import make_server

        self.checked = CheckedS3(DomainDispatcherApplication(create_backend_app))
        outer = self

        class Server(ThreadedMotoServer):  # type: ignore[misc]
            def _server_entry(self) -> None:
                self._server = make_server(
                    "127.0.0.1",
                    0,
                    outer.checked,
                    threaded=True,
                    request_handler=MotoRequestHandler,
                )
                self._server_ready_event.set()
                self._server.serve_forever()

        self.server = Server(ip_address="127.0.0.1", port=0, verbose=False)

    def start(self) -> None:
        self.server.start()
        host, port = self.server.get_host_and_port()
        self.endpoint = f"http://{host}:{port}"

    def stop(self) -> None:
        self.server.stop()

    def client(self) -> Any:
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
        )

    def keys(self, bucket: str, prefix: str = "") -> list[str]:
        pages = (
            self.client().get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
        )
        return sorted(entry["Key"] for page in pages for entry in page.get("Contents", ()))


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    pytest.importorskip("moto.server", reason="moto[server] is not installed (dev group)")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # a line per request otherwise
    server = S3Server()
    server.start()
    try:
        yield server
    finally:
        server.stop()


class Bucket:
    def __init__(self, server: S3Server, name: str, disk_private: Path) -> None:
        self.server = server
        self.name = name
        self.disk_private = disk_private  # the private folder the tests use without a bucket

    def objects(self, prefix: str = "") -> list[str]:
        """The keys in the bucket, sorted."""
        return self.server.keys(self.name, prefix)


def _fields_on_private_storage() -> Iterator[Any]:
    from django.apps import apps

    from commonroom.core.storage import private_storage

    for model in apps.get_models():
        for field in model._meta.get_fields():
            if getattr(field, "_storage_callable", None) is private_storage:
                yield field


@pytest.fixture
def bucket(
    s3_server: S3Server, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Bucket]:
    """STORAGE_URL pointed at a new bucket of the test's own: the private and
    default storages (and every model field on them) write into it; the
    folders PRIVATE_MEDIA_ROOT and MEDIA_ROOT are empty ones of the test.

    Afterwards the storage instances in use before come back, the very
    objects the model fields hold (Django's own reset would make new ones)."""
    from django.conf import settings
    from django.test import override_settings

    from commonroom.core.storage_config import object_storages, storage_url_parse

    name = f"commonroom-{uuid.uuid4().hex[:12]}"
    s3_server.client().create_bucket(Bucket=name)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    url = f"s3://{name}?endpoint={s3_server.endpoint}&region={REGION}"
    config = storage_url_parse(url)
    disk_private = Path(settings.STORAGES["private"]["OPTIONS"]["location"])  # type: ignore[index]
    in_use = dict(storages._storages)
    s3_server.checked.clock_offset = timedelta(0)
    s3_server.checked.down = False
    try:
        with override_settings(
            STORAGE_URL=url,
            OBJECT_STORAGE=config,
            MEDIA_ROOT=tmp_path / "media",
            PRIVATE_MEDIA_ROOT=tmp_path / "private",
            STORAGES={
                **settings.STORAGES,
                **object_storages(config, static_on_s3=False, signed_seconds=60),
            },
        ):
            for field in _fields_on_private_storage():
                monkeypatch.setattr(field, "storage", storages["private"])
            yield Bucket(s3_server, name, disk_private)
    finally:
        storages._storages = in_use
        s3_server.checked.down = False


def fetch(url: str) -> tuple[int, bytes, dict[str, str]]:
    """GET an address on the loopback S3 server: status, body, headers (lower-case names)."""
    import urllib.error
    import urllib.request

    assert urlsplit(url).hostname == "127.0.0.1"
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 -- loopback only
            return answer.status, answer.read(), {k.lower(): v for k, v in answer.headers.items()}
    except urllib.error.HTTPError as error:
        return error.code, error.read(), {k.lower(): v for k, v in error.headers.items()}
