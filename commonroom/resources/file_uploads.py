"""Files of a resource (R36): the checks before an upload (size budget,
upload rate), storing and scanning one file, its text for search, and a
transaction that removes the files it wrote when its rows are not stored."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, connection, transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from commonroom.accounts.models import Member
from commonroom.core import antispam, versions
from commonroom.core.outbox import task_enqueue_on_commit
from commonroom.core.uploads import check_upload, make_thumbnails, scan_file
from commonroom.core.uploads.text import extract_text
from commonroom.resources.models import FileState, Resource, ResourceFile
from commonroom.resources.thumbnails import thumbnails_attach
from commonroom.search.services import search_index_sync

logger = logging.getLogger(__name__)


def check_size_budget(resource: Resource | None, uploads: Sequence[UploadedFile[Any]]) -> None:
    existing = 0
    count = 0
    if resource is not None and resource.pk:
        live = resource.files.exclude(state=FileState.REMOVED)
        existing = live.aggregate(total=Sum("size"))["total"] or 0
        count = live.count()
    if count + len(uploads) > settings.UPLOAD_MAX_FILES:
        raise ValidationError(
            _("A resource can have at most %(n)d files.") % {"n": settings.UPLOAD_MAX_FILES},
            code="too_many_files",
        )
    incoming = sum(u.size or 0 for u in uploads)
    if existing + incoming > settings.UPLOAD_MAX_RESOURCE_BYTES:
        from django.template.defaultfilters import filesizeformat

        raise ValidationError(
            _("All files of a resource together may not exceed %(size)s.")
            % {"size": filesizeformat(settings.UPLOAD_MAX_RESOURCE_BYTES)},
            code="resource_too_large",
        )


def check_upload_rate(member: Member) -> None:
    """Each new resource, and each edit that adds files, counts as one upload
    against the member's limit (R20; lower in an account's first days)."""
    if antispam.rate_limit_hit(member=member, kind="upload"):
        raise ValidationError(
            _(
                "You have added a lot of material in a short time. Please wait a while "
                "before you add another resource or file."
            ),
            code="rate_limited",
        )


def resource_file_add(
    *, resource: Resource, upload: UploadedFile[Any], by: Member, state: str = FileState.ACTIVE
) -> ResourceFile:
    """Check, scan and store one upload (R36). A file the scanner does not
    pass is kept in quarantine for moderators, never served."""
    checked = check_upload(
        upload, kind=resource.kind.slug, max_bytes=settings.UPLOAD_MAX_FILE_BYTES
    )
    scan = scan_file(checked.content)
    record = ResourceFile(
        resource=resource,
        name=checked.name,
        mime_type=checked.mime_type,
        size=checked.size,
        sha256=checked.sha256,
        state=state if scan.clean else FileState.QUARANTINED,
        scan_result=scan.detail[:200],
        uploaded_by=by,
        position=resource.files.count(),
    )
    checked.content.seek(0)
    # Each stored file is registered before the row's INSERT, which can fail
    # too (the database gone mid-upload): the enclosing transaction then
    # removes what this upload wrote.
    try:
        record.file.save(checked.name, checked.content, save=False)
        if scan.clean and (thumbnails := make_thumbnails(checked)) is not None:
            thumbnails_attach(record, thumbnails)
    finally:
        _files_written(record)
    record.save()
    versions.changed(resource)  # its page, kept rendered for visitors (page_cache)
    if record.state == FileState.ACTIVE:
        from commonroom.resources.tasks import file_text_extract

        task_enqueue_on_commit(task=file_text_extract, kwargs={"file_id": record.pk})
    return record


def _files_written(record: ResourceFile) -> None:
    written = _written.get(None)
    if written is not None:
        written.extend(
            (record.file.storage, name)
            for name in (record.file.name, record.thumbnail.name, record.thumbnail_small.name)
            if name
        )


def file_text_extract(*, file_id: int) -> int:
    """The text of one stored file, for search: run in the background after
    upload (``tasks.file_text_extract``), because a 300-page PDF takes
    seconds; the resource's search document is then written again. Returns
    the text's length (0 for a file that is gone, quarantined or has none)."""
    record = ResourceFile.objects.filter(pk=file_id, state=FileState.ACTIVE).first()
    if record is None or not record.file:
        return 0
    with record.file.open("rb") as content:
        text = extract_text(content, record.mime_type)
    with transaction.atomic():
        updated = ResourceFile.objects.filter(pk=file_id).update(extracted_text=text)
        if updated and text:
            transaction.on_commit(
                partial(search_index_sync, kind="resource", object_id=record.resource_id)
            )
    return len(text)


# Files are written to storage before the transaction commits; if it then
# rolls back, the files written inside ``atomic_removing_files_on_error`` go too.
_written: ContextVar[list[tuple[Any, str]]] = ContextVar("written_files")


@dataclass
class _Commit:
    reached: bool = False  # the block ended and COMMIT was sent
    done: bool = False  # the first on-commit hook ran: the rows are stored

    def mark_done(self) -> None:
        self.done = True


@contextmanager
def atomic_removing_files_on_error() -> Iterator[None]:
    """A transaction whose stored files are removed when its rows are not.

    An error inside the block rolled everything back, so every file written
    goes (a database that died mid-upload cannot be asked, and need not be).
    An error after the commit (from work queued on commit) keeps them all.
    Only when COMMIT itself failed is the outcome unknown: then the database
    is asked which files its rows name.
    """
    commit = _Commit()
    token = _written.set([])
    try:
        with transaction.atomic():
            # Registered first, so it runs before any hook that could raise.
            transaction.on_commit(commit.mark_done)
            yield
            commit.reached = True
    except BaseException:
        written = _written.get()
        if not commit.reached:
            _files_remove(written)
        elif not commit.done:
            _files_uncommitted_remove(written)
        raise
    finally:
        _written.reset(token)


def _files_remove(written: list[tuple[Any, str]]) -> None:
    left: list[str] = []
    for storage, name in written:
        try:
            storage.delete(name)
        except Exception:  # OSError on disk; botocore's errors from a bucket that is away
            logger.exception("Could not remove the uploaded file %s of a failed upload", name)
            left.append(name)
    if left:
        _files_remove_later(left)


def _files_remove_later(names: list[str]) -> None:
    """The storage refused to delete (the bucket stopped mid-upload, as the
    cluster's fault run did): an outbox entry deletes them once it answers
    again, retried with backoff, so the failed upload orphans nothing. The
    upload's transaction has rolled back; the entry is a write of its own."""
    from commonroom.resources.tasks import upload_files_discard

    try:
        task_enqueue_on_commit(task=upload_files_discard, kwargs={"names": sorted(names)})
    except Exception:  # the database is away too: nothing can remember them
        logger.exception(
            "Kept %d files of a failed upload: could not queue their removal", len(names)
        )


def upload_files_discard(*, names: list[str]) -> int:
    """Run by the task of the same name: deletes the files of a failed upload
    that no row names (a name freed by the deletion may have been taken by a
    later upload meanwhile). Deleting what is gone succeeds; an error leaves
    the entry for its retry. Returns how many were deleted."""
    named = {
        name
        for row in ResourceFile.objects.filter(
            Q(file__in=names) | Q(thumbnail__in=names) | Q(thumbnail_small__in=names)
        ).values_list("file", "thumbnail", "thumbnail_small")
        for name in row
    }
    storage = ResourceFile.file.field.storage
    unnamed = [name for name in names if name not in named]
    for name in unnamed:
        storage.delete(name)
    return len(unnamed)


# How long a failed upload waits, in all, for the database to say which of
# its files were stored: a restart or fail-over takes about a second.
_STORED_ASK_DELAYS = (0.5, 1.0, 2.0, 3.0)


def _files_uncommitted_remove(written: list[tuple[Any, str]]) -> None:
    """Remove the written files no stored row names (issue 12 item 13): the
    outcome of a COMMIT that raised is unknown, so the database is asked,
    again on a new connection while it comes back. When it still cannot
    say, the files stay: an unused file costs space, a missing one loses an
    upload."""
    names = [name for _storage, name in written]
    if not names:
        return
    for delay in (*_STORED_ASK_DELAYS, None):
        try:
            stored = {
                name
                for pair in ResourceFile.objects.filter(
                    Q(file__in=names) | Q(thumbnail__in=names) | Q(thumbnail_small__in=names)
                ).values_list("file", "thumbnail", "thumbnail_small")
                for name in pair
            }
        except DatabaseError:
            if delay is None or connection.in_atomic_block:
                logger.exception(
                    "Kept %d uploaded files: could not tell whether they were stored", len(names)
                )
                return
            connection.close()  # the next query opens a new one
            time.sleep(delay)
            continue
        _files_remove([(storage, name) for storage, name in written if name not in stored])
        return
