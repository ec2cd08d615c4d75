"""Serving member files safely (R36): always with nosniff and a sandboxing
CSP; only media the browser shows without running code go inline.

Every download carries the attribution (R33): in the file's own metadata where
its format has a place for it, otherwise in a ZIP with ATTRIBUTION.txt."""

import io
import tempfile
import zipfile
from typing import IO, TypeVar

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.text import slugify
from django.utils.translation import gettext as _

from commonroom.core.storage import (
    content_disposition,
    in_bucket,
    open_stream,
    signed_url,
    x_accel_path,
)
from commonroom.resources import file_metadata, xmp
from commonroom.resources.attribution import Attribution
from commonroom.resources.models import Resource, ResourceFile
from commonroom.resources.thumbnails import thumbnail_open

INLINE_TYPES = frozenset(
    {
        "image/jpeg",
        "image/png",
        "image/gif",
        "image/webp",
        "audio/mpeg",
        "audio/ogg",
        "audio/wav",
        "audio/x-wav",
        "audio/mp4",
        "audio/webm",
        "video/mp4",
        "video/webm",
        "video/ogg",
    }
)
_R = TypeVar("_R", bound=HttpResponseBase)
SANDBOX_CSP = "default-src 'none'; img-src 'self'; media-src 'self'; sandbox"


def _harden(response: _R) -> _R:
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, max-age=0, no-store"
    return response


def file_response(file: ResourceFile, *, inline_preview: bool = False) -> HttpResponseBase:
    """The file as it is stored: streamed from disk, or, from a bucket, a
    redirect to a signed address (or nginx's internal one) once the caller
    has checked the permission."""
    inline = inline_preview and file.mime_type in INLINE_TYPES
    content_type = file.mime_type if inline else "application/octet-stream"
    if in_bucket(file.file.storage):
        return _from_bucket(file, inline=inline, content_type=content_type)
    response = FileResponse(
        file.file.open("rb"),
        as_attachment=not inline,
        filename=file.name,
        content_type=content_type,
    )
    return _harden(response)


def _from_bucket(file: ResourceFile, *, inline: bool, content_type: str) -> HttpResponseBase:
    url = signed_url(
        file.file.storage,
        str(file.file.name),
        filename=file.name,
        content_type=content_type,
        inline=inline,
    )
    if settings.STORAGE_X_ACCEL:
        # nginx fetches the signed address itself (docs/operations.md).
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = x_accel_path(url)
        response["Content-Disposition"] = content_disposition(file.name, inline=inline)
        return _harden(response)
    redirect = HttpResponseRedirect(url)
    redirect["Cache-Control"] = "private, max-age=0, no-store"
    redirect["Referrer-Policy"] = "no-referrer"
    return redirect


def stamp_limit() -> int:
    """Above this size a file is not read into memory to be stamped: it goes in a ZIP."""
    return int(settings.DOWNLOAD_STAMP_MAX_BYTES)


def carries_credits_inside(file: ResourceFile) -> bool:
    """Whether a download of this file is the file itself, with the credits inside."""
    return file_metadata.can_stamp(file.mime_type) and file.size <= stamp_limit()


def credits_for(resource: Resource, attribution: Attribution) -> xmp.Credits:
    licence = resource.licence
    return xmp.Credits(
        title=resource.title,
        author=resource.author.display_name,
        source_url=attribution.url,
        licence_name=licence.name if licence else _("all rights reserved"),
        licence_url=licence.url if licence else "",
        attribution=attribution.text,
    )


def _stamped(file: ResourceFile, attribution: Attribution) -> bytes | None:
    if not carries_credits_inside(file):
        return None
    limit = stamp_limit()
    with open_stream(file.file.storage, str(file.file.name)) as source:
        data = source.read(limit + 1)
    if len(data) > limit:  # the size on record was wrong
        return None
    return file_metadata.stamp(data, file.mime_type, credits_for(file.resource, attribution))


def download_response(
    file: ResourceFile, attribution: Attribution, *, inline_preview: bool = False
) -> HttpResponseBase:
    """The file with the attribution in its metadata, or else in a ZIP with it.

    Audio and video shown on the resource page have no place for it; the
    player gets them as they are, and their download is the ZIP.
    """
    inline = inline_preview and file.mime_type in INLINE_TYPES
    stamped = _stamped(file, attribution)
    if stamped is not None:
        response = FileResponse(
            io.BytesIO(stamped),
            as_attachment=not inline,
            filename=file.name,
            content_type=file.mime_type if inline else "application/octet-stream",
        )
        return _harden(response)
    if inline:
        return file_response(file, inline_preview=True)
    stem = file.name.rpartition(".")[0] or file.name
    return zip_response(file.resource, [file], attribution, filename=f"{stem}.zip")


def thumbnail_response(file: ResourceFile, *, width: int = 0) -> FileResponse:
    opened = thumbnail_open(file, width)
    if opened is None:
        raise Http404
    content, content_type = opened
    response = FileResponse(content, content_type=content_type)
    response = _harden(response)
    response["Cache-Control"] = "private, max-age=3600"
    return response


def licence_text(resource: Resource, attribution: Attribution) -> str:
    licence = resource.licence
    lines = [
        f"{resource.title}",
        "",
        f"Licence: {licence.name if licence else 'all rights reserved'}",
        f"Legal code: {licence.url}" if licence else "",
        "",
        "When you reuse this work, name the source with this attribution line:",
        "",
        attribution.text,
    ]
    return "\n".join(lines).strip() + "\n"


def zip_response(
    resource: Resource,
    files: list[ResourceFile],
    attribution: Attribution,
    *,
    filename: str = "",
) -> FileResponse:
    """All files of a resource, with ATTRIBUTION.txt and LICENSE.txt (R33)."""
    spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)  # noqa: SIM115
    used: set[str] = set()
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for file in files:
            name = file.name
            stem, dot, ext = name.rpartition(".")
            counter = 2
            while name in used:
                name = f"{stem}-{counter}{dot}{ext}"
                counter += 1
            used.add(name)
            with (
                open_stream(file.file.storage, str(file.file.name)) as source,
                archive.open(name, "w") as target,
            ):
                for chunk in iter(lambda: source.read(1024 * 1024), b""):
                    target.write(chunk)
        archive.writestr("ATTRIBUTION.txt", attribution.text + "\n")
        archive.writestr("LICENSE.txt", licence_text(resource, attribution))
    spool.seek(0)
    response = FileResponse(
        spool,
        as_attachment=True,
        filename=filename or f"{slugify(resource.title) or 'resource'}.zip",
        content_type="application/zip",
    )
    return _harden(response)
