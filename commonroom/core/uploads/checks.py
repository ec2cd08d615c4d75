"""The one door every uploaded resource file goes through (R36)."""

import hashlib
from dataclasses import dataclass

import magic
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from commonroom.core.uploads import policy
from commonroom.core.uploads.archives import ZIP_SIGNATURES, check_archive, classify_zip
from commonroom.core.uploads.images import reencode_image
from commonroom.core.uploads.names import safe_name

SNIFF_BYTES = 8192
HASH_CHUNK = 1024 * 1024
# Types that are zip archives underneath; all of them get the archive checks.
ZIP_BASED_TYPES = {
    policy.ZIP,
    policy.DOCX,
    policy.XLSX,
    policy.PPTX,
    policy.ODT,
    policy.ODS,
    policy.ODP,
    policy.DOCM,
    policy.XLSM,
    policy.PPTM,
}


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed every check, ready to be stored as it is."""

    content: File  # positioned at 0: re-encoded bytes for images, else the upload
    name: str
    mime_type: str
    size: int
    sha256: str
    is_image: bool  # a raster image that was decoded and re-encoded (SVG is not)
    width: int | None
    height: int | None
    serve_inline: bool


def sniff_type(upload: File) -> str:
    """The MIME type of the bytes by libmagic; zip-based formats are told apart by manifest."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    mime = magic.from_buffer(head, mime=True)
    mime = policy.ALIASES.get(mime, mime)
    if mime in ZIP_BASED_TYPES or (
        mime == "application/octet-stream" and head.startswith(ZIP_SIGNATURES)
    ):
        mime = classify_zip(upload)
    return mime


def _size_of(upload: File) -> int:
    if upload.size is not None:
        return int(upload.size)
    upload.seek(0, 2)
    size = int(upload.tell())
    upload.seek(0)
    return size


def _type_label(mime: str) -> str:
    extensions = policy.EXTENSIONS.get(mime)
    return extensions[0].lstrip(".").upper() if extensions else mime


def _digest(content: File) -> tuple[int, str]:
    sha256 = hashlib.sha256()
    size = 0
    for chunk in content.chunks(HASH_CHUNK):
        sha256.update(chunk)
        size += len(chunk)
    content.seek(0)
    return size, sha256.hexdigest()


def check_upload(upload: UploadedFile, *, kind: str, max_bytes: int) -> CheckedFile:
    """Decide from its content whether an upload may be stored as a `kind` resource, and how.

    Raises ValidationError with code "too_large", "empty", "type_not_allowed",
    "too_many_pixels", "unreadable" or "archive_unsafe". A kind without an
    entry in ALLOWED_TYPES takes no files at all. Malware scanning is separate
    (scan_file), so that it can run in the background.
    """
    size = _size_of(upload)
    if size > max_bytes:
        raise ValidationError(
            _("The file is larger than the limit of %(limit)s.")
            % {"limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")

    mime = sniff_type(upload)
    allowed = policy.ALLOWED_TYPES.get(kind, set())
    if mime not in allowed:
        accepted = sorted({_type_label(m) for m in allowed})
        raise ValidationError(
            _(
                "This file contains %(type)s, which is not accepted for this kind of resource."
                " Accepted: %(accepted)s."
            )
            % {"type": _type_label(mime), "accepted": ", ".join(accepted) or "-"},
            code="type_not_allowed",
        )

    name = safe_name(upload.name or "", mime)
    width: int | None = None
    height: int | None = None
    content: File
    if mime in policy.RASTER_IMAGE_TYPES:
        encoded, width, height = reencode_image(upload, mime)
        content = ContentFile(encoded.getvalue(), name=name)
        del encoded
    else:
        if mime in ZIP_BASED_TYPES:
            check_archive(upload, max_bytes=max_bytes)
        content = upload
    stored_size, sha256 = _digest(content)
    return CheckedFile(
        content=content,
        name=name,
        mime_type=mime,
        size=stored_size,
        sha256=sha256,
        is_image=width is not None,
        width=width,
        height=height,
        serve_inline=mime in policy.INLINE_TYPES,
    )
