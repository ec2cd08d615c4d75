"""Serving member files safely (R36): always with nosniff and a sandboxing
CSP; only media the browser shows without running code go inline."""

import tempfile
import zipfile
from typing import IO

from django.http import FileResponse
from django.utils.text import slugify

from commonroom.resources.attribution import Attribution
from commonroom.resources.models import Resource, ResourceFile

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
SANDBOX_CSP = "default-src 'none'; img-src 'self'; media-src 'self'; sandbox"


def _harden(response: FileResponse) -> FileResponse:
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, max-age=0, no-store"
    return response


def file_response(file: ResourceFile, *, inline_preview: bool = False) -> FileResponse:
    inline = inline_preview and file.mime_type in INLINE_TYPES
    response = FileResponse(
        file.file.open("rb"),
        as_attachment=not inline,
        filename=file.name,
        content_type=file.mime_type if inline else "application/octet-stream",
    )
    return _harden(response)


def thumbnail_response(file: ResourceFile) -> FileResponse:
    response = FileResponse(file.thumbnail.open("rb"), content_type="image/png")
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
    resource: Resource, files: list[ResourceFile], attribution: Attribution
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
            with file.file.open("rb") as source, archive.open(name, "w") as target:
                for chunk in iter(lambda: source.read(1024 * 1024), b""):
                    target.write(chunk)
        archive.writestr("ATTRIBUTION.txt", attribution.text + "\n")
        archive.writestr("LICENSE.txt", licence_text(resource, attribution))
    spool.seek(0)
    response = FileResponse(
        spool,
        as_attachment=True,
        filename=f"{slugify(resource.title) or 'resource'}.zip",
        content_type="application/zip",
    )
    return _harden(response)
