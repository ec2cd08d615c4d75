"""Gzip for pages and other text answers (issue 13 item 19).

Django's GZipMiddleware would compress every answer, streamed file
downloads and ZIPs included (it looks at neither the type nor whether the
body is streamed). Only text that the application renders is compressed
here: a page of search results shrinks to about a fifth. Files are streamed
as they are (a ZIP or an image is compressed already, and a download's
Content-Length must stay), and static files come pre-compressed from
WhiteNoise (or nginx) with their own Content-Encoding.

Against BREACH (a secret guessed from the compressed size of a page that
also reflects the attacker's input), Django pads each compressed answer
with up to 100 random bytes (Django 4.2, "Heal The Breach"), and the CSRF
token is masked anew in each page.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware

# Content types worth compressing; everything else (images, PDFs, ZIPs,
# Office files, video) is left alone.
COMPRESSIBLE_TYPES = (
    "text/",
    "application/json",
    "application/javascript",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/manifest+json",
    "image/svg+xml",
)


class TextGZipMiddleware(GZipMiddleware):
    """GZipMiddleware for rendered text only: never a streamed body (file
    downloads, ZIPs, thumbnails, static files) nor an already compressed type."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if response.streaming:
            return response
        content_type = response.get("Content-Type", "").partition(";")[0].strip().lower()
        if not content_type.startswith(COMPRESSIBLE_TYPES):
            return response
        compressed: HttpResponseBase = super().process_response(request, response)
        return compressed
