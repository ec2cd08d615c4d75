from django_tasks import task

from commonroom.resources import services


@task()
def links_check() -> int:
    """Periodic (core.scheduler): check external links of published resources."""
    return services.links_check()


@task()
def file_text_extract(file_id: int) -> int:
    """After an upload: the file's text for search."""
    from commonroom.resources.file_text import file_text_extract as extract

    return extract(file_id=file_id)
