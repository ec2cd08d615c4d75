"""Preview pictures for resource pages: a scaled image, or the first page of a PDF."""

import io
import logging
import threading
from pathlib import PurePosixPath

import pypdfium2 as pdfium
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image

from commonroom.core.uploads.checks import CheckedFile
from commonroom.core.uploads.images import open_image
from commonroom.core.uploads.policy import PDF

logger = logging.getLogger(__name__)

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


def _image_preview(checked: CheckedFile, max_side: int) -> Image.Image:
    with open_image(checked.content, checked.mime_type, fit=max_side) as image:
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        return image.convert("RGBA" if image.has_transparency_data else "RGB")


def _pdf_preview(checked: CheckedFile, max_side: int) -> Image.Image:
    checked.content.seek(0)
    with _PDFIUM_LOCK:
        document = pdfium.PdfDocument(checked.content)
        try:
            page = document[0]
            try:
                width, height = page.get_size()
                bitmap = page.render(scale=max_side / max(width, height))
                try:
                    return bitmap.to_pil().convert("RGB")
                finally:
                    bitmap.close()
            finally:
                page.close()
        finally:
            document.close()


def make_thumbnail(checked: CheckedFile, *, max_side: int = 480) -> ContentFile[bytes] | None:
    """A PNG at most `max_side` pixels on its longest side, or None when there is nothing to show.

    Rendering failures are logged and give None: a missing preview must not
    stop a resource from being shared.
    """
    try:
        if checked.is_image:
            preview = _image_preview(checked, max_side)
        elif checked.mime_type == PDF:
            preview = _pdf_preview(checked, max_side)
        else:
            return None
        # Rounding in the PDF renderer may overshoot by a pixel.
        preview.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        preview.save(out, format="PNG", optimize=True)
    except _RENDER_ERRORS:
        logger.warning("No thumbnail for %s", checked.name, exc_info=True)
        return None
    finally:
        checked.content.seek(0)
    stem = PurePosixPath(checked.name).stem or "file"
    return ContentFile(out.getvalue(), name=f"{stem}-thumbnail.png")
