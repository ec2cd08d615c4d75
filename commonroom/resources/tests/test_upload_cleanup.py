"""Issue 12 item 13: an upload is whole or absent, whatever fails and when.

A file is written before the rows that name it commit. If the transaction
rolls back, its files go, even when the database that failed cannot be
asked any more; once the rows are stored, their files stay, even when work
queued on commit fails and the database cannot be asked either.
"""

from typing import Any

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError

from commonroom.core.tests.test_upload_text import pdf_with
from commonroom.resources import file_uploads, services
from commonroom.resources.models import ResourceFile
from commonroom.resources.tests.factories import ResourceFactory
from commonroom.resources.tests.helpers import upload
from commonroom.taxonomy.loading import load_taxonomy

DATABASE_GONE = "server closed the connection unexpectedly"


def _database_unreachable(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on, asking which files are stored fails as a dead server does."""

    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise OperationalError(DATABASE_GONE)

    monkeypatch.setattr(ResourceFile.objects, "filter", refuse)


@pytest.mark.django_db
def test_item13_database_dying_mid_upload_leaves_no_file_without_its_row(member, monkeypatch):
    resource = ResourceFactory(author=member)
    written: list[str] = []
    real_add = file_uploads.resource_file_add

    def add_then_database_dies(**kwargs: Any) -> ResourceFile:
        record = real_add(**kwargs)
        written.append(record.file.name)
        _database_unreachable(monkeypatch)
        raise OperationalError(DATABASE_GONE)

    monkeypatch.setattr(file_uploads, "resource_file_add", add_then_database_dies)
    with pytest.raises(OperationalError):
        services.resource_update(
            resource=resource, by=member, fields={}, uploads=[upload("a.pdf", pdf_with("x"))]
        )
    monkeypatch.undo()
    assert ResourceFile.objects.count() == 0
    assert len(written) == 1
    assert not ResourceFile.file.field.storage.exists(written[0])


@pytest.mark.django_db
def test_item13_a_file_row_whose_insert_fails_leaves_neither_file_nor_thumbnails(
    member, monkeypatch
):
    """The fault test's PostgreSQL restart hit the file row's own INSERT: the
    PDF and both thumbnails were already stored and were kept."""
    resource = ResourceFactory(author=member)
    stored: list[str | None] = []
    real_save = ResourceFile.save

    def insert_fails(record: ResourceFile, *args: Any, **kwargs: Any) -> None:
        stored.extend([record.file.name, record.thumbnail.name, record.thumbnail_small.name])
        raise OperationalError(DATABASE_GONE)

    monkeypatch.setattr(ResourceFile, "save", insert_fails)
    with pytest.raises(OperationalError):
        services.resource_update(
            resource=resource, by=member, fields={}, uploads=[upload("a.pdf", pdf_with("x"))]
        )
    monkeypatch.setattr(ResourceFile, "save", real_save)
    storage = ResourceFile.file.field.storage
    assert len([name for name in stored if name]) == 3
    assert [name for name in stored if name and storage.exists(name)] == []


@pytest.mark.django_db(transaction=True)
def test_item13_work_failing_after_the_commit_keeps_every_stored_file(member, monkeypatch):
    """A real commit: the search update queued on commit fails and the
    database cannot be asked; the committed upload keeps its file."""
    # A transactional test may follow another that emptied every table.
    load_taxonomy(lambda name: apps.get_model("taxonomy", name))
    resource = ResourceFactory(author=member)

    def index_fails(**_kwargs: Any) -> None:
        _database_unreachable(monkeypatch)
        raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379.")

    monkeypatch.setattr(services, "search_index_sync", index_fails)
    with pytest.raises(RedisConnectionError):
        services.resource_update(
            resource=resource, by=member, fields={}, uploads=[upload("b.pdf", pdf_with("y"))]
        )
    monkeypatch.undo()
    stored = ResourceFile.objects.get(resource=resource)
    assert stored.file.storage.exists(stored.file.name)


@pytest.mark.django_db(transaction=True)
def test_item13_an_unknown_commit_asks_the_database_again_once_it_is_back(monkeypatch):
    """COMMIT raised and the first question fails too (the server is
    restarting): asked again on a new connection, the database says no row
    names the file, so it goes."""
    storage = ResourceFile.file.field.storage
    name = storage.save("resources/orphan.pdf", ContentFile(b"%PDF-1.4"))
    real_filter = ResourceFile.objects.filter
    asked: list[int] = []

    def restarting_then_back(*args: Any, **kwargs: Any) -> Any:
        asked.append(1)
        if len(asked) == 1:
            raise OperationalError(DATABASE_GONE)
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(ResourceFile.objects, "filter", restarting_then_back)
    monkeypatch.setattr(file_uploads.time, "sleep", lambda _seconds: None)
    file_uploads._files_uncommitted_remove([(storage, name)])
    assert len(asked) == 2
    assert not storage.exists(name)


@pytest.mark.django_db
def test_r_issue19_files_the_bucket_refused_to_delete_go_once_it_answers_again(member, monkeypatch):
    """The cluster's fault run: the S3 server stopped between the PDF's PUT
    and its thumbnails'; the failed upload could not delete the PDF then
    (one orphan). Its removal is an outbox entry, run once the bucket is
    back; a name a row uses by then is kept."""
    from botocore.exceptions import EndpointConnectionError

    from commonroom.core.models import OutboxEntry
    from commonroom.core.outbox import outbox_run_entry

    resource = ResourceFactory(author=member)
    storage = ResourceFile.file.field.storage
    stored: list[str] = []
    real_save, real_delete = ResourceFile.save, type(storage).delete

    def insert_fails(record: ResourceFile, *args: Any, **kwargs: Any) -> None:
        stored.extend(n for n in (record.file.name, record.thumbnail.name) if n)
        stored.extend(n for n in (record.thumbnail_small.name,) if n)
        raise OperationalError(DATABASE_GONE)

    def bucket_away(_storage: Any, name: str) -> None:
        raise EndpointConnectionError(endpoint_url=f"http://127.0.0.1:9/commonroom/{name}")

    monkeypatch.setattr(ResourceFile, "save", insert_fails)
    monkeypatch.setattr(type(storage), "delete", bucket_away)
    with pytest.raises(OperationalError):
        services.resource_update(
            resource=resource, by=member, fields={}, uploads=[upload("a.pdf", pdf_with("x"))]
        )
    monkeypatch.setattr(ResourceFile, "save", real_save)
    monkeypatch.setattr(type(storage), "delete", real_delete)
    assert len(stored) == 3
    assert [name for name in stored if storage.exists(name)] == stored
    entry = OutboxEntry.objects.get(task_path="commonroom.resources.tasks.upload_files_discard")
    assert entry.kwargs == {"names": sorted(stored)}
    # Meanwhile a row came to name the first (a later upload took the name).
    ResourceFile.objects.create(
        resource=resource, name="a.pdf", file=stored[0], size=1, uploaded_by=member
    )
    assert outbox_run_entry(entry_id=entry.pk) == "done"
    assert [name for name in stored if storage.exists(name)] == [stored[0]]
