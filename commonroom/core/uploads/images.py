"""Uploaded raster images are measured from their header, then decoded and written anew (R36).

Writing the pixels into a fresh file is what removes whatever rode along:
EXIF (a classroom photo's GPS position), XMP, comments, colour profiles and
bytes appended after the image. Only the information needed to show the
image the same way (transparency, animation timing) is carried over.
"""

import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageCms, ImageSequence

from commonroom.core.uploads import policy

PILLOW_FORMATS = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/gif": "GIF",
    "image/webp": "WEBP",
}
JPEG_QUALITY = 88
WEBP_QUALITY = 88
# Rendering hints, not metadata: without them a frame would lose its
# transparency or an animation its pace.
_KEPT_INFO = ("transparency", "duration", "loop", "background", "disposal", "blend")
# What ImageOps.exif_transpose does for each EXIF orientation, applied here to
# every frame alike.
_ORIENTATION = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        _("The image has too many pixels (at most %(count)s million, all frames together).")
        % {"count": policy.MAX_PIXELS // 1_000_000},
        code="too_many_pixels",
    )


@contextmanager
def open_image(content: File, mime: str) -> Iterator[Image.Image]:
    """Open an image, reading only its header, and refuse it if it is too large to decode.

    Pillow's own bomb warning is made an error so that it is refused, not logged.
    """
    content.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # Only the sniffed format's decoder may run on these bytes.
            with Image.open(content, formats=[PILLOW_FORMATS[mime]]) as image:
                frames = getattr(image, "n_frames", 1)
                if image.width * image.height * frames > policy.MAX_PIXELS:
                    raise _too_many_pixels()
                yield image
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels() from exc
    except (OSError, SyntaxError, ValueError, EOFError, ImageCms.PyCMSError) as exc:
        raise ValidationError(_("The image could not be read."), code="unreadable") from exc


def _to_srgb(frame: Image.Image) -> Image.Image:
    """Convert pixels described by an embedded colour profile into plain sRGB.

    Dropping a profile without converting would shift the colours of photos
    from phones that shoot in a wide gamut; a profile that cannot be used is
    simply dropped.
    """
    icc = frame.info.get("icc_profile")
    if not icc or frame.mode not in ("RGB", "RGBA", "CMYK"):
        return frame
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        output = "RGBA" if frame.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(frame, source, _SRGB, outputMode=output)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return frame
    return converted if converted is not None else frame


def _clean_frame(frame: Image.Image, orientation: int, pillow_format: str) -> Image.Image:
    frame.load()
    method = _ORIENTATION.get(orientation)
    clean = frame.transpose(method) if method is not None else frame.copy()
    clean = _to_srgb(clean)
    if pillow_format == "JPEG" and clean.mode not in ("L", "RGB"):
        clean = clean.convert("RGB")
    elif pillow_format == "WEBP" and clean.mode not in ("RGB", "RGBA"):
        has_alpha = clean.has_transparency_data
        clean = clean.convert("RGBA" if has_alpha else "RGB")
    clean.info = {key: frame.info[key] for key in _KEPT_INFO if key in frame.info}
    return clean


def _is_lossless_webp(content: File) -> bool:
    content.seek(0)
    head = content.read(4096)
    return b"VP8L" in head and b"VP8 " not in head


def reencode_image(content: File, mime: str) -> tuple[io.BytesIO, int, int]:
    """Return the image re-encoded in its own format, upright and without metadata."""
    pillow_format = PILLOW_FORMATS[mime]
    lossless = pillow_format == "WEBP" and _is_lossless_webp(content)
    out = io.BytesIO()
    with open_image(content, mime) as image:
        orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
        loop = image.info.get("loop")
        if getattr(image, "is_animated", False):
            frames = [
                _clean_frame(frame, orientation, pillow_format)
                for frame in ImageSequence.Iterator(image)
            ]
        else:
            frames = [_clean_frame(image, orientation, pillow_format)]
        options: dict[str, object] = {}
        if len(frames) > 1:
            options = {
                "save_all": True,
                "append_images": frames[1:],
                "duration": [frame.info.get("duration", 100) for frame in frames],
            }
            if loop is not None:
                options["loop"] = loop
        if pillow_format == "JPEG":
            options |= {"quality": JPEG_QUALITY, "optimize": True}
        elif pillow_format == "WEBP":
            options |= {"lossless": True} if lossless else {"quality": WEBP_QUALITY}
        frames[0].save(out, format=pillow_format, **options)
        width, height = frames[0].size
    out.seek(0)
    return out, width, height
