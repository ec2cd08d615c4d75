"""Preview pictures for resource cards: a scaled image, or the first page of a PDF.

Each preview comes in two WebP widths, for srcset: a card is 356 CSS pixels
wide on a 390-pixel phone and 267 on a 1280-pixel screen, so 320 pixels
serve a plain screen and 640 a phone's denser one (issue 13 item 19; the PNGs
before were 340×480 at about 18 kB, many times what a card shows).
"""

import io
import logging
import threading
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

import pypdfium2 as pdfium
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from PIL import Image

from commonroom.core.uploads.checks import CheckedFile
from commonroom.core.uploads.images import PILLOW_FORMATS, open_image
from commonroom.core.uploads.policy import PDF

logger = logging.getLogger(__name__)

# The 1x and 2x widths of a card's picture (see the module's docstring).
THUMBNAIL_WIDTHS = (320, 640)
# A picture taller than this many widths is cut at the bottom: a card shows
# only its top (object-position: top), and a very long strip would cost bytes
# nobody sees. An A4 page (1.41) keeps its whole aspect.
MAX_HEIGHT_PER_WIDTH = 2
# WebP quality: 72 keeps the text of a scanned worksheet legible at 2x and
# makes a page about a fifth of the old PNG (figures in docs/operations.md).
WEBP_QUALITY = 72

# PDFium is not thread-safe; a threaded web or task worker must not render
# two documents at once.
_PDFIUM_LOCK = threading.Lock()
# What a broken or hostile file can make Pillow or PDFium raise. ValidationError
# comes from open_image refusing a file that check_upload should have refused.
_RENDER_ERRORS = (
    ValidationError,
    pdfium.PdfiumError,
    OSError,
    ValueError,
    RuntimeError,
    SyntaxError,
    EOFError,
    ZeroDivisionError,
)


@dataclass(frozen=True)
class Thumbnails:
    """One preview in the two widths of THUMBNAIL_WIDTHS."""

    small: ContentFile[bytes]
    large: ContentFile[bytes]


def _image_preview(content: File[Any], mime_type: str, width: int) -> Image.Image:
    with open_image(content, mime_type, fit=width) as image:
        # Bound by width only: _fit cuts what is too tall.
        image.thumbnail((width, image.height), Image.Resampling.LANCZOS)
        return image.convert("RGBA" if image.has_transparency_data else "RGB")


def _pdf_preview(content: File[Any], width: int) -> Image.Image:
    content.seek(0)
    with _PDFIUM_LOCK:
        document = pdfium.PdfDocument(content)
        try:
            page = document[0]
            try:
                page_width, page_height = page.get_size()
                # A very long page is cut before rendering, not after: its
                # whole bitmap could take hundreds of megabytes.
                cut = max(0.0, page_height - page_width * MAX_HEIGHT_PER_WIDTH)
                bitmap = page.render(scale=width / page_width, crop=(0, cut, 0, 0))
                try:
                    picture: Image.Image = bitmap.to_pil()
                    return picture.convert("RGB")
                finally:
                    bitmap.close()
            finally:
                page.close()
        finally:
            document.close()


def _fit(preview: Image.Image, width: int) -> Image.Image:
    """At most `width` wide (never enlarged), cut to MAX_HEIGHT_PER_WIDTH at the bottom."""
    if preview.width > width:
        height = max(1, round(preview.height * width / preview.width))
        preview = preview.resize((width, height), Image.Resampling.LANCZOS)
    tallest = preview.width * MAX_HEIGHT_PER_WIDTH
    if preview.height > tallest:
        preview = preview.crop((0, 0, preview.width, tallest))
    return preview


def _webp(preview: Image.Image) -> bytes:
    out = io.BytesIO()
    # method 6: the slowest, smallest encoding; a thumbnail is made once.
    preview.save(out, format="WEBP", quality=WEBP_QUALITY, method=6)
    return out.getvalue()


def make_thumbnails(checked: CheckedFile) -> Thumbnails | None:
    """WebP previews THUMBNAIL_WIDTHS wide of an upload, or None when there is nothing to show.

    Rendering failures are logged and give None: a missing preview must not
    stop a resource from being shared.
    """
    return _thumbnails(checked.content, checked.name, checked.mime_type, is_image=checked.is_image)


def stored_file_thumbnails(content: File[Any], *, name: str, mime_type: str) -> Thumbnails | None:
    """The same previews of a file stored earlier (it passed check_upload then;
    images were re-encoded, so every raster type Pillow reads is an image)."""
    is_image = mime_type in PILLOW_FORMATS
    return _thumbnails(content, name, mime_type, is_image=is_image)


def _thumbnails(
    content: File[Any], name: str, mime_type: str, *, is_image: bool
) -> Thumbnails | None:
    small_width, large_width = THUMBNAIL_WIDTHS
    try:
        if is_image:
            preview = _image_preview(content, mime_type, large_width)
        elif mime_type == PDF:
            preview = _pdf_preview(content, large_width)
        else:
            return None
        large = _fit(preview, large_width)
        small = _fit(large, small_width)
        large_bytes, small_bytes = _webp(large), _webp(small)
    except _RENDER_ERRORS:
        logger.warning("No thumbnail for %s", name, exc_info=True)
        return None
    finally:
        content.seek(0)
    stem = PurePosixPath(name).stem or "file"
    return Thumbnails(
        small=ContentFile(small_bytes, name=f"{stem}-{small_width}.webp"),
        large=ContentFile(large_bytes, name=f"{stem}-{large_width}.webp"),
    )
