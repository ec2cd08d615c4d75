"""Issue 13 item 19: pages go out gzip-compressed; files never are."""

import gzip
import io

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.http import FileResponse, HttpResponse, HttpResponseBase, JsonResponse
from django.test import Client, RequestFactory

from commonroom.core.compression import TextGZipMiddleware
from commonroom.resources.tests.factories import ResourceFileFactory, published_resource

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.mark.django_db
def test_item19_html_is_compressed(client: Client):
    plain = client.get("/search/", {"q": "fractions"})
    compressed = client.get("/search/", {"q": "fractions"}, **GZIP)
    assert "Content-Encoding" not in plain
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    html = gzip.decompress(compressed.content)
    assert html.startswith(b"<!DOCTYPE html>")
    assert b"Search Commonroom" in html
    assert len(compressed.content) < len(plain.content) / 2
    # Django pads each compressed page with random bytes against BREACH:
    # a file name in the gzip header (flag FNAME) of random length.
    assert compressed.content[3] & 0x08 == 0x08


def test_item19_the_middleware_compresses_text_after_every_other_middleware():
    names = settings.MIDDLEWARE
    at = names.index("commonroom.core.compression.TextGZipMiddleware")
    # Static files are answered above it (compressed ahead by collectstatic).
    assert names.index("whitenoise.middleware.WhiteNoiseMiddleware") == at - 1
    assert "django.middleware.gzip.GZipMiddleware" not in names


def through_middleware(response: HttpResponseBase) -> HttpResponseBase:
    request = RequestFactory().get("/", **GZIP)
    return TextGZipMiddleware(lambda request: response).process_response(request, response)


def test_item19_json_and_text_are_compressed_other_types_and_streams_are_not():
    text = "fractions " * 100
    assert through_middleware(JsonResponse({"q": text}))["Content-Encoding"] == "gzip"
    assert through_middleware(HttpResponse(text, content_type="text/csv"))["Content-Encoding"] == (
        "gzip"
    )
    png = HttpResponse(b"\x89PNG" + b"\0" * 2000, content_type="image/png")
    assert not through_middleware(png).has_header("Content-Encoding")
    download = FileResponse(io.BytesIO(text.encode()), as_attachment=True, filename="a.txt")
    download_out = through_middleware(download)
    assert not download_out.has_header("Content-Encoding")
    assert download_out["Content-Length"] == str(len(text))
    assert b"".join(download_out.streaming_content) == text.encode()


@pytest.mark.django_db
def test_item19_a_file_download_is_sent_as_it_is(member_client: Client):
    body = b"a,b\n" + b"1,2\n" * 500
    file = ResourceFileFactory(
        resource=published_resource(),
        name="numbers.csv",
        mime_type="text/csv",
        size=len(body),
        file=ContentFile(body, name="numbers.csv"),
    )
    response = member_client.get(file.get_absolute_url(), **GZIP)
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    # (With its attribution added, item 4: the length is the sent file's own.)
    assert response["Content-Length"] == str(len(b"".join(response.streaming_content)))
