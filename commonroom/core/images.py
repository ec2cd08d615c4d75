"""Images from members are decided by content, re-encoded and stripped (R4, R36)."""

import io
from dataclasses import dataclass

import magic
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

ACCEPTED_IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif"}
# Pillow raises DecompressionBombError above twice this; we refuse at this size.
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class CleanImage:
    content: ContentFile
    width: int
    height: int


def image_reencode(upload: UploadedFile, *, max_bytes: int, max_side: int) -> CleanImage:
    """Check an uploaded image and return a fresh JPEG without metadata.

    The type is sniffed from the bytes, never taken from the name or the
    browser; the pixels are decoded and written anew, which drops EXIF (GPS
    positions of a classroom photo included) and anything hidden after them.
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
    try:
        with Image.open(upload) as probe:
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(_("The image has too many pixels."), code="too_many_pixels")
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as original:
            original.load()
            image = ImageOps.exif_transpose(original).convert("RGB")
            image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=85, optimize=True)
            width, height = image.size
    except ValidationError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("The image could not be read."), code="unreadable") from exc
    return CleanImage(content=ContentFile(out.getvalue()), width=width, height=height)
