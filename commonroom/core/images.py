"""Images from members are decided by content, re-encoded and stripped (R4, R36)."""

import io
from dataclasses import dataclass
from typing import Any

import magic
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from commonroom.core.uploads.images import open_image

ACCEPTED_IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif"}


@dataclass(frozen=True)
class CleanImage:
    content: ContentFile[bytes]
    width: int
    height: int


def image_reencode(upload: UploadedFile[Any], *, max_bytes: int, max_side: int) -> CleanImage:
    """Check an uploaded image and return a fresh JPEG without metadata, at most `max_side` a side.

    The type is sniffed from the bytes, never taken from the name or the
    browser; the pixels are decoded and written anew, which drops EXIF (GPS
    positions of a classroom photo included) and anything hidden after them.
    The header is checked before any pixel is decoded, a JPEG is decoded
    straight at a fraction of its size, and the pixels are decoded once, then
    made small before anything else is done with them (issue 12, item 12).
    """
    if upload.size is None or upload.size > max_bytes:
        raise ValidationError(
            _("The image is larger than %(size)s.") % {"size": filesizeformat(max_bytes)},
            code="too_large",
        )
    head = upload.read(4096)
    upload.seek(0)
    mime = magic.from_buffer(head, mime=True)
    if mime not in ACCEPTED_IMAGE_TYPES:
        raise ValidationError(
            _("This file is not a JPEG, PNG, WebP or GIF image."), code="not_an_image"
        )
    # open_image turns what a broken file raises in here into "unreadable".
    with open_image(upload, mime, fit=max_side) as original:
        original.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        image = ImageOps.exif_transpose(original).convert("RGB")
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=85, optimize=True)
    return CleanImage(content=ContentFile(out.getvalue()), width=image.width, height=image.height)
