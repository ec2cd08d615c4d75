"""Card pictures of resource files: stored on upload, rebuilt for files
uploaded before they were WebP in two widths (issue 13 item 19).

A file's row always names pictures that exist: the new pictures are written
first, the row then points to them, and the old PNG is deleted only after
that commit. Until a file is rebuilt its cards show the old PNG.
"""

from __future__ import annotations

import logging
from enum import StrEnum
from typing import Any

from django.core.files import File
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import QuerySet

from commonroom.core import versions
from commonroom.core.uploads import Thumbnails
from commonroom.core.uploads.thumbnails import THUMBNAIL_WIDTHS, stored_file_thumbnails
from commonroom.core.versions import scope_of
from commonroom.resources.models import Resource, ResourceFile

logger = logging.getLogger(__name__)


class Rebuild(StrEnum):
    REBUILT = "rebuilt"
    SKIPPED = "skipped"  # already rebuilt, changed meanwhile, or gone
    FAILED = "failed"  # no picture could be made: the old one stays


def thumbnails_attach(record: ResourceFile, thumbnails: Thumbnails) -> None:
    """Store both widths for a row that is saved next (names from resource_thumbnail_path)."""
    small_width, large_width = THUMBNAIL_WIDTHS
    record.thumbnail.save(f"thumb-{large_width}.webp", thumbnails.large, save=False)
    record.thumbnail_small.save(f"thumb-{small_width}.webp", thumbnails.small, save=False)


def files_to_rebuild() -> QuerySet[ResourceFile]:
    """Files whose picture is an old PNG: a picture without its small width."""
    return ResourceFile.objects.exclude(thumbnail="").filter(thumbnail_small="").order_by("pk")


def thumbnail_rebuild(file_id: int) -> Rebuild:
    """Replace one file's old picture by the two WebP widths; safe to run
    again, and alongside uploads, edits and deletions."""
    record = files_to_rebuild().filter(pk=file_id).first()
    if record is None:
        return Rebuild.SKIPPED
    old_name = str(record.thumbnail.name)
    try:
        with record.file.open("rb") as content:
            thumbnails = stored_file_thumbnails(
                content, name=record.name, mime_type=record.mime_type
            )
    except OSError:
        logger.warning("No file to rebuild the thumbnail of file %s from", file_id, exc_info=True)
        return Rebuild.FAILED
    if thumbnails is None:
        return Rebuild.FAILED
    # Rendering took a while, outside any transaction; the files are written
    # before the row names them, so no request ever finds a name without a file.
    thumbnails_attach(record, thumbnails)
    new_names = [str(record.thumbnail.name), str(record.thumbnail_small.name)]
    storage = record.thumbnail.storage
    try:
        with transaction.atomic():
            updated = (
                files_to_rebuild()
                .filter(pk=file_id, thumbnail=old_name)
                .update(thumbnail=new_names[0], thumbnail_small=new_names[1])
            )
            if updated:
                versions.changed(scope_of(Resource, record.resource_id))
                # robust: a failed delete is logged, and must not reach the
                # except below, which would delete the pictures just stored.
                transaction.on_commit(lambda: storage.delete(old_name), robust=True)
    except BaseException:
        _remove(storage, new_names)
        raise
    if not updated:  # deleted or rebuilt by someone else meanwhile
        _remove(storage, new_names)
        return Rebuild.SKIPPED
    return Rebuild.REBUILT


def _remove(storage: Storage, names: list[str]) -> None:
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("Could not remove the unused thumbnail %s", name)


def thumbnail_open(file: ResourceFile, width: int = 0) -> tuple[File[Any], str] | None:
    """A file's picture `width` pixels wide (0: the largest stored), opened,
    with its content type; None when it has none.

    A file not rebuilt yet has only its old PNG, served for either width. A
    page rendered just before a rebuild names the PNG that the rebuild's
    commit then deletes: the row is read again and the new picture served.
    """
    if width and width not in THUMBNAIL_WIDTHS:
        return None
    for attempt in range(2):
        if attempt:
            file.refresh_from_db(fields=["thumbnail", "thumbnail_small"])
        small = file.thumbnail_small.name if width == THUMBNAIL_WIDTHS[0] else ""
        for name in (small, file.thumbnail.name):
            if not name:
                continue
            try:
                content = file.thumbnail.storage.open(name, "rb")
            except FileNotFoundError:
                continue
            return content, "image/webp" if name.endswith(".webp") else "image/png"
    return None
