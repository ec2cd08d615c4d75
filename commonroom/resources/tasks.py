from django_tasks import task

from commonroom.resources import file_uploads, link_checks


@task()
def links_check() -> int:
    """Periodic (core.scheduler): check external links of published resources."""
    return link_checks.links_check()


@task()
def file_text_extract(file_id: int) -> int:
    """After an upload: the file's text for search."""
    return file_uploads.file_text_extract(file_id=file_id)


@task()
def upload_files_discard(names: list[str]) -> int:
    """The files of a failed upload the storage refused to delete then."""
    return file_uploads.upload_files_discard(names=names)
