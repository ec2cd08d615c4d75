"""The text of a resource's files, for search: extracted in the background
after upload (``tasks.file_text_extract``) because a 300-page PDF takes
seconds, then the resource's search document is written again."""

from __future__ import annotations

from functools import partial

from django.db import transaction

from commonroom.core.uploads.text import extract_text
from commonroom.resources.models import FileState, ResourceFile
from commonroom.search.services import search_index_sync


def file_text_extract(*, file_id: int) -> int:
    """Extract and store one file's text; returns its length (0 for a file
    that is gone, quarantined or has no text)."""
    record = ResourceFile.objects.filter(pk=file_id, state=FileState.ACTIVE).first()
    if record is None or not record.file:
        return 0
    with record.file.open("rb") as content:
        text = extract_text(content, record.mime_type)
    with transaction.atomic():
        updated = ResourceFile.objects.filter(pk=file_id).update(extracted_text=text)
        if updated and text:
            transaction.on_commit(partial(search_index_sync, resource_id=record.resource_id))
    return len(text)
