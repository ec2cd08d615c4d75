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
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageCms, ImageSequence

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


def _max_pixels() -> int:
    return int(settings.IMAGE_MAX_PIXELS)


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        _("The image has too many pixels (at most %(count)s million, all frames together).")
        % {"count": _max_pixels() // 1_000_000},
        code="too_many_pixels",
    )


def _bytes_per_pixel(mode: str, frames: int) -> int:
    """What Pillow holds in memory per pixel once decoded.

    Pillow keeps every multi-band mode (RGB included) in four bytes a pixel;
    the frames of an animation after the first are RGB(A).
    """
    if frames > 1:
        return 4
    if mode in ("1", "L", "P"):
        return 1
    return 2 if mode.startswith("I;16") else 4


def decoded_bytes(image: Image.Image) -> int:
    """The memory the pixels of `image` will take once decoded, at its (drafted) size."""
    frames = int(getattr(image, "n_frames", 1))
    per_pixel = _bytes_per_pixel(image.mode, frames)
    # libwebp's animation decoder (Pillow's only WebP decoder) keeps a canvas
    # and the previous one, and hands over a third copy that Pillow copies in
    # again: measured at about four times the pixels.
    if image.format == "WEBP":
        per_pixel *= 4
    return image.width * image.height * frames * per_pixel


def _too_large_to_decode(image: Image.Image) -> ValidationError:
    frames = int(getattr(image, "n_frames", 1))
    per_pixel = decoded_bytes(image) // max(1, image.width * image.height * frames)
    limit = settings.IMAGE_DECODE_MAX_BYTES // per_pixel
    return ValidationError(
        _(
            "This %(format)s image is too large to process: at most %(count)s million pixels"
            " for this kind of image (all frames together). Save it as a JPEG photo or make"
            " it smaller."
        )
        % {"format": image.format or "", "count": f"{limit / 1_000_000:.1f}"},
        code="too_many_pixels",
    )


def _reduce_on_load(image: Image.Image, fit: int | None) -> None:
    """Make the decode fit in IMAGE_DECODE_MAX_BYTES, before any pixel is decoded.

    JPEG decodes straight at 1/2, 1/4 or 1/8 of its size (draft): to about
    `fit` pixels a side when a small picture is all that is needed, and at
    the largest scale that fits the budget otherwise. PNG, GIF and WebP can
    only be decoded whole, so for them the budget is a lower pixel cap.
    """
    budget = int(settings.IMAGE_DECODE_MAX_BYTES)
    if image.format == "JPEG":
        # Pillow takes one draft per image, so the scale is settled first.
        width, height = image.size
        per_pixel = _bytes_per_pixel(image.mode, 1)
        scale = 1
        if fit is not None:
            # The largest reduction that keeps both sides at least `fit`.
            while scale < 8 and min(width, height) // (scale * 2) >= fit:
                scale *= 2
        while scale < 8 and -(-width // scale) * -(-height // scale) * per_pixel > budget:
            scale *= 2
        if scale > 1:
            image.draft(None, (max(1, width // scale), max(1, height // scale)))
    if decoded_bytes(image) > budget:
        raise _too_large_to_decode(image)


@contextmanager
def open_image(content: File[Any], mime: str, *, fit: int | None = None) -> Iterator[Image.Image]:
    """Open an image, reading only its header, and refuse it if it is too large to decode.

    The image comes back not yet decoded, set up to decode within
    IMAGE_DECODE_MAX_BYTES (a JPEG reduced on load, to about `fit` pixels a
    side when given), so that the caller's first use is its only decode.
    Pillow's own bomb warning is made an error so that it is refused, not logged.
    """
    content.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # Only the sniffed format's decoder may run on these bytes.
            with Image.open(content, formats=[PILLOW_FORMATS[mime]]) as image:
                frames = getattr(image, "n_frames", 1)
                if image.width * image.height * frames > _max_pixels():
                    raise _too_many_pixels()
                _reduce_on_load(image, fit)
                yield image
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels() from exc
    except (OSError, SyntaxError, ValueError, EOFError, ImageCms.PyCMSError) as exc:
        raise ValidationError(_("The image could not be read."), code="unreadable") from exc


def _replace(old: Image.Image, new: Image.Image) -> Image.Image:
    """Free the pixels of `old` now that `new` holds the picture.

    Only two full-size copies of a picture are ever alive at once: the
    decoding budget counts on it.
    """
    if new is not old:
        old.close()
    return new


def _to_srgb(frame: Image.Image) -> Image.Image:
    """Convert pixels described by an embedded colour profile into plain sRGB.

    Dropping a profile without converting would shift the colours of photos
    from phones that shoot in a wide gamut; a profile that cannot be used is
    simply dropped. RGB stays RGB, so it is converted in place.
    """
    icc = frame.info.get("icc_profile")
    if not icc or frame.mode not in ("RGB", "RGBA", "CMYK"):
        return frame
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if frame.mode in ("RGB", "RGBA"):
            ImageCms.profileToProfile(frame, source, _SRGB, inPlace=True)
            return frame
        converted = ImageCms.profileToProfile(frame, source, _SRGB, outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError):
        return frame
    return converted if converted is not None else frame


def _clean_frame(
    frame: Image.Image, orientation: int, pillow_format: str, *, consume: bool
) -> Image.Image:
    """The frame upright, in sRGB and a mode the format can store, with only rendering hints.

    With `consume`, `frame` itself may be changed and freed (a still image);
    otherwise (a frame of an animation, which the next seek overwrites) it is copied.
    """
    frame.load()
    kept: dict[str | tuple[int, int], object] = {
        key: frame.info[key] for key in _KEPT_INFO if key in frame.info
    }
    method = _ORIENTATION.get(orientation)
    if method is not None:
        clean = frame.transpose(method)
        if consume:
            frame.close()
    else:
        clean = frame if consume else frame.copy()
    clean = _replace(clean, _to_srgb(clean))
    if pillow_format == "JPEG" and clean.mode not in ("L", "RGB"):
        clean = _replace(clean, clean.convert("RGB"))
    elif pillow_format == "WEBP" and clean.mode not in ("RGB", "RGBA"):
        has_alpha = clean.has_transparency_data
        clean = _replace(clean, clean.convert("RGBA" if has_alpha else "RGB"))
    clean.info = kept
    return clean


def _is_lossless_webp(content: File[Any]) -> bool:
    content.seek(0)
    head = content.read(4096)
    return b"VP8L" in head and b"VP8 " not in head


def reencode_image(content: File[Any], mime: str) -> tuple[io.BytesIO, int, int]:
    """Return the image re-encoded in its own format, upright and without metadata.

    The pixels are decoded once. A JPEG whose full size would not fit in
    IMAGE_DECODE_MAX_BYTES is stored at the largest of 1/2, 1/4 or 1/8 of its
    size that fits; other formats that large are refused (open_image).
    """
    pillow_format = PILLOW_FORMATS[mime]
    lossless = pillow_format == "WEBP" and _is_lossless_webp(content)
    out = io.BytesIO()
    with open_image(content, mime) as image:
        orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
        loop = image.info.get("loop")
        if getattr(image, "is_animated", False):
            frames = [
                _clean_frame(frame, orientation, pillow_format, consume=False)
                for frame in ImageSequence.Iterator(image)
            ]
        else:
            frames = [_clean_frame(image, orientation, pillow_format, consume=True)]
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
